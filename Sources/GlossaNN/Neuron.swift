import GlossaTensor

/// The lecture's neuron: it takes inputs x_1 … x_n, each with a weight w_i that sets its
/// importance, computes the weighted sum
///
///     z = Σ_i w_i · x_i + b
///
/// (b, the bias, shifts the activation function) and passes z through an activation
/// function for its output. A ``Linear`` layer is many neurons over the same inputs,
/// computed at once.
public final class Neuron: Layer {
  /// w, `[n]`.
  public let weight: Tensor
  /// b, `[1]`.
  public let bias: Tensor
  /// The activation function applied to z.
  public let activation: Activation.Kind

  /// A neuron with `inputs` weights, initialised as one output of a ``Linear`` layer:
  /// U(−1/√n, 1/√n).
  public init(inputs: Int, activation: Activation.Kind = .sigmoid, seed: UInt64 = 0) {
    var generator = SeededGenerator(seed: seed)
    let bound = 1 / Float(inputs).squareRoot()
    weight = Tensor.uniform([inputs], low: -bound, high: bound, generator: &generator, requiresGrad: true)
    bias = Tensor.uniform([1], low: -bound, high: bound, generator: &generator, requiresGrad: true)
    self.activation = activation
  }

  /// A neuron with the given weights and bias.
  public init(weights: [Float], bias: Float, activation: Activation.Kind = .sigmoid) {
    weight = Tensor(weights)
    weight.requiresGrad = true
    self.bias = Tensor([bias])
    self.bias.requiresGrad = true
    self.activation = activation
  }

  /// z = Σ w_i x_i + b for an input `[n]` (giving `[1]`) or each row of a batch `[batch, n]`
  /// (giving `[batch, 1]`).
  public func weightedSum(_ x: Tensor) -> Tensor {
    let n = weight.count
    require(
      (x.rank == 1 || x.rank == 2) && x.shape.last == n,
      "Neuron: input has shape \(x.shape), expected [\(n)] or [batch, \(n)]")
    let z = Tensor.linear(x.reshaped([-1, n]), weight: weight.reshaped([1, n]), bias: bias)
    return x.rank == 1 ? z.reshaped([1]) : z
  }

  /// The neuron's output: the activation of ``weightedSum(_:)``.
  public func callAsFunction(_ x: Tensor) -> Tensor { Activation(activation)(weightedSum(x)) }
}

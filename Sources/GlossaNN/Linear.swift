import GlossaTensor

/// A fully connected layer of the lecture's neurons: each output is z = Σ_i w_i x_i + b,
/// computed for all outputs at once as y = x Wᵀ + b.
public final class Linear: Layer {
  /// The weights, `[outFeatures, inFeatures]` (PyTorch's layout).
  public let weight: Tensor
  /// The biases, `[outFeatures]`, or nil for a layer without bias.
  public let bias: Tensor?

  /// A layer initialised as PyTorch does: weights and biases from U(−1/√in, 1/√in).
  public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, seed: UInt64 = 0) {
    var generator = SeededGenerator(seed: seed)
    let bound = 1 / Float(inFeatures).squareRoot()
    weight = Tensor.uniform(
      [outFeatures, inFeatures], low: -bound, high: bound, generator: &generator,
      requiresGrad: true)
    self.bias =
      bias
      ? Tensor.uniform(
        [outFeatures], low: -bound, high: bound, generator: &generator, requiresGrad: true)
      : nil
  }

  /// The forward pass for input `[…, inFeatures]`.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    Tensor.linear(input, weight: weight, bias: bias)
  }
}

import GlossaTensor

/// The lecture's neural network (a multi-layer perceptron): an input layer, hidden layers of
/// neurons, each followed by a non-linear activation, and an output layer.
///
/// Forward propagation (calling the network) passes the input through each layer in turn:
/// h_1 = f(W_1 x + b_1), h_2 = f(W_2 h_1 + b_2), …, ŷ = W_L h_{L−1} + b_L. Without the
/// non-linearity f the layers would collapse into one linear map. The output layer has no
/// activation: the loss applies the softmax or sigmoid (``crossEntropy(_:targets:ignoreIndex:reduction:)``,
/// ``binaryCrossEntropyWithLogits(_:_:reduction:)``), or the output is the regression itself.
///
/// It is a ``Sequential`` of ``Linear`` and ``Activation`` layers, with PyTorch's names for
/// one (`0.weight`, `0.bias`, `2.weight`, …).
public final class MLP: Sequential {
  /// The sizes of the layers, from the input to the output.
  public let sizes: [Int]

  /// A network with layers of `sizes` (`[inputs, hidden₁, …, outputs]`, at least two) and
  /// `activation` after every hidden layer; layer k is initialised with `seed + k`.
  public init(_ sizes: [Int], activation: Activation.Kind = .relu, seed: UInt64 = 0) {
    require(
      sizes.count >= 2 && sizes.allSatisfy { $0 > 0 },
      "MLP: sizes \(sizes) must list at least an input and an output size, all positive")
    self.sizes = sizes
    var layers: [any Layer] = []
    for k in 0..<(sizes.count - 1) {
      if k > 0 { layers.append(Activation(activation)) }
      layers.append(Linear(sizes[k], sizes[k + 1], seed: seed + UInt64(k)))
    }
    super.init(layers)
  }
}

import GlossaTensor

/// The lecture's activation functions as layers, for ``Sequential``.
public final class Activation: Layer {
  /// Which function the layer applies.
  public enum Kind: String, Sendable, CaseIterable {
    /// f(x) = x: no non-linearity (layers then collapse into one linear map).
    case identity
    /// f(x) = 1 / (1 + e^(−x)).
    case sigmoid
    /// f(x) = tanh(x).
    case tanh
    /// f(x) = max(0, x).
    case relu
    /// Softmax over the last axis.
    case softmax
    /// Log-softmax over the last axis.
    case logSoftmax
  }

  /// The function applied.
  public let kind: Kind

  /// An activation layer of the given kind.
  public init(_ kind: Kind) { self.kind = kind }

  public var children: [(name: String, value: Any)] { [] }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    switch kind {
    case .identity: input
    case .sigmoid: input.sigmoid()
    case .tanh: input.tanh()
    case .relu: input.relu()
    case .softmax: input.softmax()
    case .logSoftmax: input.logSoftmax()
    }
  }
}

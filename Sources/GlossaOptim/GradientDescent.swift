/// The lecture's three kinds of gradient descent, which differ only in how many examples
/// each update sees. Each update moves every parameter against its gradient, scaled by the
/// learning rate η: w_new = w_old − η · ∂Loss/∂w (``Optimizer``, ``SGD``).
public enum GradientDescent: Sendable, Equatable, CustomStringConvertible {
  /// Batch gradient descent: every update uses the whole dataset (stable, expensive).
  case batch
  /// Stochastic gradient descent: every update uses one randomly chosen example (noisy, fast).
  case stochastic
  /// Mini-batch gradient descent: every update uses `size` examples.
  case miniBatch(Int)

  /// The number of examples per update for a dataset of `count` examples.
  public func batchSize(for count: Int) -> Int {
    switch self {
    case .batch: count
    case .stochastic: 1
    case .miniBatch(let size): size
    }
  }

  public var description: String {
    switch self {
    case .batch: "batch"
    case .stochastic: "stochastic"
    case .miniBatch(let size): "mini-batch (\(size))"
    }
  }
}

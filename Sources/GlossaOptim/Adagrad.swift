import GlossaTensor

/// Adagrad: each weight's step shrinks with the squares of its past gradients,
/// s ← s + g²; w ← w − η·g / (√s + ε).
public final class Adagrad: Optimizer {
  public let parameters: [Tensor]
  public var learningRate: Float
  /// ε, added to the denominator.
  public let epsilon: Float
  /// The L2 penalty λ added to each gradient.
  public let weightDecay: Float
  public var slots: [[Tensor]] = []
  public var steps = 0

  /// Adagrad over `parameters`, with PyTorch's defaults.
  public init(
    _ parameters: [Tensor], learningRate: Float = 0.01, epsilon: Float = 1e-10,
    weightDecay: Float = 0
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  public func step() {
    steps += 1
    let (lr, eps, decay) = (learningRate, epsilon, weightDecay)
    forEachParameter(state: &slots, slots: 1) { w, g, slots in
      let s = slots[0]
      for i in 0..<w.count {
        let gi = g[i] + decay * w[i]
        s[i] += gi * gi
        w[i] -= lr * gi / (s[i].squareRoot() + eps)
      }
    }
  }
}

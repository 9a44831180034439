import GlossaTensor

/// RMSprop: divides each step by a running root-mean-square of the gradients,
/// s ← αs + (1−α)g²; w ← w − η·g / (√s + ε), with optional momentum on the step.
public final class RMSprop: Optimizer {
  public let parameters: [Tensor]
  public var learningRate: Float
  /// α, the smoothing constant of the running average.
  public let alpha: Float
  /// ε, added to the denominator.
  public let epsilon: Float
  /// The momentum factor applied to the scaled step.
  public let momentum: Float
  /// The L2 penalty λ added to each gradient.
  public let weightDecay: Float
  public var slots: [[Tensor]] = []
  public var steps = 0

  /// RMSprop over `parameters`, with PyTorch's defaults.
  public init(
    _ parameters: [Tensor], learningRate: Float = 0.01, alpha: Float = 0.99,
    epsilon: Float = 1e-8, momentum: Float = 0, weightDecay: Float = 0
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.alpha = alpha
    self.epsilon = epsilon
    self.momentum = momentum
    self.weightDecay = weightDecay
  }

  public func step() {
    steps += 1
    let (lr, a, eps, mu, decay) = (learningRate, alpha, epsilon, momentum, weightDecay)
    forEachParameter(state: &slots, slots: 2) { w, g, slots in
      let (s, buffer) = (slots[0], slots[1])
      for i in 0..<w.count {
        let gi = g[i] + decay * w[i]
        s[i] = a * s[i] + (1 - a) * gi * gi
        let scaled = gi / (s[i].squareRoot() + eps)
        if mu > 0 {
          buffer[i] = mu * buffer[i] + scaled
          w[i] -= lr * buffer[i]
        } else {
          w[i] -= lr * scaled
        }
      }
    }
  }
}

import GlossaTensor

/// Stochastic gradient descent, with optional momentum (classical or Nesterov) and
/// L2 weight decay, following `torch.optim.SGD`:
/// g ← ∇w + λw; v ← μv + g; w ← w − η·(Nesterov ? g + μv : v).
public final class SGD: Optimizer {
  public let parameters: [Tensor]
  public var learningRate: Float
  /// The momentum factor μ (0 for plain gradient descent).
  public let momentum: Float
  /// The L2 penalty λ added to each gradient.
  public let weightDecay: Float
  /// Whether to use Nesterov momentum.
  public let nesterov: Bool
  public var slots: [[Tensor]] = []
  public var steps = 0

  /// An SGD optimizer over `parameters`.
  public init(
    _ parameters: [Tensor], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0,
    nesterov: Bool = false
  ) {
    require(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
    self.parameters = parameters
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.nesterov = nesterov
  }

  public func step() {
    steps += 1
    let (lr, mu, decay, nesterov) = (learningRate, momentum, weightDecay, nesterov)
    forEachParameter(state: &slots, slots: mu == 0 ? 0 : 1) { w, g, slots in
      guard mu != 0 else {
        for i in 0..<w.count { w[i] -= lr * (g[i] + decay * w[i]) }
        return
      }
      // v starts at zero, so the first step's v is the first gradient, as PyTorch starts it.
      let v = slots[0]
      for i in 0..<w.count {
        let d = g[i] + decay * w[i]
        v[i] = mu * v[i] + d
        w[i] -= lr * (nesterov ? d + mu * v[i] : v[i])
      }
    }
  }
}

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
  private var state: [[Tensor]] = []
  private var started = false

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
    let (lr, mu, decay, nesterov) = (learningRate, momentum, weightDecay, nesterov)
    let first = !started
    started = true
    forEachParameter(state: &state, slots: mu == 0 ? 0 : 1) { w, g, slots in
      for i in 0..<w.count {
        var d = g[i] + decay * w[i]
        if mu != 0 {
          let v = slots[0]
          // PyTorch starts the velocity at the first gradient.
          v[i] = first ? d : mu * v[i] + d
          d = nesterov ? d + mu * v[i] : v[i]
        }
        w[i] -= lr * d
      }
    }
  }
}

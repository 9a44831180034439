import GlossaTensor

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Adam (Kingma & Ba), and AdamW when `decoupledWeightDecay` is set:
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − η·m̂ / (√v̂ + ε), with the bias
/// corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Adam adds λw to g; AdamW instead shrinks
/// w by (1 − ηλ) before the step.
public final class Adam: Optimizer {
  public let parameters: [Tensor]
  public var learningRate: Float
  /// β₁ and β₂, the decay rates of the first and second moment estimates.
  public let betas: (Float, Float)
  /// ε, added to the denominator for numerical stability.
  public let epsilon: Float
  /// The weight decay λ.
  public let weightDecay: Float
  /// Whether the weight decay is decoupled from the gradient (AdamW).
  public let decoupledWeightDecay: Bool
  public var slots: [[Tensor]] = []
  public var steps = 0

  /// Adam over `parameters`, with PyTorch's defaults.
  public init(
    _ parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
    epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.betas = betas
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupledWeightDecay
  }

  /// AdamW: Adam with decoupled weight decay (PyTorch's default λ = 0.01).
  public static func adamW(
    _ parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
    epsilon: Float = 1e-8, weightDecay: Float = 0.01
  ) -> Adam {
    Adam(
      parameters, learningRate: learningRate, betas: betas, epsilon: epsilon,
      weightDecay: weightDecay, decoupledWeightDecay: true)
  }

  public func step() {
    steps += 1
    let (lr, b1, b2, eps, decay) = (learningRate, betas.0, betas.1, epsilon, weightDecay)
    let decoupled = decoupledWeightDecay
    let correction1 = 1 - powf(b1, Float(steps))
    let correction2Root = (1 - powf(b2, Float(steps))).squareRoot()
    forEachParameter(state: &slots, slots: 2) { w, g, slots in
      let (m, v) = (slots[0], slots[1])
      for i in 0..<w.count {
        var gi = g[i]
        if decoupled { w[i] *= 1 - lr * decay } else { gi += decay * w[i] }
        m[i] = b1 * m[i] + (1 - b1) * gi
        v[i] = b2 * v[i] + (1 - b2) * gi * gi
        w[i] -= lr / correction1 * m[i] / (v[i].squareRoot() / correction2Root + eps)
      }
    }
  }
}

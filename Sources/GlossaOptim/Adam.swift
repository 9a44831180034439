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
    let stepSize = lr / (1 - powf(b1, Float(steps)))
    let correction2Root = (1 - powf(b2, Float(steps))).squareRoot()
    // One update, on eight elements at a time (the lanes are independent).
    @inline(__always) func update(
      _ w: inout SIMD8<Float>, _ g: SIMD8<Float>, _ m: inout SIMD8<Float>, _ v: inout SIMD8<Float>
    ) {
      var g = g
      if decoupled { w *= 1 - lr * decay } else { g += decay * w }
      m = b1 * m + (1 - b1) * g
      v = b2 * v + (1 - b2) * g * g
      w -= stepSize * m / (v.squareRoot() / correction2Root + eps)
    }
    forEachParameter(state: &slots, slots: 2) { w, g, slots in
      let count = w.count
      guard count > 0 else { return }
      let (wp, gp) = (UnsafeMutableRawPointer(w.baseAddress!), UnsafeRawPointer(g.baseAddress!))
      let (mp, vp) = (
        UnsafeMutableRawPointer(slots[0].baseAddress!), UnsafeMutableRawPointer(slots[1].baseAddress!)
      )
      var i = 0
      while i + 8 <= count {
        let offset = i * 4
        var (wi, mi, vi) = (
          wp.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self),
          mp.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self),
          vp.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        )
        update(&wi, gp.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self), &mi, &vi)
        wp.storeBytes(of: wi, toByteOffset: offset, as: SIMD8<Float>.self)
        mp.storeBytes(of: mi, toByteOffset: offset, as: SIMD8<Float>.self)
        vp.storeBytes(of: vi, toByteOffset: offset, as: SIMD8<Float>.self)
        i += 8
      }
      guard i < count else { return }
      // The last few through lanes padded with zeros (their results are dropped).
      var (wi, gi, mi, vi) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
      for k in 0..<(count - i) {
        (wi[k], gi[k], mi[k], vi[k]) = (w[i + k], g[i + k], slots[0][i + k], slots[1][i + k])
      }
      update(&wi, gi, &mi, &vi)
      for k in 0..<(count - i) { (w[i + k], slots[0][i + k], slots[1][i + k]) = (wi[k], mi[k], vi[k]) }
    }
  }
}

import GlossaTensor

/// The lecture's gated recurrent unit, with reset and update gates and no separate cell
/// state:
///
///     r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)             reset gate
///     z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)             update gate
///     n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))  candidate
///     h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
///
/// Three gate blocks, stacked r, z, n in W_ih `[3 · hidden, input]` and W_hh
/// `[3 · hidden, hidden]` (PyTorch's layout). Because r multiplies W_hn h_{t−1} + b_hn, the
/// recurrent projection is kept apart from the input projection, and the fused step keeps
/// W_hn h_{t−1} + b_hn for the backward pass.
public struct GRUUnit: RecurrentUnit {
  /// The unit.
  public init() {}

  public var kind: RecurrentKind { .gru }
  public var gateCount: Int { 3 }
  public var keepsRecurrentProjectionApart: Bool { true }
  public var savedVectorsPerStep: Int { 1 }

  /// The GRU's step as PyTorch computes it: r = σ(xw_r + hw_r), z = σ(xw_z + hw_z),
  /// n = tanh(xw_n + r ⊙ hw_n), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
  ///
  /// - Parameters:
  ///   - xw: x_t W_ihᵀ + b_ih, the three gates' input parts side by side.
  ///   - hw: h_{t−1} W_hhᵀ + b_hh, kept apart from `xw` because the reset gate scales its
  ///     n part only.
  ///   - state: h_{t−1}, `[batch, hidden]`.
  public func referenceStep(
    inputProjection xw: Tensor, recurrentProjection hw: Tensor, state: RecurrentState
  ) -> RecurrentState {
    let H = state.hidden.shape[1]
    func gate(_ t: Tensor, _ k: Int) -> Tensor { t.slice(axis: 1, range: (k * H)..<((k + 1) * H)) }
    let r = (gate(xw, 0) + gate(hw, 0)).sigmoid()
    let z = (gate(xw, 1) + gate(hw, 1)).sigmoid()
    let n = (gate(xw, 2) + r * gate(hw, 2)).tanh()
    return RecurrentState(hidden: (1 - z) * n + z * state.hidden)
  }

  public func forward(_ step: FusedStep) {
    let (a, hw, h, H) = (step.gates, step.recurrentProjection, step.hidden, step.hiddenSize)
    let candidateProjection = step.saved  // W_hn h_{t−1} + b_hn
    for j in 0..<(2 * H) { a[j] += hw[j] }
    VectorMath.sigmoid(a, count: 2 * H)  // r, z
    candidateProjection.update(from: hw + 2 * H, count: H)
    for j in 0..<H { a[2 * H + j] += a[j] * candidateProjection[j] }
    VectorMath.tanh(a + 2 * H, count: H)  // n
    for j in 0..<H { h[j] = (1 - a[H + j]) * a[2 * H + j] + a[H + j] * h[j] }
  }

  public func backward(_ step: FusedStepGradient) {
    let (a, H) = (step.gates, step.hiddenSize)
    let (di, dr) = (step.inputGates, step.recurrentGates)
    for j in 0..<H {
      let (r, z, n) = (a[j], a[H + j], a[2 * H + j])
      let dh = step.hidden[j] + step.output[j]
      let dn = dh * (1 - z) * (1 - n * n)
      let dReset = dn * step.saved[j] * r * (1 - r)
      let dUpdate = dh * (step.previousHidden[j] - n) * z * (1 - z)
      (di[j], di[H + j], di[2 * H + j]) = (dReset, dUpdate, dn)
      // The recurrent projection's n block reaches the candidate through r.
      (dr[j], dr[H + j], dr[2 * H + j]) = (dReset, dUpdate, dn * r)
      step.hidden[j] = dh * z
    }
  }
}

/// A gated recurrent unit network: stacked layers of ``GRUUnit``, optionally bidirectional,
/// as `torch.nn.GRU`.
public final class GRU: RecurrentNetwork {
  /// A GRU.
  public init(
    inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false, batchFirst: Bool = false,
    dropout: Float = 0, merge: DirectionMerge = .concatenate, seed: UInt64 = 0
  ) {
    super.init(
      unit: GRUUnit(), inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
      bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout, merge: merge, seed: seed)
  }
}

import GlossaTensor

/// The lecture's long short-term memory unit, with input, forget and output gates and a
/// cell state that carries information across many steps:
///
///     i_t = σ(W_ii x_t + W_hi h_{t−1} + b_i)        input gate
///     f_t = σ(W_if x_t + W_hf h_{t−1} + b_f)        forget gate
///     g_t = tanh(W_ig x_t + W_hg h_{t−1} + b_g)     candidate cell
///     o_t = σ(W_io x_t + W_ho h_{t−1} + b_o)        output gate
///     c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
///     h_t = o_t ⊙ tanh(c_t)
///
/// Four gate blocks, stacked i, f, g, o in W_ih `[4 · hidden, input]` and W_hh
/// `[4 · hidden, hidden]` (PyTorch's layout). The fused step keeps c_{t−1} and tanh(c_t)
/// for the backward pass.
public struct LSTMUnit: RecurrentUnit {
  /// The unit.
  public init() {}

  public var kind: RecurrentKind { .lstm }
  public var gateCount: Int { 4 }
  public var hasCellState: Bool { true }
  public var savedVectorsPerStep: Int { 2 }

  public func referenceStep(
    inputProjection: Tensor, recurrentProjection: Tensor, state: RecurrentState
  ) -> RecurrentState {
    let pre = inputProjection + recurrentProjection
    let H = state.hidden.shape[1]
    func gate(_ k: Int) -> Tensor { pre.slice(axis: 1, range: (k * H)..<((k + 1) * H)) }
    let i = gate(0).sigmoid()
    let f = gate(1).sigmoid()
    let g = gate(2).tanh()
    let o = gate(3).sigmoid()
    let c = f * (state.cell ?? Tensor.zeros(state.hidden.shape)) + i * g
    return RecurrentState(hidden: o * c.tanh(), cell: c)
  }

  public func forward(_ step: FusedStep) {
    let (a, c, H) = (step.gates, step.cell, step.hiddenSize)
    let (previousCell, cellTanh) = (step.saved, step.saved + H)
    VectorMath.sigmoid(a, count: 2 * H)  // i, f
    VectorMath.tanh(a + 2 * H, count: H)  // g
    VectorMath.sigmoid(a + 3 * H, count: H)  // o
    previousCell.update(from: c, count: H)
    for j in 0..<H { c[j] = a[H + j] * c[j] + a[j] * a[2 * H + j] }  // c_t = f ⊙ c_{t−1} + i ⊙ g
    cellTanh.update(from: c, count: H)
    VectorMath.tanh(cellTanh, count: H)
    for j in 0..<H { step.hidden[j] = a[3 * H + j] * cellTanh[j] }  // h_t = o ⊙ tanh(c_t)
  }

  public func backward(_ step: FusedStepGradient) {
    let (a, H, d) = (step.gates, step.hiddenSize, step.inputGates)
    let (previousCell, cellTanh) = (step.saved, step.saved + H)
    for j in 0..<H {
      let (i, f, g, o) = (a[j], a[H + j], a[2 * H + j], a[3 * H + j])
      let dh = step.hidden[j] + step.output[j]
      let tc = cellTanh[j]
      // ∂c_t gathers the later steps' ∂c and this step's ∂h through h_t = o ⊙ tanh(c_t).
      let dc = step.cell[j] + dh * o * (1 - tc * tc)
      d[j] = dc * g * i * (1 - i)  // through σ′ = σ(1 − σ)
      d[H + j] = dc * previousCell[j] * f * (1 - f)
      d[2 * H + j] = dc * i * (1 - g * g)  // through tanh′ = 1 − tanh²
      d[3 * H + j] = dh * tc * o * (1 - o)
      step.cell[j] = dc * f  // ∂c_{t−1}
      step.hidden[j] = 0
    }
  }
}

/// A long short-term memory network: stacked layers of ``LSTMUnit``, optionally
/// bidirectional, as `torch.nn.LSTM`.
public final class LSTM: RecurrentNetwork {
  /// An LSTM.
  public init(
    inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false, batchFirst: Bool = false,
    dropout: Float = 0, merge: DirectionMerge = .concatenate, seed: UInt64 = 0
  ) {
    super.init(
      unit: LSTMUnit(), inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
      bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout, merge: merge, seed: seed)
  }
}

import Dispatch
import GlossaTensor

/// One direction of one recurrent layer over a whole sequence, as a single fused
/// operation with a hand-written backward pass (backpropagation through time).
///
/// Forward: one GEMM projects the inputs of all time steps, then each step does one GEMM
/// for the recurrent projection and one vectorizable loop for the gates. Backward walks
/// the steps in reverse, one GEMM per step for ∂h_{t−1}; the weight gradients are then
/// one GEMM each over all steps.
///
/// Sequences shorter than the batch's length (`lengths`) are masked: at a padded step the
/// state does not change and the output is zero, so a forward direction ends at each
/// sequence's own last step and a reverse direction starts there.
struct RecurrentKernel {
  let kind: RecurrentKind
  let steps: Int
  let batch: Int
  let inputSize: Int
  let hidden: Int
  let reverse: Bool
  /// `active[t * batch + b]`: whether step t is inside sequence b.
  let active: [Bool]

  var gates: Int { kind.gateCount * hidden }

  /// Runs the directions of one layer (one kernel each) over `x` and records them as one
  /// operation. `parameters[d]` holds direction d's h0, c0, W_ih, W_hh, b_ih, b_hh.
  /// Returns `[directions, steps + 2, batch, hidden]`: for each direction the outputs of
  /// every step, then the final hidden state, then the final cell state (zeros for units
  /// without one). With more than one BLAS thread the directions run in parallel.
  static func layer(_ kernels: [RecurrentKernel], _ x: Tensor, _ parameters: [[Tensor]]) -> Tensor {
    let inputs = [x] + parameters.flatMap { $0 }
    let saving = GradientMode.isEnabled && inputs.contains(where: \.requiresGrad)
    // Each direction writes its outputs and final states straight into its part of `stacked`.
    let packedCount = (kernels[0].steps + 2) * kernels[0].batch * kernels[0].hidden
    let stacked = Tensor.zeros([kernels.count, kernels[0].steps + 2, kernels[0].batch, kernels[0].hidden])
    let base = stacked.baseAddress
    let saved = concurrently(kernels.count) { d in
      let p = parameters[d]
      return withDenormalsFlushed {
        kernels[d].forward(
          x, p[0], p[1], p[2], p[3], p[4], p[5], into: base + d * packedCount, saving: saving)
      }
    }
    return Tensor.record(stacked, op: kernels[0].kind.rawValue, inputs: inputs) {
      g in
      let pieces = g.split(sizes: [Int](repeating: 1, count: kernels.count), axis: 0)
      let gradients = concurrently(kernels.count) { d in
        // Gradients decaying through time would otherwise crawl through denormal numbers.
        withDenormalsFlushed {
          kernels[d].backward(pieces[d], saved[d], x, parameters[d][2], parameters[d][3])
        }
      }
      // x feeds every direction: its gradient is the sum; the rest are per direction.
      let dx = gradients.dropFirst().reduce(gradients[0][0]) { $0 + $1[0] }
      return [dx] + gradients.flatMap { $0.dropFirst() }
    }
  }

  /// `body(0) … body(count − 1)`, in parallel (BLAS single-threaded inside) when BLAS may
  /// use more than one thread.
  private static func concurrently<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1, BLAS.threads > 1 else { return (0..<count).map(body) }
    return withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let work = body
      nonisolated(unsafe) var results = [T?](repeating: nil, count: count)
      results.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let slots = buffer
        BLAS.withSingleThread {
          DispatchQueue.concurrentPerform(iterations: count) { i in slots[i] = work(i) }
        }
      }
      return results.map { $0! }
    }
  }

  /// What the backward pass needs from the forward pass.
  struct Saved {
    /// The state each step started from, `[steps, batch, hidden]`.
    let previousHidden: Tensor
    /// The gate activations of each step, `[steps, batch, gates]`.
    let activations: Tensor
    /// LSTM: the cell state each step started from, and tanh of the one it ended with;
    /// GRU: W_hn h + b_hn.
    let extraBefore: Tensor
    let extraAfter: Tensor
  }

  /// The forward pass. For RNN and LSTM the recurrent GEMM adds h W_hhᵀ straight onto the
  /// input projection of the step (which already holds both biases), and the gates are
  /// squashed in place there: that buffer is also what the backward pass reads. GRU keeps
  /// W_hn h + b_hn apart, as its n gate needs it. Without `saving`, what only the backward
  /// pass needs (the previous states) is not kept. The outputs of every step, then the final
  /// h and c, go to `out` (`[steps + 2, batch, hidden]`, zeros, which inactive steps keep).
  func forward(
    _ x: Tensor, _ h0: Tensor, _ c0: Tensor, _ wih: Tensor, _ whh: Tensor, _ bih: Tensor,
    _ bhh: Tensor, into out: UnsafeMutablePointer<Float>, saving: Bool = true
  ) -> Saved {
    let (T, B, H, G) = (steps, batch, hidden, gates)
    let fused = kind != .gru
    let xw = projectInputs(x, wih, bih, fused ? bhh : nil)
    // Only the rows of active steps are written and read back.
    let previous = Tensor(uninitialized: saving ? [T, B, H] : [1])
    let activations = fused ? xw : Tensor(uninitialized: [T, B, G])
    let keptBefore = keepsBefore(saving: saving)
    let before = Tensor(uninitialized: keptBefore ? [T, B, H] : [1])
    let after = Tensor(uninitialized: kind.hasCellState ? [T, B, H] : [1])
    let h = h0.copy()
    let c = c0.copy()
    let hw = Tensor(uninitialized: fused ? [1] : [B, G])
    let pointers = [previous, activations, before, after, h, c, hw, xw, whh, bhh].map(\.baseAddress)
    let (hPrev, act, extra1, extra2, hp, cp, hwp, xwp, whhp, bhhp) = (
      pointers[0], pointers[1], pointers[2], pointers[3], pointers[4], pointers[5], pointers[6],
      pointers[7], pointers[8], pointers[9]
    )
    withExtendedLifetime((xw, h, c, hw)) {
      for s in 0..<T {
        let t = reverse ? T - 1 - s : s
        if saving { (hPrev + t * B * H).update(from: hp, count: B * H) }
        if fused {
          BLAS.gemm(
            transposeA: false, transposeB: true, m: B, n: G, k: H, a: hp, lda: H, b: whhp, ldb: H,
            beta: 1, c: xwp + t * B * G, ldc: G)
        } else {
          for b in 0..<B { (hwp + b * G).update(from: bhhp, count: G) }
          BLAS.gemm(
            transposeA: false, transposeB: true, m: B, n: G, k: H, a: hp, lda: H, b: whhp, ldb: H,
            beta: 1, c: hwp, ldc: G)
        }
        for b in 0..<B where active[t * B + b] {
          let row = (t * B + b)
          step(
            xw: xwp + row * G, hw: hwp + (fused ? 0 : b * G), h: hp + b * H, c: cp + b * H,
            act: act + row * G,
            extra1: extra1 + extraOffset(row, keptBefore),
            extra2: extra2 + extraOffset(row, kind.hasCellState), saving: saving)
          (out + row * H).update(from: hp + b * H, count: H)
        }
      }
      (out + T * B * H).update(from: hp, count: B * H)
      (out + (T + 1) * B * H).update(from: cp, count: B * H)
    }
    return Saved(previousHidden: previous, activations: activations, extraBefore: before, extraAfter: after)
  }

  /// Whether the per-step "before" buffer is kept: GRU uses W_hn h + b_hn during the step
  /// itself; LSTM keeps c_{t−1} only for the backward pass.
  private func keepsBefore(saving: Bool) -> Bool { kind == .gru || (kind == .lstm && saving) }

  /// Where a step's row starts in an extra buffer (always 0 in the 1-element placeholder
  /// of a unit that does not use it).
  private func extraOffset(_ row: Int, _ used: Bool) -> Int { used ? row * hidden : 0 }

  /// x W_ihᵀ + b_ih (+ b_hh when given) for all steps at once: `[steps · batch, gates]`.
  private func projectInputs(_ x: Tensor, _ wih: Tensor, _ bih: Tensor, _ bhh: Tensor?) -> Tensor {
    let rows = steps * batch
    let xw = Tensor(uninitialized: [rows, gates])
    let bias = withoutGradients { bhh.map { bih + $0 } ?? bih }
    let (xwp, bp) = (xw.baseAddress, bias.baseAddress)
    for r in 0..<rows { (xwp + r * gates).update(from: bp, count: gates) }
    BLAS.gemm(
      transposeA: false, transposeB: true, m: rows, n: gates, k: inputSize, a: x.baseAddress,
      lda: inputSize, b: wih.baseAddress, ldb: inputSize, beta: 1, c: xwp, ldc: gates)
    return xw
  }

  /// One step of one sequence: the unit's equations, updating h (and c) in place. For RNN
  /// and LSTM `act` already holds the gate pre-activations (it is the step's row of the
  /// input projection); GRU sums them from `xw` and `hw`. The vectorized sigmoid and tanh
  /// squash them in place.
  @inline(__always)
  private func step(
    xw: UnsafeMutablePointer<Float>, hw: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
    c: UnsafeMutablePointer<Float>, act: UnsafeMutablePointer<Float>, extra1: UnsafeMutablePointer<Float>,
    extra2: UnsafeMutablePointer<Float>, saving: Bool
  ) {
    let H = hidden
    switch kind {
    case .rnnTanh, .rnnReLU:
      // h_t = f(W_x x_t + W_h h_{t−1} + b)
      if kind == .rnnTanh {
        VectorMath.tanh(act, count: H)
      } else {
        for j in 0..<H { act[j] = max(act[j], 0) }
      }
      h.update(from: act, count: H)
    case .lstm:
      // i, f, o = σ(·); g = tanh(·); c_t = f ⊙ c_{t−1} + i ⊙ g; h_t = o ⊙ tanh(c_t)
      VectorMath.sigmoid(act, count: 2 * H)
      VectorMath.tanh(act + 2 * H, count: H)
      VectorMath.sigmoid(act + 3 * H, count: H)
      if saving { extra1.update(from: c, count: H) }
      for j in 0..<H { c[j] = act[H + j] * c[j] + act[j] * act[2 * H + j] }
      extra2.update(from: c, count: H)
      VectorMath.tanh(extra2, count: H)  // kept: tanh(c_t) serves the backward pass too
      for j in 0..<H { h[j] = act[3 * H + j] * extra2[j] }
    case .gru:
      // r, z = σ(·); n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)); h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
      for j in 0..<(2 * H) { act[j] = xw[j] + hw[j] }
      VectorMath.sigmoid(act, count: 2 * H)
      extra1.update(from: hw + 2 * H, count: H)
      for j in 0..<H { act[2 * H + j] = xw[2 * H + j] + act[j] * extra1[j] }
      VectorMath.tanh(act + 2 * H, count: H)
      for j in 0..<H { h[j] = (1 - act[H + j]) * act[2 * H + j] + act[H + j] * h[j] }
    }
  }

  /// BPTT: the gradients of x, h0, c0, W_ih, W_hh, b_ih, b_hh from the gradient of the
  /// packed output.
  func backward(_ g: Tensor, _ saved: Saved, _ x: Tensor, _ wih: Tensor, _ whh: Tensor) -> [Tensor] {
    let (T, B, H, G) = (steps, batch, hidden, gates)
    let gp = g.baseAddress
    let dh = Tensor(uninitialized: [B, H])
    let dc = Tensor(uninitialized: [B, H])
    dh.baseAddress.update(from: gp + T * B * H, count: B * H)
    dc.baseAddress.update(from: gp + (T + 1) * B * H, count: B * H)
    let dInput = Tensor.zeros([T, B, G])
    let dHidden = kind == .gru ? Tensor.zeros([T, B, G]) : dInput
    let (dhp, dcp, dgi, dgh) = (dh.baseAddress, dc.baseAddress, dInput.baseAddress, dHidden.baseAddress)
    let (hPrev, act) = (saved.previousHidden.baseAddress, saved.activations.baseAddress)
    let (extra1, extra2) = (saved.extraBefore.baseAddress, saved.extraAfter.baseAddress)
    return withExtendedLifetime((g, saved, x, wih, whh, dh, dc, dInput, dHidden)) {
      for s in stride(from: T - 1, through: 0, by: -1) {
        let t = reverse ? T - 1 - s : s
        for b in 0..<B where active[t * B + b] {
          let row = t * B + b
          stepBackward(
            dOut: gp + row * H, dh: dhp + b * H, dc: dcp + b * H, hPrev: hPrev + row * H,
            act: act + row * G, extra1: extra1 + extraOffset(row, keepsBefore(saving: true)),
            extra2: extra2 + extraOffset(row, kind.hasCellState), dgi: dgi + row * G, dgh: dgh + row * G)
        }
        // ∂h_{t−1} += ∂gates_hh W_hh (padded rows have zero gate gradients: their ∂h passes through).
        BLAS.gemm(
          transposeA: false, transposeB: false, m: B, n: H, k: G, a: dgh + t * B * G, lda: G,
          b: whh.baseAddress, ldb: H, beta: 1, c: dhp, ldc: H)
      }
      let rows = T * B
      let dWih = Tensor(uninitialized: [G, inputSize])
      let dWhh = Tensor(uninitialized: [G, H])
      let dX = Tensor(uninitialized: [T, B, inputSize])
      BLAS.gemm(
        transposeA: true, transposeB: false, m: G, n: inputSize, k: rows, a: dgi, lda: G, b: x.baseAddress,
        ldb: inputSize, c: dWih.baseAddress, ldc: inputSize)
      BLAS.gemm(
        transposeA: true, transposeB: false, m: G, n: H, k: rows, a: dgh, lda: G, b: hPrev, ldb: H,
        c: dWhh.baseAddress, ldc: H)
      BLAS.gemm(
        transposeA: false, transposeB: false, m: rows, n: inputSize, k: G, a: dgi, lda: G,
        b: wih.baseAddress, ldb: inputSize, c: dX.baseAddress, ldc: inputSize)
      let dBih = dInput.reshaped([rows, G]).sum(axis: 0)
      let dBhh = dHidden.reshaped([rows, G]).sum(axis: 0)
      return [dX, dh, dc, dWih, dWhh, dBih, dBhh]
    }
  }

  /// The gradients of one step of one sequence. On entry `dh`/`dc` hold ∂loss/∂h_t,
  /// ∂loss/∂c_t from later steps; on exit they hold the parts of ∂loss/∂h_{t−1},
  /// ∂loss/∂c_{t−1} that do not go through W_hh.
  @inline(__always)
  private func stepBackward(
    dOut: UnsafeMutablePointer<Float>, dh: UnsafeMutablePointer<Float>, dc: UnsafeMutablePointer<Float>,
    hPrev: UnsafeMutablePointer<Float>, act: UnsafeMutablePointer<Float>,
    extra1: UnsafeMutablePointer<Float>, extra2: UnsafeMutablePointer<Float>,
    dgi: UnsafeMutablePointer<Float>, dgh: UnsafeMutablePointer<Float>
  ) {
    let H = hidden
    switch kind {
    case .rnnTanh:
      for j in 0..<H {
        let a = act[j]
        dgi[j] = (dh[j] + dOut[j]) * (1 - a * a)
        dh[j] = 0
      }
    case .rnnReLU:
      for j in 0..<H {
        dgi[j] = act[j] > 0 ? dh[j] + dOut[j] : 0
        dh[j] = 0
      }
    case .lstm:
      for j in 0..<H {
        let (i, f, g, o) = (act[j], act[H + j], act[2 * H + j], act[3 * H + j])
        let dhj = dh[j] + dOut[j]
        let tc = extra2[j]  // tanh(c_t), saved by the forward pass
        let dcj = dc[j] + dhj * o * (1 - tc * tc)
        dgi[j] = dcj * g * i * (1 - i)
        dgi[H + j] = dcj * extra1[j] * f * (1 - f)
        dgi[2 * H + j] = dcj * i * (1 - g * g)
        dgi[3 * H + j] = dhj * tc * o * (1 - o)
        dc[j] = dcj * f
        dh[j] = 0
      }
    case .gru:
      for j in 0..<H {
        let (r, z, n) = (act[j], act[H + j], act[2 * H + j])
        let hn = extra1[j]
        let dhj = dh[j] + dOut[j]
        let dn = dhj * (1 - z) * (1 - n * n)
        let dr = dn * hn * r * (1 - r)
        let dz = dhj * (hPrev[j] - n) * z * (1 - z)
        (dgi[j], dgi[H + j], dgi[2 * H + j]) = (dr, dz, dn)
        (dgh[j], dgh[H + j], dgh[2 * H + j]) = (dr, dz, dn * r)
        dh[j] = dhj * z
      }
    }
  }
}

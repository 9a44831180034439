import Dispatch
import GlossaTensor

/// The generic recurrent layer: one direction of one layer over a whole sequence, as a
/// single fused operation with a hand-written backward pass (backpropagation through time),
/// for any ``RecurrentUnit``.
///
/// Forward: one GEMM projects the inputs of all time steps, then each step multiplies by W_hh
/// (packed once per call for a batch of four or more, ``PackedMatrix``) for the recurrent
/// projection and calls the unit's fused step for each sequence. Backward walks
/// the steps in reverse, one GEMM per step for ∂h_{t−1}; the weight gradients are then
/// one GEMM each over all steps.
///
/// Sequences shorter than the batch's length (`lengths`) are masked: at a padded step the
/// state does not change and the output is zero, so a forward direction ends at each
/// sequence's own last step and a reverse direction starts there.
struct RecurrentKernel {
  let unit: any RecurrentUnit
  let steps: Int
  let batch: Int
  let inputSize: Int
  let hidden: Int
  let reverse: Bool
  /// `active[t * batch + b]`: whether step t is inside sequence b.
  let active: [Bool]
  /// Whether the outputs of every step are written, or only the final state (inference of a
  /// many-to-one network's last layer; never recorded for a backward pass).
  var keepsOutputs = true

  /// Rows of `[batch, hidden]` written per direction: the kept outputs, then the final h and c.
  var outputRows: Int { (keepsOutputs ? steps : 0) + 2 }

  var gates: Int { unit.gateCount * hidden }
  /// Floats per row that the unit saves for its backward pass.
  var savedWidth: Int { unit.savedVectorsPerStep * hidden }

  /// Runs the directions of one layer (one kernel each) over `x` and records them as one
  /// operation. `parameters[d]` holds direction d's h0, c0, W_ih, W_hh, b_ih, b_hh.
  /// Returns `[directions, outputRows, batch, hidden]`: for each direction the outputs of
  /// every step (unless the kernels keep none), then the final hidden state, then the final
  /// cell state (zeros for units without one). With more than one BLAS thread the directions
  /// run in parallel.
  static func layer(_ kernels: [RecurrentKernel], _ x: Tensor, _ parameters: [[Tensor]]) -> Tensor {
    let inputs = [x] + parameters.flatMap { $0 }
    let saving = GradientMode.isEnabled && inputs.contains(where: \.requiresGrad)
    require(
      kernels[0].keepsOutputs || !saving, "RecurrentKernel: a layer that keeps no outputs cannot be recorded")
    // Each direction writes its outputs and final states straight into its part of `stacked`.
    let rows = kernels[0].outputRows
    let packedCount = rows * kernels[0].batch * kernels[0].hidden
    let stacked = Tensor.zeros([kernels.count, rows, kernels[0].batch, kernels[0].hidden])
    let base = stacked.baseAddress
    let saved = concurrentMap(kernels.count) { d in
      let p = parameters[d]
      return withDenormalsFlushed {
        kernels[d].forward(
          x, p[0], p[1], p[2], p[3], p[4], p[5], into: base + d * packedCount, saving: saving)
      }
    }
    return Tensor.record(stacked, op: kernels[0].unit.kind.rawValue, inputs: inputs) {
      g in
      let pieces = g.split(sizes: [Int](repeating: 1, count: kernels.count), axis: 0)
      let gradients = concurrentMap(kernels.count) { d in
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

  /// What the backward pass needs from the forward pass.
  struct Saved {
    /// The state each step started from, `[steps, batch, hidden]`.
    let previousHidden: Tensor
    /// The gate activations of each step, `[steps, batch, gates]`.
    let activations: Tensor
    /// What the unit kept of each step (``RecurrentUnit/savedVectorsPerStep``),
    /// `[steps, batch, saved]`.
    let unitSaved: Tensor
  }

  /// The forward pass. The input projection of all steps (which holds b_ih, and b_hh unless
  /// the unit keeps the recurrent projection apart) is the buffer the unit squashes its gates
  /// in, and what the backward pass reads. Each step's recurrent GEMM adds h W_hhᵀ onto it,
  /// or into a separate `[batch, gates]` buffer that starts from b_hh. Without `saving`, what
  /// only the backward pass needs is not kept: the unit's saved vectors go to one row per
  /// sequence, reused every step. The outputs of every step, then the final h and c, go to
  /// `out` (`[outputRows, batch, hidden]`, zeros, which inactive steps keep); without
  /// ``keepsOutputs``, only the final h and c.
  func forward(
    _ x: Tensor, _ h0: Tensor, _ c0: Tensor, _ wih: Tensor, _ whh: Tensor, _ bih: Tensor,
    _ bhh: Tensor, into out: UnsafeMutablePointer<Float>, saving: Bool = true
  ) -> Saved {
    let (T, B, H, G, S) = (steps, batch, hidden, gates, savedWidth)
    let apart = unit.keepsRecurrentProjectionApart
    let activations = projectInputs(x, wih, bih, apart ? nil : bhh)
    // Only the rows of active steps are written and read back.
    let previous = Tensor(uninitialized: saving ? [T, B, H] : [1])
    let unitSaved = Tensor(uninitialized: S == 0 ? [1] : saving ? [T, B, S] : [B, S])
    let h = h0.copy()
    let c = c0.copy()
    let recurrent = Tensor(uninitialized: apart ? [B, G] : [1])
    let (hPrev, gatesBase, savedBase) = (previous.baseAddress, activations.baseAddress, unitSaved.baseAddress)
    let (hp, cp, hwp, whhp, bhhp) = (
      h.baseAddress, c.baseAddress, recurrent.baseAddress, whh.baseAddress, bhh.baseAddress
    )
    let whhPacked = B >= Self.packingRows ? PackedMatrix(whh) : nil
    withExtendedLifetime((activations, previous, unitSaved, h, c, recurrent)) {
      for s in 0..<T {
        let t = reverse ? T - 1 - s : s
        if saving { (hPrev + t * B * H).update(from: hp, count: B * H) }
        Self.recur(
          unit: unit, batch: B, hidden: H, gates: gatesBase + t * B * G, recurrent: hwp, h: hp, c: cp,
          weight: whhp, packed: whhPacked, bias: bhhp,
          saved: { savedBase + (S == 0 ? 0 : (saving ? t * B + $0 : $0) * S) },
          isActive: { active[t * B + $0] })
        if keepsOutputs {
          for b in 0..<B where active[t * B + b] {
            (out + (t * B + b) * H).update(from: hp + b * H, count: H)
          }
        }
      }
      let final = out + (outputRows - 2) * B * H
      final.update(from: hp, count: B * H)
      (final + B * H).update(from: cp, count: B * H)
    }
    return Saved(previousHidden: previous, activations: activations, unitSaved: unitSaved)
  }

  /// The fewest rows for which the recurrent product runs on W_hh packed once
  /// (``PackedMatrix``): BLAS's GEMM copies all of W_hh into its own layout on every call,
  /// where the packed panels are made once for all the steps; with fewer rows the product is a
  /// matrix–vector product that BLAS runs without a copy, and packing would cost more than it
  /// saves over a short sequence (a whole-sequence call one token long doubled the time per
  /// token at batch 1).
  static let packingRows = 4

  /// One step of the recurrence for a batch, once the step's input projection is in `gates`
  /// (`[batch, gates]`): h_{t−1} W_hhᵀ (`weight`, or `packed` for ``packingRows`` rows or more)
  /// is added onto it, or written into `recurrent` from b_hh for a unit that keeps it apart,
  /// and the unit's fused step takes each active row's h (and c) from step t − 1 to step t in
  /// place. `saved(b)`: where row b's saved vectors go.
  /// The whole-sequence layer and ``RecurrentStepper`` both step through this.
  @inline(__always)
  static func recur(
    unit: any RecurrentUnit, batch B: Int, hidden H: Int, gates: UnsafeMutablePointer<Float>,
    recurrent: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
    weight: UnsafePointer<Float>, packed: PackedMatrix?, bias: UnsafePointer<Float>,
    saved: (Int) -> UnsafeMutablePointer<Float>,
    isActive: (Int) -> Bool
  ) {
    let G = unit.gateCount * H
    let apart = unit.keepsRecurrentProjectionApart
    if apart {
      for b in 0..<B { (recurrent + b * G).update(from: bias, count: G) }
    }
    if let packed, B >= Self.packingRows {
      packed.multiplyAdd(h, rows: B, into: apart ? recurrent : gates)
    } else {
      BLAS.gemm(
        transposeA: false, transposeB: true, m: B, n: G, k: H, a: h, lda: H, b: weight, ldb: H,
        beta: 1, c: apart ? recurrent : gates, ldc: G)
    }
    for b in 0..<B where isActive(b) {
      unit.forward(
        FusedStep(
          hiddenSize: H, gates: gates + b * G, recurrentProjection: recurrent + (apart ? b * G : 0),
          hidden: h + b * H, cell: c + b * H, saved: saved(b)))
    }
  }

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

  /// BPTT: the gradients of x, h0, c0, W_ih, W_hh, b_ih, b_hh from the gradient of the
  /// packed output.
  func backward(_ g: Tensor, _ saved: Saved, _ x: Tensor, _ wih: Tensor, _ whh: Tensor) -> [Tensor] {
    let (T, B, H, G, S) = (steps, batch, hidden, gates, savedWidth)
    let gp = g.baseAddress
    let dh = Tensor(uninitialized: [B, H])
    let dc = Tensor(uninitialized: [B, H])
    dh.baseAddress.update(from: gp + T * B * H, count: B * H)
    dc.baseAddress.update(from: gp + (T + 1) * B * H, count: B * H)
    let dInput = Tensor.zeros([T, B, G])
    let dRecurrent = unit.keepsRecurrentProjectionApart ? Tensor.zeros([T, B, G]) : dInput
    let (dhp, dcp, dgi, dgh) = (dh.baseAddress, dc.baseAddress, dInput.baseAddress, dRecurrent.baseAddress)
    let (hPrev, act, unitSaved) = (
      saved.previousHidden.baseAddress, saved.activations.baseAddress, saved.unitSaved.baseAddress
    )
    return withExtendedLifetime((g, saved, x, wih, whh, dh, dc, dInput, dRecurrent)) {
      for s in stride(from: T - 1, through: 0, by: -1) {
        let t = reverse ? T - 1 - s : s
        for b in 0..<B where active[t * B + b] {
          let row = t * B + b
          unit.backward(
            FusedStepGradient(
              hiddenSize: H, output: gp + row * H, hidden: dhp + b * H, cell: dcp + b * H,
              previousHidden: hPrev + row * H, gates: act + row * G, saved: unitSaved + row * S,
              inputGates: dgi + row * G, recurrentGates: dgh + row * G))
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
      let dBhh = dRecurrent.reshaped([rows, G]).sum(axis: 0)
      return [dX, dh, dc, dWih, dWhh, dBih, dBhh]
    }
  }
}

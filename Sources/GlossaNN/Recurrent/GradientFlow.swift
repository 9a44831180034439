import GlossaTensor

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How much of the loss's gradient reaches each earlier step of a recurrent network: the
/// lecture's vanishing and exploding gradients, measured. Backpropagation through time
/// multiplies the gradient by the step's Jacobian ∂h_t/∂h_{t−1} once per step, so its norm
/// shrinks (or grows) geometrically with the distance from the loss unless gates keep it.
public enum GradientFlow {
  /// ‖∂loss/∂h_t‖ for every step t of `inputs` (`[steps, batch, input]`) run through `cell`
  /// from `state` (zeros when nil), where the loss is `loss` of the final state (by default
  /// the sum of the final hidden state). Each h_t gets a zero tensor added that requires
  /// gradients, whose gradient is then ∂loss/∂h_t.
  ///
  /// The backward pass starts from the loss times 10²⁰, so that a vanished gradient stays above
  /// Float's smallest number, and the norms are divided by it again (an exploding one that
  /// overflows is measured again unscaled).
  public static func hiddenStateGradients(
    cell: RecurrentCell, inputs: Tensor, state: RecurrentState? = nil,
    loss: (RecurrentState) -> Tensor = { $0.hidden.sum() }
  ) -> [Double] {
    require(
      inputs.rank == 3 && inputs.shape[2] == cell.inputSize,
      "GradientFlow: inputs have shape \(inputs.shape), expected [steps, batch, \(cell.inputSize)]")
    let scaled = norms(cell, inputs, state, loss, scale: 1e20)
    return scaled.allSatisfy(\.isFinite) ? scaled : norms(cell, inputs, state, loss, scale: 1)
  }

  private static func norms(
    _ cell: RecurrentCell, _ inputs: Tensor, _ state: RecurrentState?, _ loss: (RecurrentState) -> Tensor,
    scale: Float
  ) -> [Double] {
    let (steps, batch) = (inputs.shape[0], inputs.shape[1])
    var state = state ?? cell.zeroState(batch: batch)
    var probes: [Tensor] = []
    for t in 0..<steps {
      state = cell(inputs.slice(axis: 0, range: t..<(t + 1)).reshaped([batch, cell.inputSize]), state: state)
      let probe = Tensor.zeros(state.hidden.shape, requiresGrad: true)
      probes.append(probe)
      state = RecurrentState(hidden: state.hidden + probe, cell: state.cell)
    }
    (loss(state) * scale).backward()
    return probes.map { probe in
      let sum = probe.grad.map { g in g.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } } ?? 0
      return sum.squareRoot() / Double(scale)
    }
  }

  /// The same for cells with fresh weights: `steps` steps of random inputs (features 8, batch
  /// 4) through a `kind` cell of `hidden` units, from `seed`; with `initialisations` above 1,
  /// the geometric mean over that many (seeds `seed`, `seed + 1`, …), since one random
  /// initialisation can keep much more or much less of the gradient than is typical.
  public static func hiddenStateGradients(
    kind: RecurrentKind, steps: Int, hidden: Int = 32, seed: UInt64 = 0, initialisations: Int = 1
  ) -> [Double] {
    require(initialisations >= 1, "GradientFlow: initialisations must be positive")
    var logSums = [Double](repeating: 0, count: steps)
    for k in 0..<UInt64(initialisations) {
      let cell = RecurrentCell(kind: kind, inputSize: 8, hiddenSize: hidden, seed: seed &+ 2 &* k)
      var generator = SeededGenerator(seed: seed &+ 2 &* k &+ 1)
      let norms = hiddenStateGradients(
        cell: cell, inputs: Tensor.uniform([steps, 4, 8], low: -1, high: 1, generator: &generator))
      for t in 0..<steps { logSums[t] += log(norms[t]) }
    }
    return logSums.map { exp($0 / Double(initialisations)) }
  }
}

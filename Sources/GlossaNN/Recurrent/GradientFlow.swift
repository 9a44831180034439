import GlossaTensor

/// How much of the loss's gradient reaches each earlier step of a recurrent network: the
/// lecture's vanishing and exploding gradients, measured. Backpropagation through time
/// multiplies the gradient by the step's Jacobian ∂h_t/∂h_{t−1} once per step, so its norm
/// shrinks (or grows) geometrically with the distance from the loss unless gates keep it.
public enum GradientFlow {
  /// ‖∂loss/∂h_t‖ for every step t of `inputs` (`[steps, batch, input]`) run through `cell`
  /// from `state` (zeros when nil), where the loss is `loss` of the final state (by default
  /// the sum of the final hidden state). Each h_t gets a zero tensor added that requires
  /// gradients, whose gradient is then ∂loss/∂h_t.
  public static func hiddenStateGradients(
    cell: RecurrentCell, inputs: Tensor, state: RecurrentState? = nil,
    loss: (RecurrentState) -> Tensor = { $0.hidden.sum() }
  ) -> [Double] {
    require(
      inputs.rank == 3 && inputs.shape[2] == cell.inputSize,
      "GradientFlow: inputs have shape \(inputs.shape), expected [steps, batch, \(cell.inputSize)]")
    let (steps, batch) = (inputs.shape[0], inputs.shape[1])
    var state = state ?? cell.zeroState(batch: batch)
    var probes: [Tensor] = []
    for t in 0..<steps {
      state = cell(inputs.slice(axis: 0, range: t..<(t + 1)).reshaped([batch, cell.inputSize]), state: state)
      let probe = Tensor.zeros(state.hidden.shape, requiresGrad: true)
      probes.append(probe)
      state = RecurrentState(hidden: state.hidden + probe, cell: state.cell)
    }
    loss(state).backward()
    return probes.map { probe in
      probe.grad.map { g in g.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() } ?? 0
    }
  }

  /// The same for a cell with fresh weights: `steps` steps of random inputs (features 8,
  /// batch 4) through a `kind` cell of 32 units, from `seed`.
  public static func hiddenStateGradients(kind: RecurrentKind, steps: Int, hidden: Int = 32, seed: UInt64 = 0)
    -> [Double]
  {
    let cell = RecurrentCell(kind: kind, inputSize: 8, hiddenSize: hidden, seed: seed)
    var generator = SeededGenerator(seed: seed &+ 1)
    let inputs = Tensor.uniform([steps, 4, 8], low: -1, high: 1, generator: &generator)
    // The loss is scaled so that a vanished gradient stays above Float's smallest number
    // (ratios between steps are unaffected).
    return hiddenStateGradients(cell: cell, inputs: inputs) { $0.hidden.sum() * 1e20 }.map { $0 / 1e20 }
  }
}

import GlossaNN
import GlossaTensor
import Testing

@Suite struct GradientFlowTests {
  @Test func gradientsFadeWithDistanceFromTheLossFasterInATanhRNNThanInAnLSTM() {
    let rnn = GradientFlow.hiddenStateGradients(kind: .rnnTanh, steps: 60, seed: 3)
    let lstm = GradientFlow.hiddenStateGradients(kind: .lstm, steps: 60, seed: 3)
    #expect(rnn.count == 60 && lstm.count == 60)
    // The last step's gradient is the loss's own (all ones: √(4 · 32)).
    #expect(abs(rnn[59] - (4.0 * 32).squareRoot()) < 1e-3 && abs(lstm[59] - (4.0 * 32).squareRoot()) < 1e-3)
    #expect(rnn[0] < rnn[59] && lstm[0] < lstm[59])
    #expect(lstm[0] / lstm[59] > 100 * (rnn[0] / rnn[59]), "RNN \(rnn[0]), LSTM \(lstm[0])")
  }

  @Test func theProbesMatchTheGradientOfAnUnrolledReferenceStep() {
    let cell = RecurrentCell(kind: .gru, inputSize: 3, hiddenSize: 4, seed: 5)
    var generator = SeededGenerator(seed: 6)
    let inputs = Tensor.uniform([3, 2, 3], low: -1, high: 1, generator: &generator)
    let flow = GradientFlow.hiddenStateGradients(cell: cell, inputs: inputs)
    // Step 1 (the middle one): perturb h₁ and watch the loss move, for each coordinate.
    var squares = 0.0
    for k in 0..<8 {
      func loss(_ shift: Float) -> Double {
        var state = cell.zeroState(batch: 2)
        for t in 0..<3 {
          state = cell.referenceStep(
            inputs.slice(axis: 0, range: t..<(t + 1)).reshaped([2, 3]), state: state)
          if t == 1 {
            var h = state.hidden.scalars
            h[k] += shift
            state = RecurrentState(hidden: Tensor(h, shape: [2, 4]), cell: state.cell)
          }
        }
        return Double(state.hidden.sum().item)
      }
      let slope = (loss(1e-2) - loss(-1e-2)) / 2e-2
      squares += slope * slope
    }
    #expect(
      abs(flow[1] - squares.squareRoot()) < 1e-2 * max(1, squares.squareRoot()),
      "\(flow[1]) vs \(squares.squareRoot())")
  }
}

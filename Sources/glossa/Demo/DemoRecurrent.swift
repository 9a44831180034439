import Foundation
import GlossaNN

/// Part 4: recurrent networks and the vanishing gradient.
extension Demo {
  func recurrentNetworks(_ run: DemoRun) {
    run.part("4. Recurrent networks")
    let steps = run.quick ? 60 : 100
    run.heading("Backpropagation through time: how much gradient reaches each step (\(steps) steps)")
    run.say("A loss on the last hidden state h_T sends its gradient back one step at a time, multiplied")
    run.say("by ∂h_t/∂h_{t−1} at each: with a plain tanh RNN it shrinks geometrically (vanishes); the")
    run.say("LSTM's and GRU's gates let more of it through. 32 units, PyTorch's initialisation, random")
    run.say("inputs; each figure the geometric mean over 8 initialisations.")
    let cells: [(name: String, kind: RecurrentKind)] = [
      ("RNN (tanh)", .rnnTanh), ("LSTM", .lstm), ("GRU", .gru),
    ]
    let series = cells.map {
      (
        $0.name,
        GradientFlow.hiddenStateGradients(kind: $0.kind, steps: steps, seed: seed, initialisations: 8)
      )
    }
    let shown = [steps, steps - 10, steps - 25, steps - 50, 1].filter { $0 >= 1 }
    run.say("step t".padded(10) + series.map { $0.0.padded(14) }.joined())
    for t in shown {
      run.say(String(t).padded(10) + series.map { String(format: "%.2e", $0.1[t - 1]).padded(14) }.joined())
    }
    run.figure(
      "gradient-flow.svg", DiagnoseGradients.plot(series),
      caption:
        "‖∂loss/∂h_t‖ by time step, on a log scale: the farther a step from the loss, the less it learns — unless gates keep the gradient."
    )
    let decay = series.map { $0.1[0] / $0.1[steps - 1] }
    run.check(
      "the LSTM's gradient outlives the RNN's", decay[1] > 100 * decay[0],
      "over \(steps) steps the gradient kept \(String(format: "%.1e", decay[1])) of itself in the LSTM, "
        + "\(String(format: "%.1e", decay[0])) in the RNN")
    run.say("glossa diagnose gradients measures the same for any cell length, or for a trained model.")
  }
}

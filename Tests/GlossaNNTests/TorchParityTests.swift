import Foundation
import GlossaNN
import GlossaTensor
import TestSupport
import Testing

/// Parity with PyTorch over every `mlp` and `embedding_cross_entropy` case of the torch
/// manifest. Shapes, activations, losses and reductions come from each case's entry.
@Suite struct TorchParityTests {

  /// The fixtures' network: l1 → activation → l2.
  final class MLP: Module {
    let l1: Linear
    let activation: Activation
    let l2: Linear
    init(inputs: Int, hidden: Int, outputs: Int, activation: Activation.Kind) {
      l1 = Linear(inputs, hidden)
      self.activation = Activation(activation)
      l2 = Linear(hidden, outputs)
    }
    func callAsFunction(_ x: Tensor) -> Tensor { l2(activation(l1(x))) }
  }

  @Test func multilayerPerceptrons() throws {
    guard let cases = try Fixtures.torchCases(where: { $0 == "mlp" }) else { return }
    #expect(!cases.isEmpty)
    for entry in cases {
      let name = entry["file"] as? String ?? "?"
      let file = try Fixtures.torchFile(entry)
      let input = try file.required("input")
      let w1 = try file.required("l1.weight")
      let w2 = try file.required("l2.weight")
      let kind = try #require(Activation.Kind(rawValue: entry["activation"] as? String ?? ""), "\(name)")
      let reduction = try #require(Reduction(rawValue: entry["reduction"] as? String ?? ""), "\(name)")
      let model = MLP(inputs: w1.shape[1], hidden: w1.shape[0], outputs: w2.shape[0], activation: kind)
      try model.loadStateDict(file.floatTensors(), strict: false)
      input.requiresGrad = true
      let output = model(input)
      expectClose(output, try file.required("output"), .forward, "\(name) output")
      expectClose(output.softmax(), try file.required("softmax"), .forward, "\(name) softmax")
      expectClose(output.logSoftmax(), try file.required("log_softmax"), .forward, "\(name) log_softmax")
      let loss: Tensor
      switch entry["loss"] as? String {
      case "cross_entropy":
        loss = crossEntropy(output, targets: try #require(try file.integers("target")), reduction: reduction)
      case "mse": loss = mseLoss(output, try file.required("target"), reduction: reduction)
      case "bce_with_logits":
        loss = binaryCrossEntropyWithLogits(output, try file.required("target"), reduction: reduction)
      case let other:
        Issue.record("\(name): unknown loss \(other ?? "nil")")
        continue
      }
      expectClose(loss, try file.required("loss"), .forward, "\(name) loss")
      loss.backward()
      expectClose(input.grad, try file.required("grad.input"), .gradient, "\(name) grad.input")
      for (parameter, tensor) in model.namedParameters() {
        expectClose(
          tensor.grad, try file.required("grad.\(parameter)"), .gradient, "\(name) grad.\(parameter)")
      }
    }
  }

  /// Embedding (with a padding index) → Linear → cross-entropy with ignored targets.
  final class Tagger: Module {
    let embedding: Embedding
    let linear: Linear
    init(vocabulary: Int, dimension: Int, classes: Int, padding: Int) {
      embedding = Embedding(count: vocabulary, dimension: dimension, paddingIndex: padding)
      linear = Linear(dimension, classes)
    }
  }

  @Test func embeddingCrossEntropy() throws {
    guard let cases = try Fixtures.torchCases(where: { $0 == "embedding_cross_entropy" }) else { return }
    #expect(!cases.isEmpty)
    for entry in cases {
      let name = entry["file"] as? String ?? "?"
      let file = try Fixtures.torchFile(entry)
      let table = try file.required("embedding.weight")
      let classes = try file.required("linear.weight").shape[0]
      let padding = try #require(entry["padding_idx"] as? Int, "\(name)")
      let model = Tagger(
        vocabulary: table.shape[0], dimension: table.shape[1], classes: classes, padding: padding)
      try model.loadStateDict(file.floatTensors(), strict: false)
      let ids = try #require(try file.integers("ids"))
      let idShape = try #require(file.entries["ids"]).shape
      let logits = model.linear(model.embedding(ids, shape: idShape))
      expectClose(logits, try file.required("logits"), .forward, "\(name) logits")
      let targets = try #require(try file.integers("target"))
      let loss = crossEntropy(
        logits, targets: targets, ignoreIndex: entry["ignore_index"] as? Int ?? -100,
        reduction: Reduction(rawValue: entry["reduction"] as? String ?? "mean") ?? .mean)
      expectClose(loss, try file.required("loss"), .forward, "\(name) loss")
      loss.backward()
      for (parameter, tensor) in model.namedParameters() {
        expectClose(
          tensor.grad, try file.required("grad.\(parameter)"), .gradient, "\(name) grad.\(parameter)")
      }
    }
  }
}

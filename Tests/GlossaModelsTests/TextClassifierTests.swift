import Foundation
import GlossaData
import GlossaNN
import GlossaTensor
import Testing

@testable import GlossaModels

/// Fixtures of this test target: small samples of ../shared/data (see Fixtures/README.md).
enum ModelFixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")
  static let sentiment = folder.appendingPathComponent("sentiment.tsv")
  static let austen = folder.appendingPathComponent("austen.txt")

  static func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-models-\(UUID().uuidString)-\(name)")
  }
}

/// The text classifier trained end to end on real review snippets.
@Suite struct TextClassifierTests {
  func data() throws -> (train: [LabeledText], validation: [LabeledText]) {
    let examples = try LabeledText.read(ModelFixtures.sentiment)
    let split = DataSplit.shuffled(count: examples.count, validation: 0.2, seed: 1)
    return (split.train.map { examples[$0] }, split.validation.map { examples[$0] })
  }

  func settings(epochs: Int = 3) -> TextClassifierTraining {
    var training = TextClassifierTraining()
    training.architecture.embeddingDimension = 16
    training.architecture.hidden = 16
    training.architecture.maximumLength = 40
    training.batchSize = 32
    training.learningRate = 0.01
    training.trainer.epochs = epochs
    training.seed = 5
    return training
  }

  @Test func theLossFallsAndASavedModelPredictsTheSame() throws {
    let (train, validation) = try data()
    let output = ModelFixtures.temporary("classifier")
    defer { try? FileManager.default.removeItem(at: output) }
    let metrics = output.appendingPathComponent("metrics.jsonl")
    var training = settings()
    training.trainer.showsProgress = false
    let (model, report) = try training.train(
      train, validation: validation, output: output, metricsFile: metrics)
    let losses = report.result.epochs.map(\.trainLoss)
    #expect(losses.count == 3 && losses[2] < losses[0], "training losses \(losses)")
    let lines = try String(contentsOf: metrics, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 3 && lines[0].contains("\"train_loss\""))
    let loaded = try TextClassifier(contentsOf: output)
    let texts = validation.prefix(20).map(\.text)
    let (a, b) = (model.predict(texts), loaded.predict(texts))
    #expect(a == b)
    #expect(a.allSatisfy { abs($0.ranked.map(\.probability).reduce(0, +) - 1) < 1e-4 })
    #expect(try loaded.evaluate(validation).metrics == report.validation)
    #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("loss.svg").path))
  }

  @Test func aResumedRunEqualsAnUninterruptedOneBitForBit() throws {
    let (train, validation) = try data()
    let (whole, split) = (ModelFixtures.temporary("whole"), ModelFixtures.temporary("split"))
    defer { for url in [whole, split] { try? FileManager.default.removeItem(at: url) } }
    var three = settings(epochs: 3)
    three.architecture.dropout = 0.3
    three.trainer.showsProgress = false
    let (uninterrupted, _) = try three.train(train, validation: validation, output: whole)
    var two = three
    two.trainer.epochs = 2
    _ = try two.train(train, validation: validation, output: split)
    let (resumed, _) = try three.train(train, validation: validation, output: split, resume: true)
    let (x, y) = (
      try TrainerTestSupport.checkpointWeights(whole), try TrainerTestSupport.checkpointWeights(split)
    )
    #expect(x.keys.sorted() == y.keys.sorted())
    for (name, tensor) in x { #expect(tensor.scalars == y[name]?.scalars, "\(name) differs") }
    #expect(uninterrupted.predict(["a warm , funny film"]) == resumed.predict(["a warm , funny film"]))
  }

  @Test func aCheckpointOfAnotherConfigurationIsRefused() throws {
    let (train, validation) = try data()
    let output = ModelFixtures.temporary("other")
    defer { try? FileManager.default.removeItem(at: output) }
    var one = settings(epochs: 1)
    one.trainer.showsProgress = false
    _ = try one.train(train, validation: validation, output: output)
    var other = one
    other.architecture.hidden = 24
    other.trainer.epochs = 2
    #expect {
      try other.train(train, validation: validation, output: output, resume: true)
    } throws: { error in
      "\(error)".contains("trainer.json: model") && "\(error)".contains("the checkpoint was made with")
    }
    // The earlier run's files are intact.
    #expect(try TextClassifier(contentsOf: output).configuration.hidden == 16)
  }

  @Test func badDataIsNamed() throws {
    let (train, validation) = try data()
    #expect(throws: TrainingDataError.unknownLabel("meh", known: ["neg", "pos"])) {
      try settings(epochs: 1).train(
        train, validation: validation + [LabeledText(label: "meh", text: "so so")])
    }
    #expect(throws: TrainingDataError.empty("the training examples")) {
      try settings(epochs: 1).train([], validation: validation)
    }
  }
}

enum TrainerTestSupport {
  /// The model tensors of the checkpoint in `output`.
  static func checkpointWeights(_ output: URL) throws -> [String: Tensor] {
    try SafeTensors(contentsOf: output.appendingPathComponent("checkpoint/model.safetensors")).floatTensors()
  }
}

/// The trainer's stopping rules, on the classifier.
@Suite struct TrainerBehaviourTests {
  func data() throws -> (train: [LabeledText], validation: [LabeledText]) { try TextClassifierTests().data() }

  @Test func earlyStoppingKeepsTheBestEpoch() throws {
    let (train, validation) = try data()
    let output = ModelFixtures.temporary("early")
    defer { try? FileManager.default.removeItem(at: output) }
    var training = TextClassifierTests().settings(epochs: 30)
    training.trainer.showsProgress = false
    training.trainer.monitor = "loss"
    training.trainer.monitorMaximizes = false
    training.trainer.patience = 2
    training.learningRate = 0.05  // overfits within a few epochs
    let (model, report) = try training.train(train, validation: validation, output: output)
    let losses = report.result.epochs.map { $0.validation!["loss"]! }
    #expect(report.result.stoppedEarly && losses.count < 30)
    let best = losses.indices.min { losses[$0] < losses[$1] }! + 1
    #expect(report.result.bestEpoch == best && losses.count == best + 2, "\(losses)")
    // The model returned and the one saved are the best epoch's, not the last.
    let saved = try TextClassifier(contentsOf: output)
    let (_, loss) = try saved.evaluate(validation)
    #expect(abs(loss - losses[best - 1]) < 1e-6)
    #expect(model.predict(["fine"]) == saved.predict(["fine"]))
  }

  @Test func aDivergingRunStopsAndKeepsTheLastGoodCheckpoint() throws {
    let (train, validation) = try data()
    let output = ModelFixtures.temporary("nan")
    defer { try? FileManager.default.removeItem(at: output) }
    var training = TextClassifierTests().settings(epochs: 1)
    training.trainer.showsProgress = false
    _ = try training.train(train, validation: validation, output: output)
    let before = try TrainerTestSupport.checkpointWeights(output)
    let model = try Data(contentsOf: output.appendingPathComponent("model.safetensors"))
    // A second run into the same directory diverges in its first epoch.
    training.optimizer = .sgd
    training.learningRate = .infinity
    #expect {
      try training.train(train, validation: validation, output: output)
    } throws: { error in
      guard let error = error as? TrainingError, case .nonFiniteLoss(let epoch, _, _) = error else {
        return false
      }
      return epoch == 1 && "\(error)".contains("try a smaller learning rate or gradient clipping")
    }
    let after = try TrainerTestSupport.checkpointWeights(output)
    for (name, tensor) in before { #expect(after[name]?.scalars == tensor.scalars, "\(name) changed") }
    #expect(try Data(contentsOf: output.appendingPathComponent("model.safetensors")) == model)
  }

  @Test func pretrainedVectorsOfAnotherDimensionAreRefused() throws {
    let (train, validation) = try data()
    let vectors = ModelFixtures.temporary("vectors.txt")
    defer { try? FileManager.default.removeItem(at: vectors) }
    try "2 3\nfilm 0.1 0.2 0.3\ngood 0.3 0.2 0.1\n".write(to: vectors, atomically: true, encoding: .utf8)
    var training = TextClassifierTests().settings(epochs: 1)
    training.pretrained = vectors
    #expect {
      try training.train(train, validation: validation)
    } throws: { error in
      "\(error)".contains(vectors.path) && "\(error)".contains("vectors of 3 numbers, the embedding has 16")
    }
  }

  @Test func pretrainedVectorsStartTheEmbeddingAndFreezingKeepsThem() throws {
    let (train, validation) = try data()
    let vectors = ModelFixtures.temporary("vectors16.txt")
    defer { try? FileManager.default.removeItem(at: vectors) }
    let row = (0..<16).map { String(Float($0) / 10) }.joined(separator: " ")
    try "2 16\nfilm \(row)\nunseenword \(row)\n".write(to: vectors, atomically: true, encoding: .utf8)
    var training = TextClassifierTests().settings(epochs: 1)
    training.trainer.showsProgress = false
    training.pretrained = vectors
    training.freezeEmbeddings = true
    let (model, report) = try training.train(train, validation: validation)
    let id = try #require(model.tokenizer.model.id(of: "film"))
    let weights = model.embedding.weight.scalars
    #expect(Array(weights[(id * 16)..<(id * 16 + 16)]) == (0..<16).map { Float($0) / 10 })
    #expect(report.missingPretrained.map { $0 > 0 } == true)
    #expect(!model.parameters().contains { $0 === model.embedding.weight })
  }
}

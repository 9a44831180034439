import Foundation
import GlossaData
import GlossaTensor
import Testing

@testable import GlossaModels

/// Model directories refuse what does not fit, naming the file and the field.
@Suite struct ModelDirectoryTests {
  /// A small untrained classifier saved in a fresh directory.
  func saved() throws -> (TextClassifier, URL) {
    var configuration = TextClassifierConfiguration(labels: ["neg", "pos"])
    (configuration.hidden, configuration.embeddingDimension) = (4, 3)
    let tokenizer = try TokenizerSource.words(minimumFrequency: 1).tokenizerFile(
      training: ["a fine film", "a dull film"], special: ["[PAD]", "[UNK]"])
    configuration.vocabularySize = 6
    let model = try TextClassifier(configuration: configuration, tokenizerFile: tokenizer, seed: 1)
    let directory = ModelFixtures.temporary("directory")
    try model.save(to: directory)
    return (model, directory)
  }

  func config(_ directory: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("config.json")))
      as! [String: Any]
  }

  func write(_ object: [String: Any], _ directory: URL) throws {
    try JSONSerialization.data(withJSONObject: object).write(
      to: directory.appendingPathComponent("config.json"))
  }

  func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch { return "\(error)" }
  }

  @Test func aSavedModelLoadsAndPredictsTheSame() throws {
    let (model, directory) = try saved()
    defer { try? FileManager.default.removeItem(at: directory) }
    let loaded = try TextClassifier(contentsOf: directory)
    #expect(loaded.predict(["a fine film"]) == model.predict(["a fine film"]))
    #expect(loaded.namedTensors().map(\.name).contains("rnn.weight_ih_l0_reverse"))
    let header = try ModelDirectory.header(of: directory)
    #expect(
      header.task == "text-classification" && header.format == 1 && header.glossaVersion == glossaVersion)
  }

  @Test func aConfigThatDoesNotMatchTheWeightsIsNamedBeforeItsModelIsBuilt() throws {
    let (_, directory) = try saved()
    defer { try? FileManager.default.removeItem(at: directory) }
    let original = try config(directory)
    // Sizes the weights do not have, up to ones no memory holds (2⁴⁰ units, 2⁶⁰ words): refused
    // from the weights' shapes, before the model would reserve memory for them.
    for (field, value, expected) in [
      ("hidden", 5, "model.hidden: 5, but rnn.weight_hh_l0 in model.safetensors is [16, 4]"),
      ("hidden", 1 << 40, "model.hidden: \(1 << 40), but rnn.weight_hh_l0 in model.safetensors is [16, 4]"),
      ("vocab_size", 1 << 60, "model.vocab_size: \(1 << 60), but embedding.weight in model.safetensors is"),
      ("layers", 1_000_000, "model.layers: 1000000, but model.safetensors has no rnn.weight_hh_l999999"),
    ] as [(String, Int, String)] {
      var object = original
      var model = object["model"] as! [String: Any]
      model[field] = value
      object["model"] = model
      try write(object, directory)
      let text = message { _ = try TextClassifier(contentsOf: directory) }
      #expect(text.contains("config.json: " + expected), "\(text)")
    }
  }

  @Test func weightsThatDoNotMatchTheConfigAreNamed() throws {
    let (model, directory) = try saved()
    defer { try? FileManager.default.removeItem(at: directory) }
    // The input weights of another width, with the sizes the configuration checks unchanged.
    var state = model.stateDict()
    state["rnn.weight_ih_l0"] = Tensor.zeros([16, 5])
    try SafeTensors(stateDict: state).write(to: directory.appendingPathComponent("model.safetensors"))
    let text = message { _ = try TextClassifier(contentsOf: directory) }
    #expect(
      text.contains("model.safetensors: rnn.weight_ih_l0: shape [16, 5], the configuration gives [16, 3]"),
      "\(text)")
  }

  @Test func aMissingKeyANewerFormatAndAnotherTaskAreNamed() throws {
    let (_, directory) = try saved()
    defer { try? FileManager.default.removeItem(at: directory) }
    let original = try config(directory)
    var object = original
    var model = object["model"] as! [String: Any]
    model.removeValue(forKey: "labels")
    object["model"] = model
    try write(object, directory)
    #expect(
      message { _ = try TextClassifier(contentsOf: directory) }.hasSuffix(
        "config.json: model.labels: missing"))
    object = original
    object["format"] = 7
    try write(object, directory)
    #expect(message { _ = try SavedModel(contentsOf: directory) }.contains("config.json: format: format 7"))
    object = original
    object["task"] = "speech"
    try write(object, directory)
    #expect(
      message { _ = try SavedModel(contentsOf: directory) }.contains(
        "task: 'speech' is not a task this Glossa knows"))
    #expect(message { _ = try LanguageModel(contentsOf: directory) }.contains("expected 'language-model'"))
  }

  @Test func weightsOfAnotherDtypeOrWithExtraTensorsAreNamed() throws {
    let (model, directory) = try saved()
    defer { try? FileManager.default.removeItem(at: directory) }
    let weights = directory.appendingPathComponent("model.safetensors")
    var file = SafeTensors(stateDict: model.stateDict())
    file.set("output.weight", model.output.weight, as: .F16)
    try file.write(to: weights)
    #expect(
      message { _ = try TextClassifier(contentsOf: directory) }.contains(
        "output.weight: dtype F16, expected F32"))
    file = SafeTensors(stateDict: model.stateDict())
    file.set("extra.weight", Tensor([1]))
    try file.write(to: weights)
    #expect(
      message { _ = try TextClassifier(contentsOf: directory) }.contains(
        "extra.weight: a tensor the configuration's model does not have"))
    try FileManager.default.removeItem(at: weights)
    #expect(
      message { _ = try TextClassifier(contentsOf: directory) }.contains(
        "model.safetensors: missing from the model directory"))
    #expect(
      message { _ = try TextClassifier(contentsOf: directory.appendingPathComponent("nowhere")) }.contains(
        "no model directory here"))
  }
}

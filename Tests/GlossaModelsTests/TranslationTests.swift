import Foundation
import GlossaData
import GlossaModels
import GlossaNN
import Testing

/// The translation model trained end to end on Bible verses (Fixtures/en-es.tsv): the loss
/// falls, decoding is consistent (beam 1 is greedy, a batch is each sentence alone, a reloaded
/// model translates the same), bad input is refused with a clear message.
@Suite(.serialized) struct TranslationTests {
  static let pairs = try! ParallelPair.read(ModelFixtures.folder.appendingPathComponent("en-es.tsv"))

  static func settings(_ attention: AttentionKind?, epochs: Int = 4) -> Seq2SeqTraining {
    var training = Seq2SeqTraining()
    training.architecture.hidden = 48
    training.architecture.embeddingDimension = 32
    training.architecture.attention = attention
    training.architecture.dropout = 0.1
    training.learningRate = 3e-3
    training.trainer.epochs = epochs
    training.trainer.showsProgress = false
    training.seed = 2
    // Two parts per batch whatever the machine's threads, so that the model is the same everywhere.
    training.trainer.parallelParts = 2
    return training
  }

  /// A model trained on 360 pairs (Luong general attention), validated on 40.
  nonisolated(unsafe) static let trained: (Seq2Seq, TrainingResult) = {
    let (model, _, result) = try! settings(.luongGeneral).train(
      Array(pairs.prefix(360)), validation: Array(pairs.suffix(40)))
    return (model, result)
  }()

  static var sources: [String] { pairs.suffix(12).map(\.source) }

  @Test(arguments: [AttentionKind.bahdanau, .luongDot, nil])
  func theLossFalls(attention: AttentionKind?) throws {
    let (_, _, result) = try Self.settings(attention, epochs: 3).train(
      Array(Self.pairs.prefix(200)), validation: Array(Self.pairs.suffix(20)))
    let losses = result.epochs.map(\.trainLoss)
    #expect(losses.last! < losses.first! - 0.5, "\(losses)")
  }

  @Test func theTrainedModelLearns() throws {
    let losses = Self.trained.1.epochs.map(\.trainLoss)
    #expect(losses.last! < losses.first! - 1, "\(losses)")
    let validation = Self.trained.1.epochs.compactMap { $0.validation?["loss"] }
    #expect(validation.last! < validation.first!, "\(validation)")
  }

  /// Each batch cut into parts, each part's pass on its own replica of the model: without
  /// dropout the parts' gradients, summed by their shares of the target tokens, are the whole
  /// batch's; with it, the same seed and parts give the same model bit for bit.
  @Test func dataParallelPartsTrainAsTheWholeBatch() throws {
    func trained(parts: Int, dropout: Float) throws -> (Seq2Seq, TrainingResult) {
      var training = Self.settings(.bahdanau, epochs: 1)
      training.architecture.dropout = dropout
      training.trainer.parallelParts = parts
      let (model, _, result) = try training.train(
        Array(Self.pairs.prefix(96)), validation: Array(Self.pairs.suffix(8)))
      return (model, result)
    }
    let (whole, wholeResult) = try trained(parts: 1, dropout: 0)
    let (split, splitResult) = try trained(parts: 3, dropout: 0)
    #expect(abs(wholeResult.epochs[0].trainLoss - splitResult.epochs[0].trainLoss) < 1e-4)
    var largest: Float = 0
    for (a, b) in zip(whole.namedParameters(), split.namedParameters()) {
      #expect(a.name == b.name)
      for (x, y) in zip(a.tensor.scalars, b.tensor.scalars) { largest = max(largest, abs(x - y)) }
    }
    #expect(largest < 1e-4, "the largest difference in a parameter: \(largest)")
    let (first, _) = try trained(parts: 2, dropout: 0.3)
    let (second, _) = try trained(parts: 2, dropout: 0.3)
    #expect(zip(first.parameters(), second.parameters()).allSatisfy { $0.scalars == $1.scalars })
  }

  @Test func beamOneIsGreedyDecoding() throws {
    let model = Self.trained.0
    var greedy = DecodingOptions()
    greedy.strategy = .greedy
    var beam = greedy
    beam.strategy = .beam(size: 1)
    for penalty in [LengthPenalty.none, .gnmt(alpha: 0.6)] {
      (greedy.lengthPenalty, beam.lengthPenalty) = (penalty, penalty)
      let a = try model.translate(Self.sources, options: greedy)
      let b = try model.translate(Self.sources, options: beam)
      #expect(a.map(\.ids) == b.map(\.ids))
      #expect(zip(a, b).allSatisfy { abs($0.logProbability - $1.logProbability) < 1e-6 })
    }
  }

  @Test(arguments: [DecodingStrategy.greedy, .beam(size: 4)])
  func aBatchTranslatesEachSentenceAsAlone(strategy: DecodingStrategy) throws {
    let model = Self.trained.0
    var options = DecodingOptions()
    options.strategy = strategy
    let together = try model.translate(Self.sources, options: options)
    options.batchSize = 1
    let alone = try model.translate(Self.sources, options: options)
    #expect(together.map(\.ids) == alone.map(\.ids))
    #expect(together.map(\.text) == alone.map(\.text))
  }

  @Test func aWiderBeamFindsAsLikelyATranslation() throws {
    let model = Self.trained.0
    var options = DecodingOptions()
    options.lengthPenalty = .none
    options.strategy = .greedy
    let greedy = try model.translate(Self.sources, options: options)
    options.strategy = .beam(size: 5)
    let beam = try model.translate(Self.sources, options: options)
    // Without a length penalty the beam's best is at least as likely as greedy's, on the whole.
    let (g, b) = (greedy.map(\.logProbability).reduce(0, +), beam.map(\.logProbability).reduce(0, +))
    #expect(b >= g - 1e-6, "beam \(b) against greedy \(g)")
  }

  @Test func repeatedNGramsAreBlocked() throws {
    let model = Self.trained.0
    var options = DecodingOptions()
    options.blockRepeatedNGrams = 2
    for translation in try model.translate(Self.sources, options: options) {
      let bigrams = zip(translation.ids, translation.ids.dropFirst()).map { "\($0) \($1)" }
      #expect(Set(bigrams).count == bigrams.count, "\(translation.tokens)")
    }
  }

  @Test func attentionWeightsArePerOutputTokenAndSumToOne() throws {
    let model = Self.trained.0
    var options = DecodingOptions()
    options.keepsAttention = true
    let translation = try model.translate([Self.sources[0]], options: options)[0]
    let rows = try #require(translation.attention)
    #expect(rows.count == translation.ids.count + 1 || rows.count == translation.ids.count)
    for row in rows {
      #expect(row.count == translation.sourceTokens.count)
      #expect(abs(row.reduce(0, +) - 1) < 1e-4)
    }
  }

  @Test func aSavedModelReloadsAndTranslatesIdentically() throws {
    let model = Self.trained.0
    let directory = ModelFixtures.temporary("translation")
    defer { try? FileManager.default.removeItem(at: directory) }
    try model.save(to: directory)
    for name in ["config.json", "source_tokenizer.json", "target_tokenizer.json", "model.safetensors"] {
      #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), "\(name)")
    }
    guard case .translator(let loaded) = try SavedModel(contentsOf: directory) else {
      Issue.record("not loaded as a translation model")
      return
    }
    #expect(loaded.configuration == model.configuration)
    let before = try model.translate(Self.sources)
    let after = try loaded.translate(Self.sources)
    #expect(before.map(\.text) == after.map(\.text))
    #expect(before.map(\.score) == after.map(\.score))
  }

  @Test func aSharedTokenizerIsSavedOnce() throws {
    var training = Self.settings(.bahdanau, epochs: 1)
    training.architecture.sharedTokenizer = true
    training.architecture.tieEmbeddings = true
    training.architecture.embeddingDimension = 48
    let directory = ModelFixtures.temporary("shared")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (model, _, _) = try training.train(
      Array(Self.pairs.prefix(60)), validation: Array(Self.pairs.suffix(10)), output: directory)
    #expect(model.sourceTokenizer.model.vocabularySize == model.targetTokenizer.model.vocabularySize)
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("tokenizer.json").path))
    #expect(
      !FileManager.default.fileExists(atPath: directory.appendingPathComponent("source_tokenizer.json").path))
    let loaded = try Seq2Seq(contentsOf: directory)
    #expect(
      try loaded.translate([Self.sources[1]]).map(\.text) == model.translate([Self.sources[1]]).map(\.text))
  }

  @Test func aSourceLongerThanTheLimitIsAnErrorOrCut() throws {
    var training = Self.settings(.bahdanau, epochs: 1)
    training.architecture.maximumSourceLength = 12
    let pairs = Array(Self.pairs.prefix(40))
    #expect(throws: DataFileError.self) { try training.train(pairs, validation: pairs) }
    training.truncate = true
    let (model, _, _) = try training.train(pairs, validation: Array(pairs.prefix(5)))
    let long = String(repeating: "and God said ", count: 10)
    #expect(throws: TranslationInputError.sourceTooLong(tokens: 30, limit: 12)) {
      try model.translate([long])
    }
    var options = DecodingOptions()
    options.truncate = true
    #expect(try model.translate([long], options: options)[0].sourceTokens.count == 12)
    #expect(throws: TranslationInputError.emptySource) { try model.translate(["  "]) }
  }

  @Test func badParallelTextIsNamedByFileAndLine() throws {
    func message(_ text: String, source: Int = 1, target: Int = 2) -> String {
      do {
        _ = try ParallelPair.parse(text, file: "pairs.tsv", sourceColumn: source, targetColumn: target)
        return ""
      } catch { return "\(error)" }
    }
    #expect(message("a\tb\nno tab here\n").contains("pairs.tsv:2"))
    #expect(message("a\tb\nno tab here\n").contains("no tab"))
    #expect(message("a\t\t\n").contains("target sentence is empty"))
    #expect(message("a\tb\n", source: 1, target: 3).contains("expected 3 tab-separated fields"))
    let swapped = try ParallelPair.parse("x\ty\tz\n", sourceColumn: 3, targetColumn: 1)
    #expect(swapped == [ParallelPair(source: "z", target: "x", extra: ["y"])])
  }

  @Test func bleuOfTheModelIsSacreBLEUsOfItsTranslations() throws {
    let model = Self.trained.0
    let pairs = Array(Self.pairs.suffix(40))
    let evaluation = try model.evaluate(pairs)
    let hypotheses = try model.translate(pairs.map(\.source)).map(\.text)
    #expect(evaluation.bleu == (try BLEU(hypotheses: hypotheses, references: [pairs.map(\.target)])))
    #expect(evaluation.sentences == 40)
  }
}

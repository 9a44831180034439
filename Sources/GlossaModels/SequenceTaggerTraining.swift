import Foundation
import GlossaData
import GlossaEmbeddings
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaText

/// How a ``SequenceTagger`` is trained on tagged sentences.
public struct SequenceTaggerTraining {
  /// The architecture (its tags and characters are filled in from the data).
  public var architecture = SequenceTaggerConfiguration(tags: [])
  /// Words seen fewer times in training are unknown (their characters still speak for them).
  public var minimumFrequency = 1
  /// A word2vec, GloVe or fastText vector file to start the word embedding from.
  public var pretrained: URL?
  /// Examples per update.
  public var batchSize = 32
  /// The optimizer and its learning rate.
  public var optimizer = OptimizerKind.adam
  public var learningRate: Float = 1e-3
  /// The seed of the initialisation, the batch orders and the dropout masks.
  public var seed: UInt64 = 0
  /// The epochs, clipping, early stopping and logging; the monitored metric is token
  /// accuracy, or entity F1 when the tags name entities (`B-…`).
  public var trainer = TrainerSettings()

  /// Settings with the defaults.
  public init() {}

  /// Trains a tagger on `train`, choosing the epoch by `validation` (see
  /// ``TextClassifierTraining/train(_:validation:output:metricsFile:resume:)`` for the rest).
  public func train(
    _ train: [TaggedSentence], validation: [TaggedSentence], output: URL? = nil, metricsFile: URL? = nil,
    resume: Bool = false
  ) throws -> (SequenceTagger, metrics: TaggingMetrics, result: TrainingResult) {
    guard !train.isEmpty else { throw TrainingDataError.empty("the training sentences") }
    guard !validation.isEmpty else { throw TrainingDataError.empty("the validation sentences") }
    let tags = Array(Set(train.flatMap(\.tags))).sorted()
    if let unseen = validation.lazy.flatMap(\.tags).first(where: { !tags.contains($0) }) {
      throw TrainingDataError.unknownLabel(unseen, known: tags)
    }
    var configuration = architecture
    configuration.tags = tags
    let counter = TokenCounter()
    let characters = TokenCounter()
    for word in train.lazy.flatMap(\.tokens) {
      counter.add(configuration.lowercase ? word.lowercased() : word)
      for character in word { characters.add(String(character)) }
    }
    configuration.characters =
      Vocabulary(counts: characters.counted, specialTokens: [], unknownToken: nil).tokens
    let tokenizerFile: Data
    if resume, let output {
      tokenizerFile = try Data(contentsOf: try ModelDirectory.file("tokenizer.json", in: output))
      configuration.characters = try ModelDirectory.configuration(CharactersOnly.self, in: output).model
        .characters
    } else {
      let words = Vocabulary(
        counts: counter.counted, specialTokens: ["[PAD]", "[UNK]"], unknownToken: "[UNK]",
        minimumFrequency: minimumFrequency)
      tokenizerFile = try TokenizerFile.data(
        for: WordLevelModel(vocabulary: words.ids, unknownToken: "[UNK]"), pipeline: .words,
        lowercase: configuration.lowercase, specialTokens: ["[PAD]", "[UNK]"])
    }
    let model = try SequenceTagger(configuration: configuration, tokenizerFile: tokenizerFile, seed: seed)
    if let pretrained { _ = try initialise(model, from: pretrained) }
    var settings = trainer
    let entities = tags.contains { $0.hasPrefix("B-") || $0.hasPrefix("S-") }
    if settings.monitor == "loss" && !settings.monitorMaximizes {
      (settings.monitor, settings.monitorMaximizes) = (entities ? "entity_f1" : "accuracy", true)
    }
    let task = TaggingTask(
      model: model, train: train, validation: validation, batchSize: batchSize, seed: seed)
    let result = try runTraining(
      task, model: model, optimizer: optimizer.make(model.parameters(), learningRate: learningRate),
      settings: settings,
      configuration: try runConfiguration(
        task: SequenceTagger.task, architecture: configuration,
        ["batch_size": String(batchSize), "optimizer": optimizer.rawValue, "seed": String(seed)]),
      unit: "sentences", output: output, metricsFile: metricsFile, resume: resume)
    return (model, try model.evaluate(validation, training: train), result)
  }

  /// Copies each known word's pretrained vector into the embedding; returns how many had none.
  private func initialise(_ model: SequenceTagger, from url: URL) throws -> Int {
    let vectors = try EmbeddingFile(contentsOf: url).vectors
    let dimension = model.embedding.weight.shape[1]
    guard vectors.dimension == dimension else {
      throw ModelFileError(
        file: url.path, message: "vectors of \(vectors.dimension) numbers, the embedding has \(dimension)")
    }
    var missing = 0
    model.embedding.weight.withUnsafeMutableBufferPointer { table in
      for id in 2..<model.words.count {
        guard let word = model.words.token(for: id), let row = vectors.index(of: word) else {
          missing += 1
          continue
        }
        for d in 0..<dimension { table[id * dimension + d] = vectors.vectors[row * dimension + d] }
      }
    }
    return missing
  }

  private struct CharactersOnly: Decodable {
    struct Model: Decodable { var characters: [String] }
    var model: Model
  }
}

extension SequenceTagger {
  /// The metrics of the tagger on tagged sentences (evaluation mode); `training`, when given,
  /// says which words were seen in training, for the accuracy on unseen words. A tag the model
  /// never saw is an error.
  public func evaluate(_ sentences: [TaggedSentence], training: [TaggedSentence]? = nil) throws
    -> TaggingMetrics
  {
    if let unseen = sentences.lazy.flatMap(\.tags).first(where: { !configuration.tags.contains($0) }) {
      throw TrainingDataError.unknownLabel(unseen, known: configuration.tags)
    }
    let predicted = tag(sentences.map(\.tokens))
    let seen = training.map { Set($0.lazy.flatMap(\.tokens)) }
    let unseen = seen.map { seen in sentences.map { $0.tokens.map { !seen.contains($0) } } }
    return TaggingMetrics(actual: sentences.map(\.tags), predicted: predicted, unseen: unseen)
  }
}

/// A tagger's training, as the ``Trainer`` runs it.
final class TaggingTask: TrainingTask {
  typealias Batch = (sentences: [[String]], tags: [[Int]])

  let tagger: SequenceTagger
  var model: any Module { tagger }
  private let examples: [(tokens: [String], tags: [Int])]
  private let validation: [TaggedSentence]
  private let training: [TaggedSentence]
  private let order: BatchOrder

  init(
    model: SequenceTagger, train: [TaggedSentence], validation: [TaggedSentence], batchSize: Int, seed: UInt64
  ) {
    tagger = model
    let index = Dictionary(uniqueKeysWithValues: model.configuration.tags.enumerated().map { ($1, $0) })
    examples = train.map { ($0.tokens, $0.tags.map { index[$0]! }) }
    (self.validation, training) = (validation, train)
    order = BatchOrder(descent: .miniBatch(batchSize), seed: seed)
  }

  var batchesPerEpoch: Int? {
    let size = max(1, order.descent.batchSize(for: examples.count))
    return (examples.count + size - 1) / size
  }

  func batches(epoch: Int, skipping: Int) throws -> BatchIterator<Batch> {
    var iterator = order.batches(count: examples.count, epoch: epoch).dropFirst(skipping).makeIterator()
    return BatchIterator { [examples] in
      iterator.next().map { indices in
        (indices.map { examples[$0].tokens }, indices.map { examples[$0].tags })
      }
    }
  }

  func loss(_ batch: Batch) throws -> (loss: Tensor, examples: Int) {
    (tagger.loss(batch.sentences, tags: batch.tags), batch.sentences.count)
  }

  /// Consecutive runs of the batch's sentences, each loss's share its sentences over the
  /// batch's under a CRF (a mean over sentences), else its tokens (a mean over tokens).
  func split(_ batch: Batch, into parts: Int) -> [(batch: Batch, share: Float)] {
    let size = { (tags: ArraySlice<[Int]>) in
      Float(self.tagger.crf == nil ? tags.reduce(0) { $0 + $1.count } : tags.count)
    }
    let total = size(batch.tags[...])
    return consecutiveRuns(batch.sentences.count, parts).map { run in
      ((Array(batch.sentences[run]), Array(batch.tags[run])), size(batch.tags[run]) / total)
    }
  }

  func validate() throws -> [String: Double] {
    let metrics = try tagger.evaluate(validation, training: training)
    let loss = withoutGradients {
      stride(from: 0, to: validation.count, by: 64).reduce(0.0) { total, start in
        let chunk = validation[start..<min(start + 64, validation.count)]
        let index = Dictionary(uniqueKeysWithValues: tagger.configuration.tags.enumerated().map { ($1, $0) })
        let loss = tagger.loss(chunk.map(\.tokens), tags: chunk.map { $0.tags.map { index[$0]! } })
        return total + Double(loss.item) * Double(chunk.count)
      } / Double(validation.count)
    }
    var result = ["loss": loss, "accuracy": metrics.accuracy]
    if let unseen = metrics.unseenAccuracy { result["unseen_accuracy"] = unseen }
    if !metrics.perType.isEmpty { result["entity_f1"] = metrics.entityF1 }
    return result
  }
}

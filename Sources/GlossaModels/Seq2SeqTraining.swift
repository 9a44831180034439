import Foundation
import GlossaData
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaText

/// How a ``Seq2Seq`` translation model is trained on sentence pairs: teacher forcing (the
/// decoder reads the true previous token, or with probability 1 − ratio its own prediction),
/// cross-entropy over the target tokens and the end token, the epoch kept by validation BLEU.
public struct Seq2SeqTraining {
  /// The architecture (the vocabularies' sizes are filled in from the tokenizers).
  public var architecture = Seq2SeqConfiguration()
  /// The tokenizers of the two sides (the source's serves both when the architecture shares
  /// one, trained on both sides' sentences); words by default, case kept.
  public var sourceTokenizer = TokenizerSource.words(
    minimumFrequency: 1, vocabularySize: 30_000, lowercase: false)
  public var targetTokenizer = TokenizerSource.words(
    minimumFrequency: 1, vocabularySize: 30_000, lowercase: false)
  /// The probability that the decoder reads the true previous token rather than its own guess.
  public var teacherForcingRatio: Float = 1
  /// Whether a training source longer than the architecture's limit is cut (otherwise an error).
  public var truncate = false
  /// Pairs per update.
  public var batchSize = 32
  /// The optimizer and its learning rate.
  public var optimizer = OptimizerKind.adam
  public var learningRate: Float = 1e-3
  /// The seed of the initialisation, the batch orders, the dropout masks and teacher forcing.
  public var seed: UInt64 = 0
  /// How the validation sentences are translated for BLEU after each epoch (greedy by default).
  public var validationDecoding: DecodingOptions
  /// The epochs, clipping, early stopping and logging; the monitored metric is validation BLEU.
  public var trainer: TrainerSettings

  /// Settings with the defaults.
  public init() {
    trainer = TrainerSettings()
    trainer.clipNorm = 1
    (trainer.monitor, trainer.monitorMaximizes) = ("bleu", true)
    validationDecoding = DecodingOptions()
    validationDecoding.strategy = .greedy
  }

  /// Trains on `train`, choosing the epoch by `validation` (see
  /// ``TextClassifierTraining/train(_:validation:output:metricsFile:resume:)`` for `output`,
  /// `metricsFile` and `resume`); returns the best model and its BLEU and chrF on `validation`.
  public func train(
    _ train: [ParallelPair], validation: [ParallelPair], output: URL? = nil, metricsFile: URL? = nil,
    resume: Bool = false
  ) throws -> (Seq2Seq, evaluation: TranslationEvaluation, result: TrainingResult) {
    guard !train.isEmpty else { throw TrainingDataError.empty("the training pairs") }
    guard !validation.isEmpty else { throw TrainingDataError.empty("the validation pairs") }
    let shared = architecture.sharedTokenizer
    var files: [Data]
    if resume, let output {
      let names = Seq2Seq.tokenizerNames(shared: shared)
      files = try names.map { try Data(contentsOf: try ModelDirectory.file($0, in: output)) }
      files = [files[0], files[files.count - 1]]
    } else if shared {
      let both = try sourceTokenizer.tokenizerFile(
        training: train.map(\.source) + train.map(\.target), special: Seq2Seq.specialTokens)
      files = [both, both]
    } else {
      files = [
        try sourceTokenizer.tokenizerFile(training: train.map(\.source), special: Seq2Seq.specialTokens),
        try targetTokenizer.tokenizerFile(training: train.map(\.target), special: Seq2Seq.specialTokens),
      ]
    }
    let model = try Seq2Seq(
      configuration: architecture, sourceTokenizer: files[0], targetTokenizer: files[1], seed: seed)
    // Every source must fit the model (or be cut): checked before the first epoch, not after it.
    func ids(_ pairs: [ParallelPair], _ name: String) throws -> [([Int], [Int])] {
      try pairs.enumerated().map { k, pair in
        let source: [Int]
        do {
          source = try model.sourceIDs(pair.source, truncate: truncate)
        } catch let error as TranslationInputError {
          throw DataFileError(file: "\(name) pair \(k + 1)", message: error.description)
        }
        guard !source.isEmpty else {
          throw DataFileError(file: "\(name) pair \(k + 1)", message: "the source has no tokens")
        }
        return (source, model.targetIDs(pair.target))
      }
    }
    let examples = try ids(train, "training")
    _ = try ids(validation, "validation")
    var decoding = validationDecoding
    decoding.truncate = truncate
    let task = TranslationTask(
      model: model, examples: examples, validation: validation, decoding: decoding,
      teacherForcingRatio: teacherForcingRatio, batchSize: batchSize, seed: seed)
    let result = try runTraining(
      task, model: model, optimizer: optimizer.make(model.parameters(), learningRate: learningRate),
      settings: trainer,
      configuration: try runConfiguration(
        task: Seq2Seq.task, architecture: model.configuration,
        [
          "batch_size": String(batchSize), "optimizer": optimizer.rawValue, "seed": String(seed),
          "teacher_forcing": String(teacherForcingRatio),
        ]),
      unit: "sentences", output: output, metricsFile: metricsFile, resume: resume)
    return (model, try model.evaluate(validation, options: decoding), result)
  }
}

/// A translation model's figures on held-out pairs.
public struct TranslationEvaluation: Sendable, Codable {
  /// Corpus BLEU and chrF against the pairs' targets.
  public var bleu: BLEU
  public var chrf: CHRF
  /// The pairs.
  public var sentences: Int
}

extension Seq2Seq {
  /// BLEU and chrF of the model's translations of the pairs' sources against their targets
  /// (evaluation mode).
  public func evaluate(_ pairs: [ParallelPair], options: DecodingOptions = DecodingOptions()) throws
    -> TranslationEvaluation
  {
    let hypotheses = try translate(pairs.map(\.source), options: options).map(\.text)
    let references = [pairs.map(\.target)]
    return TranslationEvaluation(
      bleu: try BLEU(hypotheses: hypotheses, references: references),
      chrf: try CHRF(hypotheses: hypotheses, references: references), sentences: pairs.count)
  }

  /// The mean cross-entropy per target token (its end token included) of a batch, with teacher
  /// forcing: at each step the decoder reads the true previous token, or, with probability
  /// 1 − `teacherForcingRatio` (drawn from `generator`), the token it found most likely.
  func loss(
    sources: [[Int]], targets: [[Int]], teacherForcingRatio: Float = 1,
    generator random: inout SeededGenerator
  ) -> Tensor {
    let (memory, initial) = encode(sources)
    let inputs = PaddedBatch(targets.map { [startID] + $0 }, paddingID: paddingID)
    let (steps, batch) = (inputs.steps, inputs.batch)
    var expected = [Int](repeating: -100, count: steps * batch)
    for (b, target) in targets.enumerated() {
      for (t, id) in (target + [endID]).enumerated() { expected[t * batch + b] = id }
    }
    let embedded = dropout(targetEmbedding(inputs.ids, shape: [steps, batch]))
    var state = initial
    var outputs: [Tensor] = []
    var guessed: [Int]?
    for t in 0..<steps {
      let input =
        guessed.map { dropout(targetEmbedding($0, shape: [batch])) }
        ?? embedded.slice(axis: 0, range: t..<(t + 1)).reshaped([batch, configuration.embeddingDimension])
      let (output, next, _) = step(input, state: state, memory: memory)
      outputs.append(output)
      state = next
      guessed = nil
      if teacherForcingRatio < 1 && t + 1 < steps && random.nextUnitFloat() >= teacherForcingRatio {
        guessed = withoutGradients { self.generator(output).argmax(axis: 1) }
      }
    }
    // Scores over the vocabulary for the real positions alone (padding has no target): the
    // output layer is the largest product of a step, and a batch's padding about a quarter of it.
    let real = expected.indices.filter { expected[$0] >= 0 }
    let states = dropout(Tensor.stack(outputs, axis: 0)).reshaped([steps * batch, configuration.hidden])
    let logits = self.generator(states.indexSelect(axis: 0, indices: real))
    return crossEntropy(logits, targets: real.map { expected[$0] })
  }

  static let task = "translation"

  /// The tokenizer files of a model directory: one shared `tokenizer.json`, or a source and a target.
  static func tokenizerNames(shared: Bool) -> [String] {
    shared ? ["tokenizer.json"] : ["source_tokenizer.json", "target_tokenizer.json"]
  }

  /// Saves the model as a model directory: `config.json`, its tokenizer files and `model.safetensors`.
  public func save(to directory: URL) throws {
    let names = Self.tokenizerNames(shared: configuration.sharedTokenizer)
    try ModelDirectory.write(
      configuration: ModelDirectory.SavedConfiguration(task: Self.task, model: configuration),
      tokenizers: Array(zip(names, [sourceTokenizerFile, targetTokenizerFile])), model: self, to: directory)
  }

  /// Loads a model saved by ``save(to:)``.
  public convenience init(contentsOf directory: URL) throws {
    let saved = try ModelDirectory.architecture(Seq2SeqConfiguration.self, task: Self.task, in: directory)
    try ModelDirectory.check(
      [
        .init(
          field: "source_vocab_size", value: saved.sourceVocabularySize, tensor: "encoder.embedding.weight",
          axis: 0),
        .init(
          field: "target_vocab_size", value: saved.targetVocabularySize, tensor: "decoder.embedding.weight",
          axis: 0),
        .init(
          field: "embedding_dim", value: saved.embeddingDimension, tensor: "encoder.embedding.weight", axis: 1
        ),
      ]
        + ModelDirectory.recurrentSizes(
          "decoder.rnn", hidden: ("hidden", saved.hidden), layers: ("layers", saved.layers)),
      dropout: saved.dropout, in: directory)
    let files = try Self.tokenizerNames(shared: saved.sharedTokenizer).map {
      try Data(contentsOf: try ModelDirectory.file($0, in: directory))
    }
    do {
      try self.init(
        configuration: saved, sourceTokenizer: files[0], targetTokenizer: files[files.count - 1])
    } catch { throw ModelDirectory.located(error, in: directory) }
    try ModelDirectory.loadWeights(into: self, from: directory)
    eval()
  }
}

/// A translation model's training, as the ``Trainer`` runs it.
final class TranslationTask: TrainingTask {
  typealias Batch = (sources: [[Int]], targets: [[Int]], number: Int)

  let translator: Seq2Seq
  var model: any Module { translator }
  private let examples: [(source: [Int], target: [Int])]
  private let validation: [ParallelPair]
  private let decoding: DecodingOptions
  private let teacherForcingRatio: Float
  private let order: BatchOrder
  private let seed: UInt64

  init(
    model: Seq2Seq, examples: [([Int], [Int])], validation: [ParallelPair], decoding: DecodingOptions,
    teacherForcingRatio: Float, batchSize: Int, seed: UInt64
  ) {
    translator = model
    self.examples = examples.map { (source: $0.0, target: $0.1) }
    (self.validation, self.decoding, self.teacherForcingRatio, self.seed) = (
      validation, decoding, teacherForcingRatio, seed
    )
    order = BatchOrder(descent: .miniBatch(batchSize), seed: seed)
  }

  var batchesPerEpoch: Int? {
    let size = max(1, order.descent.batchSize(for: examples.count))
    return (examples.count + size - 1) / size
  }

  func batches(epoch: Int, skipping: Int) throws -> BatchIterator<Batch> {
    var iterator = order.batches(count: examples.count, epoch: epoch).enumerated().dropFirst(skipping)
      .makeIterator()
    return BatchIterator { [examples] in
      iterator.next().map { number, indices in
        (indices.map { examples[$0].source }, indices.map { examples[$0].target }, epoch << 32 | number)
      }
    }
  }

  func replica() throws -> TranslationTask? {
    let copy = try Seq2Seq(
      configuration: translator.configuration, sourceTokenizer: translator.sourceTokenizerFile,
      targetTokenizer: translator.targetTokenizerFile)
    copy.shareTensors(of: translator)
    return TranslationTask(
      model: copy, examples: examples.map { ($0.source, $0.target) }, validation: validation,
      decoding: decoding,
      teacherForcingRatio: teacherForcingRatio, batchSize: order.descent.batchSize(for: examples.count),
      seed: seed)
  }

  /// Consecutive runs of the batch's pairs, each loss's share its count of target tokens (the
  /// end tokens included) over the batch's: the loss is a mean over target tokens.
  func split(_ batch: Batch, into parts: Int) -> [(batch: Batch, share: Float)] {
    let tokens = batch.targets.reduce(0) { $0 + $1.count + 1 }
    return consecutiveRuns(batch.sources.count, parts).enumerated().map { k, range in
      let part = (Array(batch.sources[range]), Array(batch.targets[range]), batch.number &* 8 &+ k)
      return (part, Float(part.1.reduce(0) { $0 + $1.count + 1 }) / Float(tokens))
    }
  }

  func loss(_ batch: Batch) throws -> (loss: Tensor, examples: Int) {
    // Teacher forcing's draws depend on the seed and the batch alone (a resumed run draws the same).
    var generator = SeededGenerator(seed: seed &+ 0x5EED &+ UInt64(batch.number))
    let loss = translator.loss(
      sources: batch.sources, targets: batch.targets, teacherForcingRatio: teacherForcingRatio,
      generator: &generator)
    return (loss, batch.sources.count)
  }

  func validate() throws -> [String: Double] {
    let evaluation = try translator.evaluate(validation, options: decoding)
    var total = 0.0
    var generator = SeededGenerator(seed: seed)
    try withoutGradients {
      for start in stride(from: 0, to: validation.count, by: 64) {
        let chunk = validation[start..<min(start + 64, validation.count)]
        let sources = try chunk.map { try translator.sourceIDs($0.source, truncate: true) }
        let loss = translator.loss(
          sources: sources, targets: chunk.map { translator.targetIDs($0.target) }, generator: &generator)
        total += Double(loss.item) * Double(chunk.count)
      }
    }
    return [
      "loss": total / Double(validation.count), "bleu": evaluation.bleu.score, "chrf": evaluation.chrf.score,
    ]
  }
}

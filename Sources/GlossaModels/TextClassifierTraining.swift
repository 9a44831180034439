import Foundation
import GlossaData
import GlossaEmbeddings
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaText

/// Where a model's tokenizer comes from.
public enum TokenizerSource: Sendable, Equatable {
  /// Words (`\w+|[^\w\s]+`) seen at least `minimumFrequency` times in the training texts, at most
  /// `vocabularySize` of them (special tokens included).
  case words(minimumFrequency: Int = 2, vocabularySize: Int? = nil, lowercase: Bool = true)
  /// A BPE tokenizer of `vocabularySize` trained on the training texts.
  case bpe(vocabularySize: Int, lowercase: Bool = true)
  /// A tokenizer.json file.
  case file(URL)

  /// The tokenizer.json of this source, trained on `texts` when it is trained, with the
  /// special tokens `special` first.
  func tokenizerFile(training texts: [String], special: [String]) throws -> Data {
    switch self {
    case .file(let url):
      guard let data = FileManager.default.contents(atPath: url.path) else {
        throw ModelFileError(file: url.path, message: "cannot be read")
      }
      _ = try Tokenizer(json: data, file: url.path)
      return data
    case .words, .bpe:
      let training = settings(special)
      return try data(training, try training.train([texts.joined(separator: "\n")]))
    }
  }

  /// The tokenizer.json of this source, trained on the lines of `corpus` read as a stream (a
  /// corpus larger than memory is never held whole). In a process group each process counts
  /// the words of its share of the corpus and the counts are merged: every process trains the
  /// tokenizer of the whole corpus without reading it whole.
  func tokenizerFile(streaming corpus: Corpus, special: [String], group: (any ProcessGroup)? = nil) throws
    -> Data
  {
    guard case .file = self else {
      let training = settings(special)
      let (rank, size) = (group?.rank ?? 0, group?.size ?? 1)
      let counter = WordCounter()
      let words = try agreeing(group) {
        try corpus.forEachLine(in: corpus.shares(size)[rank]) { line in
          guard training.lowercase else { return counter.add(line) }
          var lowered = String(decoding: line, as: UTF8.self).lowercased()
          lowered.withUTF8 { counter.add($0) }
        }
        return counter.words
      }
      guard let group, size > 1 else { return try data(training, try training.train(wordCounts: words)) }
      let merged = try group.allGather(WordCountCoding.encode(words)).flatMap(WordCountCoding.decode)
      return try data(training, try training.train(wordCounts: WordCountCoding.sum(merged)))
    }
    return try tokenizerFile(training: [], special: special)
  }

  /// The training settings of this source (words or BPE), with the special tokens first.
  private func settings(_ special: [String], _ base: TokenizerTraining? = nil) -> TokenizerTraining {
    var training: TokenizerTraining
    if let base {
      training = base
    } else {
      switch self {
      case .words(let minimum, let size, let lowercase):
        training = TokenizerTraining(kind: .wordLevel)
        (training.minimumFrequency, training.vocabularySize, training.lowercase) = (minimum, size, lowercase)
      case .bpe(let size, let lowercase):
        training = TokenizerTraining(kind: .bpe)
        (training.vocabularySize, training.lowercase, training.endOfWord) = (size, lowercase, .suffix("</w>"))
      case .file: training = TokenizerTraining(kind: .wordLevel)
      }
    }
    training.specialTokens = special
    training.unknownToken = special.first { $0 == "[UNK]" || $0 == "<unk>" } ?? training.unknownToken
    return training
  }

  private func data(_ training: TokenizerTraining, _ model: any TokenizerModel) throws -> Data {
    try TokenizerFile.data(
      for: model, pipeline: training.pipeline, lowercase: training.lowercase,
      specialTokens: training.specialTokens)
  }
}

/// The optimizers a task can be trained with.
public enum OptimizerKind: String, Sendable, Codable, CaseIterable {
  /// Plain stochastic gradient descent.
  case sgd
  /// Adam.
  case adam
  /// Adam with decoupled weight decay.
  case adamw

  /// The optimizer over `parameters`.
  public func make(_ parameters: [Tensor], learningRate: Float) -> any Optimizer {
    switch self {
    case .sgd: SGD(parameters, learningRate: learningRate)
    case .adam: Adam(parameters, learningRate: learningRate)
    case .adamw: Adam.adamW(parameters, learningRate: learningRate)
    }
  }
}

/// How a ``TextClassifier`` is trained on `label<TAB>text` examples.
public struct TextClassifierTraining {
  /// The architecture (its labels and sizes are filled in from the data and the tokenizer).
  public var architecture = TextClassifierConfiguration(labels: [])
  /// The tokenizer.
  public var tokenizer = TokenizerSource.words()
  /// A word2vec, GloVe or fastText vector file to start the embedding from.
  public var pretrained: URL?
  /// Whether those vectors stay as they are.
  public var freezeEmbeddings = false
  /// Examples per update.
  public var batchSize = 32
  /// The optimizer and its learning rate.
  public var optimizer = OptimizerKind.adam
  public var learningRate: Float = 1e-3
  /// Whether each class's loss is weighted by n / (classes · its count), for unbalanced labels.
  public var balanceClasses = false
  /// The seed of the initialisation, the batch orders and the dropout masks.
  public var seed: UInt64 = 0
  /// The epochs, clipping, early stopping and logging.
  public var trainer = TrainerSettings()

  /// Settings with the defaults.
  public init() {
    trainer.monitor = "accuracy"
    trainer.monitorMaximizes = true
  }

  /// What training reports besides the model.
  public struct Report: Sendable {
    /// The epochs' metrics and the best epoch.
    public var result: TrainingResult
    /// Tokens the pretrained vectors had no vector for (nil without pretrained vectors).
    public var missingPretrained: Int?
    /// The validation metrics of the best model.
    public var validation: ClassificationMetrics
  }

  /// Trains a classifier on `train`, choosing the epoch by `validation`. With `output` the
  /// best model is saved there after each epoch that improves, with a checkpoint in
  /// `output/checkpoint` after every epoch, metrics in `metricsFile` and the loss curves in
  /// `output/loss.svg`; with `resume`, training continues from that checkpoint.
  public func train(
    _ train: [LabeledText], validation: [LabeledText], output: URL? = nil, metricsFile: URL? = nil,
    resume: Bool = false
  ) throws -> (TextClassifier, Report) {
    guard !train.isEmpty else { throw TrainingDataError.empty("the training examples") }
    guard !validation.isEmpty else { throw TrainingDataError.empty("the validation examples") }
    let labels = Array(Set(train.map(\.label))).sorted()
    guard labels.count >= 2 else { throw TrainingDataError.oneClass(labels.first ?? "") }
    if let unseen = validation.first(where: { !labels.contains($0.label) }) {
      throw TrainingDataError.unknownLabel(unseen.label, known: labels)
    }
    let special = ["[PAD]", "[UNK]"]
    let tokenizerFile: Data
    if resume, let output {
      tokenizerFile = try Data(contentsOf: try ModelDirectory.file("tokenizer.json", in: output))
    } else {
      tokenizerFile = try tokenizer.tokenizerFile(training: train.map(\.text), special: special)
    }
    let parsed = try Tokenizer(json: tokenizerFile)
    var configuration = architecture
    configuration.labels = labels
    let padding = parsed.model.id(of: "[PAD]") ?? parsed.model.id(of: "<pad>")
    configuration.paddingID = padding ?? parsed.model.vocabularySize
    configuration.vocabularySize = parsed.model.vocabularySize + (padding == nil ? 1 : 0)
    let model = try TextClassifier(configuration: configuration, tokenizerFile: tokenizerFile, seed: seed)
    var missing: Int?
    if let pretrained { missing = try initialise(model.embedding, from: pretrained, tokenizer: parsed) }
    if freezeEmbeddings { model.embedding.weight.requiresGrad = false }
    let task = ClassificationTask(
      model: model, train: train, validation: validation, batchSize: batchSize, seed: seed,
      balance: balanceClasses)
    let result = try runTraining(
      task, model: model, optimizer: optimizer.make(model.parameters(), learningRate: learningRate),
      settings: trainer,
      configuration: try runConfiguration(
        task: TextClassifier.task, architecture: configuration,
        [
          "batch_size": String(batchSize), "optimizer": optimizer.rawValue, "seed": String(seed),
          "freeze_embeddings": String(freezeEmbeddings), "balance_classes": String(balanceClasses),
        ]),
      output: output, metricsFile: metricsFile, resume: resume)
    let metrics = try model.evaluate(validation).metrics
    return (model, Report(result: result, missingPretrained: missing, validation: metrics))
  }

  /// Copies the pretrained vector of each token that has one (as it is, else lowercased) into
  /// the embedding; returns how many tokens had none.
  private func initialise(_ embedding: Embedding, from url: URL, tokenizer: Tokenizer) throws -> Int {
    let vectors = try EmbeddingFile(contentsOf: url).vectors
    let dimension = embedding.weight.shape[1]
    guard vectors.dimension == dimension else {
      throw ModelFileError(
        file: url.path, message: "vectors of \(vectors.dimension) numbers, the embedding has \(dimension)")
    }
    var missing = 0
    embedding.weight.withUnsafeMutableBufferPointer { table in
      for id in 0..<tokenizer.model.vocabularySize where id != embedding.paddingIndex {
        guard let token = tokenizer.model.token(for: id), !token.hasPrefix("[") else { continue }
        guard let row = vectors.index(of: token) ?? vectors.index(of: token.lowercased()) else {
          missing += 1
          continue
        }
        for d in 0..<dimension { table[id * dimension + d] = vectors.vectors[row * dimension + d] }
      }
    }
    return missing
  }
}

/// Training data that cannot train a model.
public enum TrainingDataError: Error, CustomStringConvertible, Equatable {
  /// A set of examples is empty.
  case empty(String)
  /// Every training example has the same label.
  case oneClass(String)
  /// An example's label is not among the training labels.
  case unknownLabel(String, known: [String])

  public var description: String {
    switch self {
    case .empty(let what): "\(what) are empty"
    case .oneClass(let label):
      "every training example has the label '\(label)': a classifier needs two classes or more"
    case .unknownLabel(let label, let known):
      "the label '\(label)' is not one the model was trained on (\(known.joined(separator: ", ")))"
    }
  }
}

/// A text classifier's training, as the ``Trainer`` runs it.
final class ClassificationTask: TrainingTask {
  /// The examples' indices.
  typealias Batch = [Int]

  let classifier: TextClassifier
  var model: any Module { classifier }
  private let examples: [(ids: [Int], label: Int)]
  private let validation: [(ids: [Int], label: Int)]
  private let order: BatchOrder
  private let weights: [Float]?

  init(
    model: TextClassifier, train: [LabeledText], validation: [LabeledText], batchSize: Int, seed: UInt64,
    balance: Bool
  ) {
    classifier = model
    let labels = model.configuration.labels
    let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    // Texts are tokenized once, on every core.
    let encode = { (texts: [LabeledText]) in
      zip(model.tokenizer.encode(batch: texts.map(\.text)), texts).map { encoding, example in
        (ids: Array(encoding.ids.prefix(model.configuration.maximumLength)), label: index[example.label]!)
      }
    }
    let examples = encode(train)
    self.examples = examples
    self.validation = encode(validation)
    order = BatchOrder(descent: .miniBatch(batchSize), seed: seed, bucketWindow: 0)
    if balance {
      var counts = [Int](repeating: 0, count: labels.count)
      for example in examples { counts[example.label] += 1 }
      weights = counts.map { Float(examples.count) / Float(labels.count * max($0, 1)) }
    } else {
      weights = nil
    }
  }

  func batches(epoch: Int, skipping: Int) throws -> BatchIterator<Batch> {
    var iterator = order.batches(count: examples.count, epoch: epoch).dropFirst(skipping).makeIterator()
    return BatchIterator { iterator.next() }
  }

  /// Consecutive runs of the batch's examples, each loss's share its examples' weight over the
  /// batch's (the loss is a mean over examples, weighted when classes are balanced).
  func split(_ batch: Batch, into parts: Int) -> [(batch: Batch, share: Float)] {
    let weight = { (indices: ArraySlice<Int>) in
      indices.reduce(Float(0)) { $0 + (self.weights?[self.examples[$1].label] ?? 1) }
    }
    let total = weight(batch[...])
    return consecutiveRuns(batch.count, parts).map { (Array(batch[$0]), weight(batch[$0]) / total) }
  }

  var batchesPerEpoch: Int? {
    let size = max(1, order.descent.batchSize(for: examples.count))
    return (examples.count + size - 1) / size
  }

  func loss(_ batch: Batch) throws -> (loss: Tensor, examples: Int) {
    let logits = classifier.logits(
      PaddedBatch(batch.map { examples[$0].ids }, paddingID: classifier.configuration.paddingID))
    let labels = batch.map { examples[$0].label }
    guard let weights else { return (crossEntropy(logits, targets: labels), labels.count) }
    // The weighted mean, as PyTorch's CrossEntropyLoss(weight:) takes it: Σ wᵢ lᵢ / Σ wᵢ.
    let w = labels.map { weights[$0] }
    let losses = crossEntropy(logits, targets: labels, reduction: .none)
    return ((losses * Tensor(w, shape: [w.count])).sum() / w.reduce(0, +), labels.count)
  }

  /// The predicted classes and the mean loss over `examples`.
  func evaluate(_ examples: [(ids: [Int], label: Int)]) -> (predicted: [Int], loss: Double) {
    withoutGradients {
      var predicted: [Int] = []
      var total = 0.0
      for start in stride(from: 0, to: examples.count, by: 128) {
        let chunk = examples[start..<min(start + 128, examples.count)]
        let logits = classifier.logits(
          PaddedBatch(chunk.map(\.ids), paddingID: classifier.configuration.paddingID))
        total += Double(crossEntropy(logits, targets: chunk.map(\.label), reduction: .sum).item)
        predicted += logits.argmax(axis: -1)
      }
      return (predicted, total / Double(max(examples.count, 1)))
    }
  }

  func validate() throws -> [String: Double] {
    let (predicted, loss) = evaluate(validation)
    let metrics = ClassificationMetrics(
      labels: classifier.configuration.labels, actual: validation.map(\.label), predicted: predicted)
    return ["loss": loss, "accuracy": metrics.accuracy, "macro_f1": metrics.macroF1]
  }
}

extension TextClassifier {
  /// The metrics of the classifier on labelled examples (evaluation mode); a label the model
  /// never saw is an error.
  public func evaluate(_ examples: [LabeledText]) throws -> (metrics: ClassificationMetrics, loss: Double) {
    let index = Dictionary(uniqueKeysWithValues: configuration.labels.enumerated().map { ($1, $0) })
    if let unseen = examples.first(where: { index[$0.label] == nil }) {
      throw TrainingDataError.unknownLabel(unseen.label, known: configuration.labels)
    }
    let wasTraining = rnn.isTraining
    eval()
    defer { train(wasTraining) }
    let encoded = zip(tokenizer.encode(batch: examples.map(\.text)), examples).map { encoding, example in
      (ids: Array(encoding.ids.prefix(configuration.maximumLength)), label: index[example.label]!)
    }
    let task = ClassificationTask(
      model: self, train: [], validation: [], batchSize: 1, seed: 0, balance: false)
    let (predicted, loss) = task.evaluate(encoded)
    return (
      ClassificationMetrics(labels: configuration.labels, actual: encoded.map(\.label), predicted: predicted),
      loss
    )
  }
}

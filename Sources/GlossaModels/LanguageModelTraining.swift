import Foundation
import GlossaData
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaText

/// How a ``LanguageModel`` is trained on text files (a line is a sentence or paragraph; each
/// ends with the end token): truncated backpropagation through time over the token stream,
/// `bptt` steps at a time in `batchSize` parallel columns, the recurrent state carried from
/// window to window (detached), as PyTorch's word language model trains.
public struct LanguageModelTraining {
  /// The architecture (the vocabulary's size is filled in from the tokenizer).
  public var architecture = LanguageModelConfiguration()
  /// The tokenizer: words by default, the 10,000 most frequent.
  public var tokenizer = TokenizerSource.words(minimumFrequency: 1, vocabularySize: 10_000, lowercase: true)
  /// Parallel columns (the batch).
  public var batchSize = 20
  /// Steps of backpropagation through time per update.
  public var bptt = 35
  /// Columns and steps of the validation pass.
  public var validationBatchSize = 10
  /// The optimizer and its learning rate (PyTorch's example: SGD at 20, clipped at 0.25,
  /// divided by 4 when the validation loss does not improve).
  public var optimizer = OptimizerKind.sgd
  public var learningRate: Float = 20
  /// Whether the learning rate is divided by 4 after an epoch that does not improve.
  public var annealOnPlateau = true
  /// The seed of the initialisation and the dropout masks.
  public var seed: UInt64 = 0
  /// A training corpus of at most this many bytes is tokenized whole and cut into columns of
  /// equal numbers of tokens; a larger one is streamed, each column a share of its bytes (see
  /// `TokenStream`). Either way a process of a group reads only its own columns' bytes
  /// when streaming, and the layout does not depend on the number of processes.
  public var wholeCorpusLimit = 64 << 20
  /// The epochs, clipping, early stopping and logging.
  public var trainer: TrainerSettings

  /// Settings with the defaults.
  public init() {
    trainer = TrainerSettings()
    trainer.epochs = 2
    trainer.clipNorm = 0.25
    trainer.monitor = "perplexity"
  }

  /// Trains on `train`, choosing the epoch by `validation` (see
  /// ``TextClassifierTraining/train(_:validation:output:metricsFile:resume:)`` for `output`,
  /// `metricsFile` and `resume`). The files are read as streams: the tokenizer's words are
  /// counted line by line, and a corpus larger than 64 MB is never held in memory.
  public func train(
    _ train: [URL], validation: [URL], output: URL? = nil, metricsFile: URL? = nil, resume: Bool = false
  ) throws -> (LanguageModel, TrainingResult) {
    guard !train.isEmpty, !validation.isEmpty else {
      throw TrainingDataError.empty("the training or validation files")
    }
    let tokenizerFile: Data
    if resume, let output {
      tokenizerFile = try Data(contentsOf: try ModelDirectory.file("tokenizer.json", in: output))
    } else {
      do {
        tokenizerFile = try tokenizer.tokenizerFile(
          streaming: Corpus(files: train), special: ["<unk>", architecture.endToken],
          group: trainer.processGroup)
      } catch TokenizerTrainingError.emptyCorpus {
        throw DataFileError(file: train.map(\.path).joined(separator: ", "), message: "no words to train on")
      }
    }
    var configuration = architecture
    configuration.vocabularySize = try Tokenizer(json: tokenizerFile).model.vocabularySize
    let model = try LanguageModel(configuration: configuration, tokenizerFile: tokenizerFile, seed: seed)
    let task = LanguageModelTask(
      model: model, train: Corpus(files: train), validation: Corpus(files: validation), columns: batchSize,
      steps: bptt, validationColumns: validationBatchSize, wholeCorpusLimit: wholeCorpusLimit)
    let optimizer = optimizer.make(model.parameters(), learningRate: learningRate)
    let schedule = annealOnPlateau ? ReduceOnPlateau(optimizer, factor: 0.25, patience: 0, threshold: 0) : nil
    let result = try runTraining(
      task, model: model, optimizer: optimizer, schedule: schedule, settings: trainer,
      configuration: try runConfiguration(
        task: LanguageModel.task, architecture: configuration,
        [
          "batch_size": String(batchSize), "bptt": String(bptt), "optimizer": self.optimizer.rawValue,
          "seed": String(seed),
        ]),
      unit: "tokens", output: output, metricsFile: metricsFile, resume: resume)
    return (model, result)
  }
}

/// A language model's training, as the ``Trainer`` runs it: windows of the token stream, the
/// state carried between them.
final class LanguageModelTask: TrainingTask {
  typealias Batch = (inputs: [Int], targets: [Int], steps: Int)

  let languageModel: LanguageModel
  var model: any Module { languageModel }
  private let train: Corpus
  private let validation: Corpus
  private let columns: Int
  private let steps: Int
  private let validationColumns: Int
  private let wholeCorpusLimit: Int
  private var state: RecurrentState?
  /// The columns this process trains, and the group it agrees with on each window's length.
  private var owned: Range<Int>
  private var group: (any ProcessGroup)?

  init(
    model: LanguageModel, train: Corpus, validation: Corpus, columns: Int, steps: Int, validationColumns: Int,
    wholeCorpusLimit: Int
  ) {
    (languageModel, self.train, self.validation) = (model, train, validation)
    (self.columns, self.steps, self.validationColumns) = (columns, steps, validationColumns)
    self.wholeCorpusLimit = wholeCorpusLimit
    owned = 0..<columns
  }

  func batches(epoch: Int, skipping: Int) throws -> BatchIterator<Batch> {
    let stream = try TokenStream(corpus: train, columns: columns, owned: owned, wholeLimit: wholeCorpusLimit)
    {
      [languageModel] line in languageModel.ids(line: String(decoding: line, as: UTF8.self))
    }
    if let group { stream.agreeOnLength = { try group.minimum($0) } }
    if skipping == 0 { state = nil }  // each epoch starts from a zero state
    try stream.skip(skipping, steps: steps)
    return BatchIterator { [steps] in try stream.next(steps: steps) }
  }

  /// Each process reads and trains a consecutive run of the stream's columns; its share of the
  /// loss (a mean over the window's tokens) is its columns over all.
  func shard(for group: any ProcessGroup) throws -> Float? {
    guard group.size <= columns else {
      throw DistributedError.tooManyProcesses(
        "a language model's \(columns) stream columns (--batch-size) cannot be shared by \(group.size) processes: give at least one column each"
      )
    }
    owned = consecutiveRuns(columns, group.size)[group.rank]
    self.group = group
    return Float(owned.count) / Float(columns)
  }

  func loss(_ batch: Batch) throws -> (loss: Tensor, examples: Int) {
    let (logits, next) = languageModel(batch.inputs, steps: batch.steps, batch: owned.count, state: state)
    state = next.detached()
    return (crossEntropy(logits, targets: batch.targets), batch.targets.count)
  }

  func validate() throws -> [String: Double] {
    let (loss, perplexity, _) = try languageModel.perplexity(
      of: validation, columns: validationColumns, steps: steps)
    return ["loss": loss, "perplexity": perplexity]
  }

  var carriedState: [String: Tensor] {
    get {
      guard let state else { return [:] }
      return ["hidden": state.hidden].merging(state.cell.map { ["cell": $0] } ?? [:]) { $1 }
    }
    set { state = newValue["hidden"].map { RecurrentState(hidden: $0, cell: newValue["cell"]) } }
  }
}

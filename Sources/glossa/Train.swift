import ArgumentParser
import Foundation
import GlossaData
import GlossaDistributed
import GlossaModels
import GlossaNN
import GlossaTensor

/// `glossa train`: train a model on your data.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Train a model on your data: a text classifier, a language model, a tagger, a forecaster, a translator or a speech recogniser.",
    discussion: """
      Each subcommand trains one of the lecture's applications and saves it as a model \
      directory (config.json, tokenizer.json, model.safetensors) that glossa evaluate, \
      predict, generate and next read, with a checkpoint to resume from, the metrics of every \
      epoch as JSON Lines and the loss curves as an SVG.

      Examples:
        glossa train classify --train reviews.tsv --output sentiment
        glossa train lm --train austen.txt --epochs 2 --output austen-lm
      """,
    subcommands: [
      TrainClassify.self, TrainLanguageModel.self, TrainTag.self, TrainForecast.self, TrainTranslate.self,
      TrainSpeech.self,
    ])

  /// The options every training command shares.
  struct Common: ParsableArguments {
    @Option(help: "The recurrent unit: lstm, gru or rnn (translate: gru, the others: lstm).")
    var cell: Cell?
    @Option(help: "Stacked recurrent layers (classify: 1, lm: 2).")
    var layers: Int?
    @Option(help: "Units per layer and direction (classify: 128, lm: 200).")
    var hidden: Int?
    @Option(
      name: .customLong("embedding-dim"), help: "The length of a token's vector (classify: 100, lm: 200).")
    var embeddingDimension: Int?
    @Option(help: "Dropout probability (classify: 0.3, lm: 0.2).")
    var dropout: Float?
    @Option(help: "Passes over the training data (classify: 10, lm: 2).")
    var epochs: Int?
    @Option(
      name: .customLong("batch-size"), help: "Examples per update (classify: 32), or stream columns (lm: 20)."
    )
    var batchSize: Int?
    @Option(help: "The optimizer: sgd, adam or adamw (classify: adam, lm: sgd).")
    var optimizer: OptimizerKind?
    @Option(name: .customLong("lr"), help: "The learning rate (classify: 0.001 with adam, lm: 20 with sgd).")
    var learningRate: Float?
    @Option(help: "Clip the gradients' global norm to this (lm: 0.25 unless given).")
    var clip: Float?
    @Option(help: "Stop after this many epochs without improvement.")
    var patience: Int?
    @Option(help: "Raise the learning rate linearly from 0 over this many updates.")
    var warmup = 0
    @Option(help: "The seed of every random choice.")
    var seed: UInt64 = 0
    @Option(help: "BLAS threads (default: all cores; under mpirun, the cores each process is given).")
    var threads: Int?
    @Option(
      name: .customLong("mpi-timeout"),
      help: "Under mpirun: end the job when a process waits this many seconds for the others.")
    var mpiTimeout = 600.0
    @Option(help: "Where the metrics go, one JSON line per epoch (default: OUTPUT/metrics.jsonl).")
    var metrics: String?
    @Option(name: .customLong("log-every"), help: "Also write a metrics line every N updates.")
    var logEvery: Int?
    @Flag(help: "Continue from the checkpoint in --output, with the same settings.")
    var resume = false
    @Option(help: "The model directory to write.")
    var output: String

    func validate() throws {
      for (name, value) in [
        ("layers", layers), ("hidden", hidden), ("embedding-dim", embeddingDimension), ("epochs", epochs),
        ("batch-size", batchSize), ("threads", threads), ("patience", patience), ("log-every", logEvery),
      ] {
        if let value, value < 1 { throw ValidationError("--\(name) must be positive, not \(value)") }
      }
      if let dropout, !(dropout >= 0 && dropout < 1) { throw ValidationError("--dropout must be in [0, 1)") }
    }

    /// The trainer settings these options give over `defaults`.
    func trainerSettings(_ defaults: TrainerSettings) -> TrainerSettings {
      var settings = defaults
      if let epochs { settings.epochs = epochs }
      if let clip { settings.clipNorm = clip }
      settings.patience = patience
      settings.warmupSteps = warmup
      settings.seed = seed
      settings.logEvery = logEvery
      settings.processGroup = Launch.group
      return settings
    }

    /// The training file's items read by `read`, and the validation items: the --valid file's,
    /// or --valid-fraction of the training items in a shuffle drawn from --seed.
    func trainingAndValidation<Item>(
      _ train: String, _ validation: Validation, _ read: (URL) throws -> [Item]
    ) throws -> (train: [Item], validation: [Item]) {
      // Under mpirun a file one process cannot read stops every process, each naming it.
      try agreeing(Launch.group) {
        let items = try read(URL(fileURLWithPath: train))
        if let valid = validation.valid { return (items, try read(URL(fileURLWithPath: valid))) }
        let split = DataSplit.shuffled(count: items.count, validation: validation.fraction, seed: seed)
        return (split.train.map { items[$0] }, split.validation.map { items[$0] })
      }
    }

    /// Prints, on standard error, the best epoch and the training rate in `unit`s per second,
    /// then `summary` (the validation figures) and where the model went.
    func report(_ result: TrainingResult, unit: String, _ summary: String, output: URL) {
      let best = result.epochs.first { $0.epoch == result.bestEpoch }
      Launch.say(
        String(
          format: "best epoch %d of %d (%.0f %@/s)\n", result.bestEpoch, result.epochs.count,
          best?.examplesPerSecond ?? 0, unit) + summary + "\nwrote \(output.path)\n")
    }

    /// Joins the other processes when mpirun started several, sets BLAS's threads, and gives
    /// the output directory and the metrics file.
    func prepare() throws -> (output: URL, metrics: URL) {
      try Launch.join(timeout: mpiTimeout)
      if let threads { BLAS.setThreads(threads) }
      let output = URL(fileURLWithPath: self.output)
      return (
        output, metrics.map(URL.init(fileURLWithPath:)) ?? output.appendingPathComponent("metrics.jsonl")
      )
    }
  }

  /// Where the validation examples come from, for the commands that read one training file
  /// (classify, tag, translate, speech): a file of the training file's kind, or a share of the
  /// training file's examples.
  struct Validation: ParsableArguments {
    @Option(help: "Validation examples, a file like the training file (default: --valid-fraction of it).")
    var valid: String?
    @Option(
      name: .customLong("valid-fraction"), help: "The share of the training examples kept for validation.")
    var fraction = 0.1

    func validate() throws {
      guard fraction > 0 && fraction < 1 else { throw ValidationError("--valid-fraction must be in (0, 1)") }
    }
  }

  enum Cell: String, ExpressibleByArgument, CaseIterable {
    case lstm, gru, rnn

    var kind: RecurrentKind {
      switch self {
      case .lstm: .lstm
      case .gru: .gru
      case .rnn: .rnnTanh
      }
    }
  }
}

extension OptimizerKind: ExpressibleByArgument {}

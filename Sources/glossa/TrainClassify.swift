import ArgumentParser
import Foundation
import GlossaData
import GlossaModels

/// `glossa train classify`: a text classifier from `label<TAB>text` files.
struct TrainClassify: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "classify",
    abstract: "Train a text classifier (sentiment, topics) on label<TAB>text lines.",
    discussion: """
      The lecture's many-to-one network: a text's tokens go through an embedding and a \
      recurrent network, whose last state (or mean or max over the steps) a linear layer \
      turns into class probabilities. The tokenizer is trained on the training split (words \
      seen twice, or BPE) unless --tokenizer names a tokenizer.json. The epoch with the best \
      validation accuracy is kept in --output.

      Examples:
        glossa train classify --train reviews.tsv --valid-fraction 0.1 \\
          --bidirectional --output sentiment
        glossa train classify --train train.tsv --valid valid.tsv \\
          --pretrained vectors.vec --freeze --output m
        glossa train classify --train train.tsv --output m --resume --epochs 20
      """)

  @Option(help: "The training examples, label<TAB>text per line.")
  var train: String
  @OptionGroup var validation: Train.Validation
  @Option(help: "word, bpe, or a tokenizer.json file.")
  var tokenizer = "word"
  @Option(name: .customLong("vocab-size"), help: "The tokenizer's vocabulary size (bpe: 8000 by default).")
  var vocabularySize: Int?
  @Option(name: .customLong("min-frequency"), help: "word: keep words seen this many times.")
  var minimumFrequency = 2
  @Flag(help: "Read each text backwards too.")
  var bidirectional = false
  @Option(help: "How the outputs become one vector: last, mean or max.")
  var pooling: Pooling = .last
  @Option(name: .customLong("max-length"), help: "Texts are cut to this many tokens.")
  var maximumLength = 100
  @Option(help: "A word2vec, GloVe or fastText vector file to start the embedding from.")
  var pretrained: String?
  @Flag(help: "Keep the pretrained vectors as they are.")
  var freeze = false
  @Flag(name: .customLong("balance-classes"), help: "Weight each class's loss by n / (classes · its count).")
  var balanceClasses = false
  @OptionGroup var common: Train.Common

  func validate() throws {
    if freeze && pretrained == nil { throw ValidationError("--freeze needs --pretrained FILE") }
  }

  func run() throws {
    let (output, metrics) = try common.prepare()
    let (examples, validation) = try common.trainingAndValidation(train, self.validation) {
      try LabeledText.read($0)
    }
    var training = TextClassifierTraining()
    training.tokenizer =
      switch tokenizer {
      case "word": .words(minimumFrequency: minimumFrequency, vocabularySize: vocabularySize, lowercase: true)
      case "bpe": .bpe(vocabularySize: vocabularySize ?? 8000, lowercase: true)
      default: .file(URL(fileURLWithPath: tokenizer))
      }
    training.architecture.cell = (common.cell ?? .lstm).kind
    training.architecture.bidirectional = bidirectional
    training.architecture.layers = common.layers ?? 1
    training.architecture.hidden = common.hidden ?? 128
    training.architecture.embeddingDimension = common.embeddingDimension ?? 100
    training.architecture.dropout = common.dropout ?? 0.3
    training.architecture.pooling = pooling
    training.architecture.maximumLength = maximumLength
    training.pretrained = pretrained.map(URL.init(fileURLWithPath:))
    training.freezeEmbeddings = freeze
    training.balanceClasses = balanceClasses
    training.batchSize = common.batchSize ?? 32
    training.optimizer = common.optimizer ?? .adam
    training.learningRate = common.learningRate ?? 1e-3
    training.seed = common.seed
    training.trainer = common.trainerSettings(training.trainer)
    if common.epochs == nil { training.trainer.epochs = 10 }
    Launch.say("training on \(examples.count) examples, validating on \(validation.count)\n")
    let (_, report) = try training.train(
      examples, validation: validation, output: output, metricsFile: metrics, resume: common.resume)
    if let missing = report.missingPretrained {
      Launch.say("pretrained vectors: \(missing) tokens had none\n")
    }
    let best = report.result.epochs.first { $0.epoch == report.result.bestEpoch }
    Launch.say(
      String(
        format: "best epoch %d of %d%@: validation accuracy %.4f, macro-F1 %.4f (%.0f examples/s)\n",
        report.result.bestEpoch, report.result.epochs.count,
        report.result.stoppedEarly ? " (stopped early)" : "",
        report.validation.accuracy, report.validation.macroF1, best?.examplesPerSecond ?? 0
      ))
    Launch.say("wrote \(output.path)\n")
  }
}

extension Pooling: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import GlossaModels

/// `glossa train lm`: a language model from text files.
struct TrainLanguageModel: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lm",
    abstract: "Train a language model that predicts the next word, on text files.",
    discussion: """
      The lecture's many-to-many network, as PyTorch's word language model trains it: the \
      text is one stream of tokens (each line ends with <eos>), read in --batch-size \
      parallel columns, --bptt steps at a time, the recurrent state carried from window to \
      window; the learning rate is divided by 4 after an epoch whose validation loss does not \
      improve. The epoch with the lowest validation perplexity is kept in --output.

      Examples:
        glossa train lm --train train.txt --valid valid.txt --layers 2 --hidden 200 \\
          --output lm
        glossa train lm --train a.txt --train b.txt --valid v.txt --tie-weights \\
          --epochs 6 --output lm
      """)

  @Option(help: "Training text files (give --train for each).")
  var train: [String]
  @Option(help: "Validation text files.")
  var valid: [String]
  @Option(help: "Steps of backpropagation through time per update.")
  var bptt = 35
  @Option(
    name: .customLong("vocab-size"), help: "The vocabulary: the most frequent words, special tokens included."
  )
  var vocabularySize = 10_000
  @Option(help: "word or bpe, or a tokenizer.json file.")
  var tokenizer = "word"
  @Flag(name: .customLong("tie-weights"), help: "Share the embedding's weights with the output layer.")
  var tieWeights = false
  @Flag(name: .customLong("no-lowercase"), help: "Keep the text's case (words are lowercased by default).")
  var keepCase = false
  @Option(
    name: .customLong("whole-corpus-limit"),
    help:
      "Training corpora up to this many MB are tokenized whole and cut into equal columns; larger ones are streamed."
  )
  var wholeCorpusLimit = 64
  @OptionGroup var common: Train.Common

  func run() throws {
    let (output, metrics) = try common.prepare()
    var training = LanguageModelTraining()
    training.tokenizer =
      switch tokenizer {
      case "word": .words(minimumFrequency: 1, vocabularySize: vocabularySize, lowercase: !keepCase)
      case "bpe": .bpe(vocabularySize: vocabularySize, lowercase: !keepCase)
      default: .file(URL(fileURLWithPath: tokenizer))
      }
    training.architecture.cell = (common.cell ?? .lstm).kind
    training.architecture.layers = common.layers ?? 2
    training.architecture.hidden = common.hidden ?? 200
    training.architecture.embeddingDimension = common.embeddingDimension ?? 200
    training.architecture.dropout = common.dropout ?? 0.2
    training.architecture.tieWeights = tieWeights
    training.batchSize = common.batchSize ?? 20
    training.bptt = bptt
    training.wholeCorpusLimit = wholeCorpusLimit << 20
    training.optimizer = common.optimizer ?? .sgd
    training.learningRate = common.learningRate ?? 20
    training.seed = common.seed
    training.trainer = common.trainerSettings(training.trainer)
    let (_, result) = try training.train(
      train.map(URL.init(fileURLWithPath:)), validation: valid.map(URL.init(fileURLWithPath:)),
      output: output,
      metricsFile: metrics, resume: common.resume)
    let best = result.epochs.first { $0.epoch == result.bestEpoch }
    Launch.say(
      String(
        format: "best epoch %d of %d: validation perplexity %.2f (%.0f tokens/s)\nwrote %@\n",
        result.bestEpoch,
        result.epochs.count, result.bestValue, best?.examplesPerSecond ?? 0, output.path
      ))
  }
}

import ArgumentParser
import Foundation
import GlossaData
import GlossaModels

/// `glossa train tag`: a part-of-speech or entity tagger from tagged sentences.
struct TrainTag: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tag",
    abstract: "Train a sequence tagger (part of speech, named entities) on token<TAB>tag files.",
    discussion: """
      The lecture's many-to-many network, aligned: each token's word vector (and, with \
      --char-features, what a character LSTM reads in its spelling) goes through a \
      bidirectional RNN, so that the words on both sides decide its tag; with --crf a \
      conditional random field picks the best whole sequence (Viterbi). Files have a \
      token<TAB>tag line per token and a blank line after each sentence, or are CoNLL-U. The \
      epoch with the best validation accuracy (entity F1 for B-/I- tags) is kept in --output.

      Examples:
        glossa train tag --train wsj.tsv --valid-fraction 0.1 --char-features \\
          --output pos
        glossa train tag --train ner.tsv --valid-fraction 0.1 --crf --epochs 20 \\
          --output ner
      """)

  @Option(help: "The training sentences (token<TAB>tag lines, or CoNLL-U).")
  var train: String
  @OptionGroup var validation: Train.Validation
  @Flag(help: "Score whole tag sequences with a CRF.")
  var crf = false
  @Flag(name: .customLong("char-features"), help: "Add a character LSTM's features to each word.")
  var characterFeatures = false
  @Option(name: .customLong("min-frequency"), help: "Words seen fewer times in training are unknown.")
  var minimumFrequency = 1
  @Flag(name: .customLong("keep-case"), help: "Look words up as written (they are lowercased by default).")
  var keepCase = false
  @Option(help: "A word2vec, GloVe or fastText vector file to start the word embedding from.")
  var pretrained: String?
  @OptionGroup var common: Train.Common

  func run() throws {
    let (output, metrics) = try common.prepare()
    let (sentences, validation) = try common.trainingAndValidation(train, self.validation) {
      try TaggedSentence.read($0)
    }
    var training = SequenceTaggerTraining()
    training.architecture.cell = (common.cell ?? .lstm).kind
    training.architecture.layers = common.layers ?? 1
    training.architecture.hidden = common.hidden ?? 128
    training.architecture.embeddingDimension = common.embeddingDimension ?? 100
    training.architecture.dropout = common.dropout ?? 0.3
    training.architecture.crf = crf
    training.architecture.characterFeatures = characterFeatures
    training.architecture.lowercase = !keepCase
    training.minimumFrequency = minimumFrequency
    training.pretrained = pretrained.map(URL.init(fileURLWithPath:))
    training.batchSize = common.batchSize ?? 32
    training.optimizer = common.optimizer ?? .adam
    training.learningRate = common.learningRate ?? 1e-3
    training.seed = common.seed
    training.trainer = common.trainerSettings(training.trainer)
    if common.epochs == nil { training.trainer.epochs = 10 }
    Launch.say("training on \(sentences.count) sentences, validating on \(validation.count)\n")
    let (_, report, result) = try training.train(
      sentences, validation: validation, output: output, metricsFile: metrics, resume: common.resume)
    common.report(result, unit: "sentences", report.summary, output: output)
  }
}

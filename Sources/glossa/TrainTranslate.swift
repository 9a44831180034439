import ArgumentParser
import Foundation
import GlossaData
import GlossaModels
import GlossaNN

/// `glossa train translate`: an encoder-decoder with attention from parallel text.
struct TrainTranslate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "translate",
    abstract: "Train a translation model (an encoder-decoder with attention) on source<TAB>target lines.",
    discussion: """
      The lecture's sequence-to-sequence network: an encoder RNN reads the source sentence, \
      a decoder RNN writes the translation one token at a time, attending to every source \
      position (Bahdanau's additive attention, or Luong's dot or general). Trained with \
      teacher forcing; after each epoch the validation sentences are translated (greedy) and \
      the epoch with the best BLEU is kept in --output. Tokenizers are trained on the training \
      split (words, or BPE with --tokenizer bpe) unless tokenizer.json files are given.

      Examples:
        glossa train translate --train en-es.tsv --valid-fraction 0.1 --output en-es
        glossa train translate --train pairs.tsv --source-column 2 \\
          --target-column 1 --attention luong-general --output es-en
        glossa train translate --train en-es.tsv --attention none --output en-es-plain
      """)

  @Option(help: "The training pairs, source<TAB>target per line (more fields are allowed).")
  var train: String
  @OptionGroup var validation: Train.Validation
  @Option(name: .customLong("source-column"), help: "The field (from 1) that holds the source sentence.")
  var sourceColumn = 1
  @Option(name: .customLong("target-column"), help: "The field (from 1) that holds the target sentence.")
  var targetColumn = 2
  @Option(help: "The attention: bahdanau, luong-dot, luong-general or none.")
  var attention = "bahdanau"
  @Flag(
    name: .customLong("unidirectional"), help: "Read the source forwards only (bidirectional by default).")
  var unidirectional = false
  @Option(help: "word, bpe, or a tokenizer.json file, for both sides unless --target-tokenizer is given.")
  var tokenizer = "word"
  @Option(
    name: .customLong("target-tokenizer"), help: "word, bpe, or a tokenizer.json file for the target side.")
  var targetTokenizer: String?
  @Flag(
    name: .customLong("shared-tokenizer"), help: "One tokenizer for both languages, trained on both sides.")
  var sharedTokenizer = false
  @Option(name: .customLong("vocab-size"), help: "Each tokenizer's vocabulary size (bpe: 8000, word: 30000).")
  var vocabularySize: Int?
  @Option(name: .customLong("min-frequency"), help: "word: keep words seen this many times.")
  var minimumFrequency = 1
  @Flag(
    name: .customLong("lowercase"), help: "Lowercase both sides before tokenizing (case is kept by default).")
  var lowercase = false
  @Flag(name: .customLong("tie-embeddings"), help: "The output layer reuses the decoder's embedding.")
  var tieEmbeddings = false
  @Option(
    name: .customLong("teacher-forcing"),
    help: "The probability that the decoder reads the true previous token.")
  var teacherForcing: Float = 1
  @Option(name: .customLong("max-source-length"), help: "The longest source the model reads, in tokens.")
  var maximumSourceLength = 200
  @Flag(help: "Cut longer sources to --max-source-length (otherwise they are an error).")
  var truncate = false
  @OptionGroup var common: Train.Common

  func validate() throws {
    guard teacherForcing >= 0 && teacherForcing <= 1 else {
      throw ValidationError("--teacher-forcing must be in [0, 1]")
    }
    _ = try attentionKind()
  }

  /// The attention the option names (nil for none).
  func attentionKind() throws -> AttentionKind? {
    if attention == "none" { return nil }
    guard let kind = AttentionKind(rawValue: attention) else {
      throw ValidationError(
        "--attention must be bahdanau, luong-dot, luong-general or none, not '\(attention)'")
    }
    return kind
  }

  /// The tokenizer an option names.
  func source(_ name: String) -> TokenizerSource {
    switch name {
    case "word":
      .words(
        minimumFrequency: minimumFrequency, vocabularySize: vocabularySize ?? 30_000, lowercase: lowercase)
    case "bpe": .bpe(vocabularySize: vocabularySize ?? 8000, lowercase: lowercase)
    default: .file(URL(fileURLWithPath: name))
    }
  }

  func run() throws {
    let (output, metrics) = try common.prepare()
    let (pairs, validation) = try common.trainingAndValidation(train, self.validation) {
      try ParallelPair.read($0, sourceColumn: sourceColumn, targetColumn: targetColumn)
    }
    var training = Seq2SeqTraining()
    training.architecture.cell = (common.cell ?? .gru).kind
    training.architecture.layers = common.layers ?? 1
    training.architecture.hidden = common.hidden ?? 256
    training.architecture.embeddingDimension = common.embeddingDimension ?? 256
    training.architecture.dropout = common.dropout ?? 0.2
    training.architecture.bidirectional = !unidirectional
    training.architecture.attention = try attentionKind()
    training.architecture.tieEmbeddings = tieEmbeddings
    training.architecture.sharedTokenizer = sharedTokenizer
    training.architecture.maximumSourceLength = maximumSourceLength
    training.sourceTokenizer = source(tokenizer)
    training.targetTokenizer = source(targetTokenizer ?? tokenizer)
    training.teacherForcingRatio = teacherForcing
    training.truncate = truncate
    training.batchSize = common.batchSize ?? 32
    training.optimizer = common.optimizer ?? .adam
    training.learningRate = common.learningRate ?? 1e-3
    training.seed = common.seed
    training.trainer = common.trainerSettings(training.trainer)
    Launch.say("training on \(pairs.count) pairs, validating on \(validation.count)\n")
    let (_, evaluation, result) = try training.train(
      pairs, validation: validation, output: output, metricsFile: metrics, resume: common.resume)
    common.report(
      result, unit: "sentences",
      "validation (greedy): \(evaluation.bleu)\n  \(evaluation.bleu.signature)\n"
        + "validation (greedy): \(evaluation.chrf)\n  \(evaluation.chrf.signature)", output: output)
  }
}

import ArgumentParser
import Foundation
import GlossaAudio
import GlossaData
import GlossaModels

/// `glossa train speech`: a speech recogniser from transcribed WAV files.
struct TrainSpeech: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "speech",
    abstract: "Train a speech recogniser (a bidirectional RNN with CTC) on path<TAB>transcript manifests.",
    discussion: """
      The lecture's speech recognition: each clip's acoustic features (40 log-mel bands, or \
      MFCCs, of 25 ms frames every 10 ms at 16 kHz; other rates are resampled), --stack frames \
      at a time, go through a stack of bidirectional recurrent layers whose every step gives \
      the probabilities of the alphabet's characters and the blank; the CTC loss sums over every \
      alignment of the transcript. After each epoch the validation clips are transcribed \
      (greedy decoding) and the epoch with the lowest character error rate is kept in --output. \
      Paths in a manifest are relative to its folder. scripts/make-speech-corpus.sh speaks a \
      corpus with espeak-ng.

      Examples:
        glossa train speech --train digits/train.tsv --valid digits/valid.tsv \\
          --output digits-asr
        glossa train speech --train clips.tsv --valid-fraction 0.1 --features mfcc \\
          --deltas --unidirectional --output asr
      """)

  @Option(help: "The training manifest: path<TAB>transcript per line.")
  var train: String
  @OptionGroup var validation: Train.Validation
  @Option(help: "The characters transcripts may hold (default: a to z, apostrophe and space).")
  var alphabet = "abcdefghijklmnopqrstuvwxyz' "
  @Option(help: "Acoustic features: log-mel or mfcc.")
  var features: AcousticFeatures.Kind = .logMel
  @Option(help: "Mel bands.")
  var bands = 40
  @Option(name: .customLong("mel-scale"), help: "htk or slaney.")
  var melScale: MelScale = .htk
  @Option(help: "MFCCs kept (with --features mfcc).")
  var coefficients = 13
  @Flag(help: "Add each feature's deltas and delta-deltas.")
  var deltas = false
  @Option(help: "Feature frames stacked into one recurrent step.")
  var stack = 3
  @Flag(help: "Read each clip forwards only (bidirectional by default).")
  var unidirectional = false
  @Flag(
    name: .customLong("mix-down"), help: "Read clips of several channels as their mean (otherwise an error).")
  var mixDown = false
  @OptionGroup var common: Train.Common

  func validate() throws {
    guard stack > 0, bands > 0, coefficients > 0 else {
      throw ValidationError("--stack, --bands and --coefficients must be positive")
    }
  }

  func run() throws {
    let (output, metrics) = try common.prepare()
    let (clips, validation) = try common.trainingAndValidation(train, self.validation) {
      try TranscribedClip.read($0)
    }
    var training = SpeechRecognizerTraining()
    training.architecture.alphabet = Array(alphabet).map(String.init)
    training.architecture.features.kind = features
    training.architecture.features.bands = bands
    training.architecture.features.melScale = melScale
    training.architecture.features.coefficients = coefficients
    training.architecture.features.deltas = deltas
    training.architecture.stack = stack
    training.architecture.bidirectional = !unidirectional
    training.architecture.cell = (common.cell ?? .gru).kind
    training.architecture.layers = common.layers ?? 2
    training.architecture.hidden = common.hidden ?? 128
    training.architecture.dropout = common.dropout ?? 0.1
    training.batchSize = common.batchSize ?? 16
    training.optimizer = common.optimizer ?? .adam
    training.learningRate = common.learningRate ?? 1e-3
    training.seed = common.seed
    training.mixDown = mixDown
    training.trainer = common.trainerSettings(training.trainer)
    Launch.say("training on \(clips.count) clips, validating on \(validation.count)\n")
    let (_, evaluation, result) = try training.train(
      clips, validation: validation, output: output, metricsFile: metrics, resume: common.resume)
    common.report(
      result, unit: "clips", "validation (greedy): \(evaluation.cer)\nvalidation (greedy): \(evaluation.wer)",
      output: output)
  }
}

extension AcousticFeatures.Kind: ExpressibleByArgument {}
extension MelScale: ExpressibleByArgument {}

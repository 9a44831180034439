import ArgumentParser
import Foundation
import GlossaAudio
import GlossaModels

/// `glossa transcribe`: what a speech recogniser hears in WAV files.
struct Transcribe: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Transcribe WAV files with a model trained by glossa train speech.",
    discussion: """
      One line per file, in the order given: path<TAB>transcript (greedy decoding: the most \
      likely character at each step, repeats merged, blanks dropped). With --json, one JSON \
      object per file with each word's start and end in seconds, from the steps that wrote its \
      letters (with --beam, on the most likely path that spells the text found). A clip at \
      another sample rate is resampled; a stereo clip is mixed down with --mix-down, and \
      refused without it.

      Examples:
        glossa transcribe --model digits-asr clip1.wav clip2.wav
        glossa transcribe --model digits-asr --json clip.wav
      """)

  @Option(help: "The model directory.")
  var model: String
  @Argument(help: "The WAV files.")
  var files: [String]
  @Flag(help: "One JSON object per file, with word times.")
  var json = false
  @Flag(name: .customLong("mix-down"), help: "Read a clip of several channels as their mean.")
  var mixDown = false
  @Option(help: "Prefix beam search with this many prefixes (1: greedy decoding).")
  var beam = 1
  @OptionGroup var languageModel: SpeechLanguageModelFlags

  func validate() throws {
    guard beam >= 1 else { throw ValidationError("--beam must be positive, not \(beam)") }
  }

  func run() throws {
    guard case .speech(let recognizer) = try SavedModel(contentsOf: URL(fileURLWithPath: model)) else {
      throw ValidationError("\(model) is not a speech recogniser (train one with glossa train speech)")
    }
    let start = Date()
    var seconds = 0.0
    let features = try files.map { path -> [[Float]] in
      let clip = try WAV.read(URL(fileURLWithPath: path))
      seconds += clip.duration
      return try recognizer.features(clip, mixDown: mixDown, file: path)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for (path, transcript) in zip(
      files,
      recognizer.transcribe(features: features, beam: beam, fusion: try languageModel.fusion(recognizer)))
    {
      if json {
        struct Line: Encodable {
          let path: String
          let transcript: Transcript
        }
        print(String(decoding: try encoder.encode(Line(path: path, transcript: transcript)), as: UTF8.self))
      } else {
        print("\(path)\t\(transcript.text)")
      }
    }
    let elapsed = max(Date().timeIntervalSince(start), 1e-9)
    FileHandle.standardError.write(
      Data(
        String(
          format: "%d files, %.1f s of audio, %.0f× real time\n", files.count, seconds, seconds / elapsed
        ).utf8))
  }
}

/// A character n-gram language model for a speech recogniser's beam search, counted from a
/// text file when the command starts (glossa transcribe and glossa evaluate).
struct SpeechLanguageModelFlags: ParsableArguments {
  @Option(
    name: .customLong("lm-text"),
    help: "speech: count a character language model from this text's lines (needs --beam above 1).")
  var text: String?
  @Option(name: .customLong("lm-order"), help: "speech: the language model's n.")
  var order = 5
  @Option(
    name: .customLong("lm-weight"),
    help: "speech: the language model's weight α in log P_CTC + α log P_LM + β · length.")
  var weight = 0.5
  @Option(name: .customLong("lm-reward"), help: "speech: the reward β per character.")
  var reward = 1.0

  /// The fusion these flags ask for, counted over the text with the model's alphabet (lowercased).
  func fusion(_ recognizer: SpeechRecognizer) throws -> ShallowFusion? {
    guard let text else { return nil }
    guard order >= 1 else { throw ValidationError("--lm-order must be positive") }
    let lines = try String(contentsOfFile: text, encoding: .utf8).lowercased().split(separator: "\n").map(
      String.init)
    let model = CharacterNGramModel(
      order: order, alphabet: recognizer.configuration.alphabet.map { Character($0) }, lines: lines)
    return ShallowFusion(model: model, weight: weight, reward: reward)
  }
}

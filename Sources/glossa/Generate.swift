import ArgumentParser
import Foundation
import GlossaModels

/// `glossa generate`: text from a language model.
struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Generate text with a saved language model, printing it as it comes.",
    discussion: """
      Continues the prompt one token at a time: each is drawn from the model's distribution \
      (sharpened or flattened by --temperature, cut to the --top-k most likely or to the \
      nucleus of probability --top-p, repeated tokens penalised by --repetition-penalty) and \
      fed back in. --temperature 0 takes the most likely token. The same --seed gives the same \
      text.

      Examples:
        glossa generate --model lm --prompt "it is a truth" --tokens 40 --top-k 20 \\
          --seed 1 --suppress "<unk>"
        glossa generate --model lm --prompt "she said" --temperature 0 --stop "."
      """)

  @Option(help: "The language model's directory.")
  var model: String
  @Option(help: "The text to continue.")
  var prompt = ""
  @Option(help: "How many tokens to generate at most.")
  var tokens = 50
  @Option(help: "Divide the scores by T before the softmax (0: the most likely token).")
  var temperature: Float = 1
  @Option(name: .customLong("top-k"), help: "Draw only from the K most likely tokens.")
  var topK: Int?
  @Option(
    name: .customLong("top-p"), help: "Draw only from the most likely tokens whose probabilities reach P.")
  var topP: Double?
  @Option(name: .customLong("repetition-penalty"), help: "Penalise tokens already there (1: none).")
  var repetitionPenalty: Float = 1
  @Option(help: "Stop once the text ends with this (repeatable).")
  var stop: [String] = []
  @Option(help: "Never generate this token, e.g. <unk> (repeatable).")
  var suppress: [String] = []
  @Option(help: "The seed of the draws.")
  var seed: UInt64 = 0

  func validate() throws {
    guard tokens >= 1, temperature >= 0, repetitionPenalty > 0 else {
      throw ValidationError(
        "--tokens must be positive, --temperature not negative, --repetition-penalty positive")
    }
    if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
  }

  func run() throws {
    guard case .languageModel(let languageModel) = try SavedModel(contentsOf: URL(fileURLWithPath: model))
    else {
      throw ValidationError("\(model) is a classifier: use glossa predict")
    }
    var sampling = Sampling()
    sampling.suppressedTokens = try suppress.map { token in
      guard let id = languageModel.tokenizer.model.id(of: token) else {
        throw ValidationError("--suppress \(token): the model has no such token")
      }
      return id
    }
    (sampling.temperature, sampling.topK, sampling.topP) = (temperature, topK, topP)
    (sampling.repetitionPenalty, sampling.maximumTokens, sampling.stop, sampling.seed) = (
      repetitionPenalty, tokens, stop, seed
    )
    FileHandle.standardOutput.write(Data(prompt.utf8))
    let generation = languageModel.generate(from: prompt, sampling: sampling) { piece in
      FileHandle.standardOutput.write(Data(piece.utf8))
      return true
    }
    FileHandle.standardOutput.write(Data("\n".utf8))
    FileHandle.standardError.write(
      Data(
        String(format: "%d tokens, %.0f tokens/s\n", generation.ids.count, generation.tokensPerSecond).utf8))
  }
}

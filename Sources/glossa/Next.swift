import ArgumentParser
import Foundation
import GlossaModels

/// `glossa next`: the next-word distribution.
struct Next: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "The words a saved language model expects next, with their probabilities.",
    discussion: """
      The lecture's next-word prediction: after TEXT, the --top most likely tokens and the \
      probability the model gives each, most likely first.

      Examples:
        glossa next --model lm "it is a truth universally"
      """)

  @Option(help: "The language model's directory.")
  var model: String
  @Option(help: "How many words.")
  var top = 10
  @Argument(help: "The text so far.")
  var text: String

  func run() throws {
    guard case .languageModel(let languageModel) = try SavedModel(contentsOf: URL(fileURLWithPath: model))
    else {
      throw ValidationError("\(model) is a classifier: use glossa predict")
    }
    for (token, probability) in languageModel.nextTokens(after: text, top: top) {
      print(String(format: "%@\t%.4f", token, probability))
    }
  }
}

import ArgumentParser
import Foundation
import GlossaModels
import GlossaText

/// `glossa predict`: a classifier's label for each text.
struct Predict: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Label texts with a saved classifier.",
    discussion: """
      Prints, for each TEXT argument or each line of standard input, the most likely label \
      and its probability, tab-separated (with --top K, the K most likely).

      Examples:
        glossa predict --model sentiment "A warm, funny film." "Dull and far too long."
        glossa predict --model sentiment --top 2 --json < reviews.txt
      """)

  @Option(help: "The classifier's model directory.")
  var model: String
  @Option(help: "Show the K most likely labels.")
  var top = 1
  @Flag(help: "One JSON object per text.")
  var json = false
  @Argument(help: "Texts (default: standard input, a text per line).")
  var texts: [String] = []

  func validate() throws { guard top >= 1 else { throw ValidationError("--top must be positive") } }

  func run() throws {
    guard case .classifier(let classifier) = try SavedModel(contentsOf: URL(fileURLWithPath: model)) else {
      throw ValidationError("\(model) is a language model: use glossa generate or glossa next")
    }
    var inputs = texts
    if inputs.isEmpty {
      let input = try decodeUTF8(FileHandle.standardInput.readDataToEndOfFile(), file: "<stdin>")
      inputs = input.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if inputs.last == "" { inputs.removeLast() }
    }
    let start = Date()
    let predictions = classifier.predict(inputs)
    let rate = Double(inputs.count) / max(Date().timeIntervalSince(start), 1e-9)
    FileHandle.standardError.write(Data(String(format: "%d texts, %.0f texts/s\n", inputs.count, rate).utf8))
    var out = ""
    for prediction in predictions {
      if json {
        out += try jsonLine(
          prediction.ranked.prefix(top).map { ["label": $0.label, "probability": String($0.probability)] })
      } else {
        out += prediction.ranked.prefix(top).map { String(format: "%@\t%.4f", $0.label, $0.probability) }
          .joined(separator: "\t")
      }
      out += "\n"
    }
    FileHandle.standardOutput.write(Data(out.utf8))
  }
}

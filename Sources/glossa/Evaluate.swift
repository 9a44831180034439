import ArgumentParser
import Foundation
import GlossaData
import GlossaModels

/// `glossa evaluate`: a saved model's figures on labelled data.
struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure a saved model on data it was not trained on.",
    discussion: """
      A classifier reads label<TAB>text lines and reports accuracy, macro-F1, each class's \
      precision, recall and F1, and the confusion matrix; a language model reads text and \
      reports its perplexity.

      Examples:
        glossa evaluate --model sentiment --data test.tsv
        glossa evaluate --model lm --data valid.txt --json
      """)

  @Option(help: "The model directory.")
  var model: String
  @Option(help: "The data: label<TAB>text for a classifier, text for a language model.")
  var data: String
  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    let url = URL(fileURLWithPath: data)
    let start = Date()
    switch try SavedModel(contentsOf: URL(fileURLWithPath: model)) {
    case .classifier(let classifier):
      let examples = try LabeledText.read(url)
      let (metrics, loss) = try classifier.evaluate(examples)
      let rate = Double(examples.count) / max(Date().timeIntervalSince(start), 1e-9)
      FileHandle.standardError.write(
        Data(String(format: "%d examples, %.0f examples/s\n", examples.count, rate).utf8))
      if json {
        struct Report: Encodable {
          let metrics: ClassificationMetrics
          let loss: Double
          let examples: Int
        }
        print(try jsonLine(Report(metrics: metrics, loss: loss, examples: examples.count)))
      } else {
        print(metrics.summary)
        print(String(format: "loss %.4f", loss))
      }
    case .languageModel(let languageModel):
      let (loss, perplexity, tokens) = try languageModel.perplexity(of: Corpus(files: [url]))
      let rate = Double(tokens) / max(Date().timeIntervalSince(start), 1e-9)
      FileHandle.standardError.write(Data(String(format: "%d tokens, %.0f tokens/s\n", tokens, rate).utf8))
      if json {
        print(try jsonLine(["perplexity": perplexity, "loss": loss, "tokens": Double(tokens)]))
      } else {
        print(
          String(
            format: "perplexity %.2f  (loss %.4f nats per token over %d tokens)", perplexity, loss, tokens))
      }
    }
  }
}

/// One JSON line, keys sorted.
func jsonLine(_ value: some Encodable) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  return String(decoding: try encoder.encode(value), as: UTF8.self)
}

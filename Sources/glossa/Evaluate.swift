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
      reports its perplexity; a tagger reads token<TAB>tag sentences and reports token \
      accuracy, each tag's figures and, for entity tags, entity precision, recall and F1 as \
      conlleval counts them; a forecaster reads a CSV and reports its errors beside the naive \
      forecast's; a translation model reads source<TAB>target pairs and reports BLEU and chrF \
      as sacreBLEU computes them by default, with their signatures; a speech recogniser reads \
      a path<TAB>transcript manifest and reports the character and word error rates.

      Examples:
        glossa evaluate --model sentiment --data test.tsv
        glossa evaluate --model lm --data valid.txt --json
        glossa evaluate --model en-es --data test.tsv --beam 5
      """)

  @Option(help: "The model directory.")
  var model: String
  @Option(help: "The data: label<TAB>text for a classifier, text for a language model.")
  var data: String
  @Flag(help: "Print one JSON object instead of text.")
  var json = false
  @OptionGroup var series: SeriesOptions
  @OptionGroup var translation: TranslationOptions
  @OptionGroup var languageModel: SpeechLanguageModelFlags

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
    case .tagger(let tagger):
      let sentences = try TaggedSentence.read(url)
      let metrics = try tagger.evaluate(sentences)
      let rate = Double(sentences.count) / max(Date().timeIntervalSince(start), 1e-9)
      FileHandle.standardError.write(
        Data(String(format: "%d sentences, %.0f sentences/s\n", sentences.count, rate).utf8))
      print(json ? try jsonLine(metrics) : metrics.summary)
    case .translator(let translator):
      let pairs = try ParallelPair.read(
        url, sourceColumn: translation.sourceColumn, targetColumn: translation.targetColumn)
      let evaluation = try translator.evaluate(pairs, options: try translation.decoding.options())
      let rate = Double(pairs.count) / max(Date().timeIntervalSince(start), 1e-9)
      FileHandle.standardError.write(
        Data(String(format: "%d sentences, %.1f sentences/s\n", pairs.count, rate).utf8))
      if json {
        print(try jsonLine(evaluation))
      } else {
        print(
          "\(evaluation.bleu)\n  \(evaluation.bleu.signature)\n\(evaluation.chrf)\n  \(evaluation.chrf.signature)"
        )
      }
    case .speech(let recognizer):
      let evaluation = try recognizer.evaluate(
        try TranscribedClip.read(url), beam: translation.decoding.beam,
        fusion: try languageModel.fusion(recognizer))
      let rate = Double(evaluation.clips) / max(Date().timeIntervalSince(start), 1e-9)
      FileHandle.standardError.write(
        Data(String(format: "%d clips, %.1f clips/s\n", evaluation.clips, rate).utf8))
      print(json ? try jsonLine(evaluation) : "\(evaluation.cer)\n\(evaluation.wer)")
    case .forecaster(let forecaster):
      let data = try series.read(url, forecaster.configuration)
      let evaluation = try forecaster.evaluate(data)
      if json {
        struct Report: Encodable {
          let network: ForecastMetrics
          let naive: ForecastMetrics
          let windows: Int
        }
        print(
          try jsonLine(
            Report(network: evaluation.model, naive: evaluation.naive, windows: evaluation.windows)))
      } else {
        print("windows: \(evaluation.windows)")
        for (name, m) in [("network", evaluation.model), ("naive", evaluation.naive)] {
          print(
            name.padding(toLength: 8, withPad: " ", startingAt: 0)
              + String(format: " MAE %.6g  RMSE %.6g  direction %.4f", m.mae, m.rmse, m.directionAccuracy)
              + (m.mase.map { String(format: "  MASE %.4f", $0) } ?? ""))
        }
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

/// The options that say how a CSV becomes a forecaster's series.
struct SeriesOptions: ParsableArguments {
  @Option(help: "forecaster: keep only the rows where COLUMN has VALUE (COLUMN=VALUE).")
  var filter: String?
  @Option(help: "forecaster: the column the rows are sorted by.")
  var date = "Date"
  @Option(help: "forecaster: what a missing value does: error, skip or fill-previous.")
  var missing: MissingValues = .error

  /// The series of the forecaster's columns in the CSV at `url`.
  func read(_ url: URL, _ configuration: ForecasterConfiguration) throws -> TimeSeries {
    var rowFilter: (String, String)?
    if let filter {
      let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw ValidationError("--filter expects COLUMN=VALUE, got \(filter)") }
      rowFilter = (parts[0], parts[1])
    }
    return try TimeSeries(
      CSVTable(contentsOf: url), date: date, columns: configuration.features, filter: rowFilter,
      missing: missing)
  }
}

/// Which fields of a parallel-text file a translation model is evaluated on.
struct TranslationOptions: ParsableArguments {
  @Option(name: .customLong("source-column"), help: "translation: the field (from 1) of the source sentence.")
  var sourceColumn = 1
  @Option(name: .customLong("target-column"), help: "translation: the field (from 1) of the reference.")
  var targetColumn = 2
  @OptionGroup var decoding: DecodingFlags
}

import ArgumentParser
import Foundation
import GlossaData
import GlossaModels
import GlossaText
import GlossaViz

/// `glossa predict`: a saved model's answers for new input.
struct Predict: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Label texts, tag sentences or forecast a series with a saved model.",
    discussion: """
      A classifier prints, for each TEXT argument or each line of standard input, the most \
      likely label and its probability, tab-separated (with --top K, the K most likely). A \
      tagger prints each line's whitespace-separated tokens as token/TAG; with --conll it \
      reads a token per line with a blank line between sentences and prints token<TAB>TAG in \
      the same layout, line for line. A forecaster reads the CSV of --data and prints each \
      window's forecast by date (--plot draws them).

      Examples:
        glossa predict --model sentiment "A warm, funny film." \\
          "Dull and far too long."
        glossa predict --model pos "The old man the boats ."
        glossa predict --model ner --conll < tokens.txt
        glossa predict --model aapl --data stocks.csv --filter Ticker=AAPL \\
          --plot aapl.svg
      """)

  @Option(help: "The model directory.")
  var model: String
  @Option(help: "classifier: show the K most likely labels.")
  var top = 1
  @Flag(help: "classifier: one JSON object per text.")
  var json = false
  @Flag(help: "tagger: read and write one token per line, sentences separated by blank lines.")
  var conll = false
  @Option(help: "forecaster: the CSV to forecast.")
  var data: String?
  @Option(help: "forecaster: draw the series and the forecasts into this SVG file.")
  var plot: String?
  @OptionGroup var series: SeriesOptions
  @Argument(help: "Texts (default: standard input, a text per line).")
  var texts: [String] = []

  func validate() throws { guard top >= 1 else { throw ValidationError("--top must be positive") } }

  func run() throws {
    switch try SavedModel(contentsOf: URL(fileURLWithPath: model)) {
    case .classifier(let classifier): try classify(classifier)
    case .tagger(let tagger): try tag(tagger)
    case .forecaster(let forecaster): try forecast(forecaster)
    case .languageModel:
      throw ValidationError("\(model) is a language model: use glossa generate or glossa next")
    case .translator:
      throw ValidationError("\(model) is a translation model: use glossa translate")
    case .speech:
      throw ValidationError("\(model) is a speech recogniser: use glossa transcribe")
    }
  }

  /// The arguments, or the lines of standard input.
  func inputLines() throws -> [String] {
    guard texts.isEmpty else { return texts }
    let input = try decodeUTF8(FileHandle.standardInput.readDataToEndOfFile(), file: "<stdin>")
    var lines = input.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
      .map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  func classify(_ classifier: TextClassifier) throws {
    let inputs = try inputLines()
    let start = Date()
    let predictions = classifier.predict(inputs)
    report(inputs.count, "texts", since: start)
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

  func tag(_ tagger: SequenceTagger) throws {
    let lines = try inputLines()
    let start = Date()
    var out = ""
    if conll {
      // Sentences are the runs of non-blank lines; blank lines are written back as they were.
      var sentences: [[String]] = [[]]
      for line in lines {
        if line.allSatisfy(\.isWhitespace) {
          sentences.append([])
        } else {
          sentences[sentences.count - 1].append(line)
        }
      }
      let tagged = tagger.tag(sentences)
      out = zip(sentences, tagged).map { tokens, tags in
        zip(tokens, tags).map { "\($0)\t\($1)\n" }.joined()
      }.joined(separator: "\n")
      report(sentences.filter { !$0.isEmpty }.count, "sentences", since: start)
    } else {
      let sentences = lines.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
      for (tokens, tags) in zip(sentences, tagger.tag(sentences)) {
        out += zip(tokens, tags).map { "\($0)/\($1)" }.joined(separator: " ") + "\n"
      }
      report(sentences.count, "sentences", since: start)
    }
    FileHandle.standardOutput.write(Data(out.utf8))
  }

  func forecast(_ forecaster: Forecaster) throws {
    guard let data else { throw ValidationError("a forecaster needs --data FILE.csv") }
    let values = try series.read(URL(fileURLWithPath: data), forecaster.configuration)
    let forecasts = forecaster.forecasts(values)
    var out = "date,forecast\n"
    for row in forecasts { out += "\(row.date),\(row.forecast)\n" }
    FileHandle.standardOutput.write(Data(out.utf8))
    if let plot {
      let c = forecaster.configuration
      var chart = LinePlot(
        title: "\(c.target): \(c.predict.rawValue) \(c.horizon) ahead", xLabel: "row",
        yLabel: c.predict.rawValue)
      if c.predict == .value, let actual = values.column(c.target) {
        chart.add(LinePlot.Series("actual", actual.enumerated().map { (Double($0.offset), $0.element) }))
      }
      chart.add(
        LinePlot.Series(
          "forecast",
          forecasts.enumerated().map { (Double($0.offset + c.window - 1 + c.horizon), $0.element.forecast) }))
      try chart.write(to: URL(fileURLWithPath: plot))
    }
  }

  func report(_ count: Int, _ unit: String, since start: Date) {
    let rate = Double(count) / max(Date().timeIntervalSince(start), 1e-9)
    FileHandle.standardError.write(Data(String(format: "%d %@, %.0f %@/s\n", count, unit, rate, unit).utf8))
  }
}

import ArgumentParser
import Foundation
import GlossaData
import GlossaModels

/// `glossa train forecast`: a forecaster from a CSV of daily data.
struct TrainForecast: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forecast",
    abstract: "Train a forecaster of the next value, return or direction on a CSV time series.",
    discussion: """
      The lecture's sequence-to-one network: a window of --window rows of the --features \
      columns (scaled by the training period's statistics alone) goes through a recurrent \
      network whose last state predicts the --target column --horizon rows ahead. The rows \
      are sorted by --date and split in time: training, then validation, then test. The test \
      period's forecasts are compared with the naive one (next = last) and a linear \
      autoregression, written to --output/predictions.csv and drawn in forecast.svg.

      Examples:
        glossa train forecast --train stocks.csv --filter Ticker=AAPL \\
          --target Close --output aapl
        glossa train forecast --train sp500.csv --target Close --predict direction \\
          --window 20 --output sp
      """)

  @Option(help: "The CSV file (a header row).")
  var train: String
  @Option(help: "The column to forecast.")
  var target: String
  @Option(help: "The columns read at each step, comma-separated (default: the target alone).")
  var features: String?
  @Option(help: "Keep only the rows where COLUMN has VALUE (COLUMN=VALUE).")
  var filter: String?
  @Option(help: "The column the rows are sorted by.")
  var date = "Date"
  @Option(help: "Rows in a window.")
  var window = 30
  @Option(help: "How many rows ahead the forecast is.")
  var horizon = 1
  @Option(help: "What is predicted: value, return or direction.")
  var predict: ForecastTarget = .value
  @Option(help: "What a missing value does: error, skip or fill-previous.")
  var missing: MissingValues = .error
  @OptionGroup var common: Train.Common

  func run() throws {
    let (output, metrics) = try common.prepare()
    let table = try CSVTable(contentsOf: URL(fileURLWithPath: train))
    let columns = features.map { $0.split(separator: ",").map(String.init) } ?? [target]
    var rowFilter: (String, String)?
    if let filter {
      let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw ValidationError("--filter expects COLUMN=VALUE, got \(filter)") }
      rowFilter = (parts[0], parts[1])
    }
    let series = try TimeSeries(
      table, date: date, columns: columns.contains(target) ? columns : columns + [target], filter: rowFilter,
      missing: missing)
    var architecture = ForecasterConfiguration(features: series.columns, target: target)
    (architecture.window, architecture.horizon, architecture.predict) = (window, horizon, predict)
    architecture.cell = (common.cell ?? .lstm).kind
    architecture.layers = common.layers ?? 1
    architecture.hidden = common.hidden ?? 32
    architecture.dropout = common.dropout ?? 0
    var training = ForecasterTraining(architecture: architecture)
    training.batchSize = common.batchSize ?? 32
    training.optimizer = common.optimizer ?? .adam
    training.learningRate = common.learningRate ?? 1e-3
    training.seed = common.seed
    training.trainer = common.trainerSettings(training.trainer)
    if common.epochs == nil { training.trainer.epochs = 30 }
    Launch.say("\(series.count) rows, \(series.dates.first ?? "") to \(series.dates.last ?? "")\n")
    let (_, report) = try training.train(series, output: output, metricsFile: metrics, resume: common.resume)
    if Launch.speaks { print(ForecastCommand.table(report)) }
    Launch.say("wrote \(output.path) (predictions.csv, forecast.svg)\n")
  }
}

/// Printing forecasts' metrics side by side.
enum ForecastCommand {
  static func table(_ report: ForecasterTraining.Report) -> String {
    func cell(_ value: Double?) -> String {
      value.map { String(format: "%12.6g", $0) } ?? String(repeating: " ", count: 11) + "–"
    }
    var lines = [
      "test windows: \(report.split.test.count)",
      "             "
        + ["MAE", "RMSE", "MAPE", "MASE", "direction"].map {
          $0.padding(toLength: 12, withPad: " ", startingAt: 0)
        }.joined(separator: " "),
    ]
    for (name, m) in [
      ("network", report.model), ("naive", report.naive), ("linear AR", report.autoregression),
    ] {
      lines.append(
        name.padding(toLength: 12, withPad: " ", startingAt: 0) + " "
          + [cell(m.mae), cell(m.rmse), cell(m.mape), cell(m.mase), cell(m.directionAccuracy)].joined(
            separator: " "))
    }
    return lines.joined(separator: "\n")
  }
}

extension ForecastTarget: ExpressibleByArgument {}
extension MissingValues: ExpressibleByArgument {}

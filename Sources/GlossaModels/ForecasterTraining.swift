import Foundation
import GlossaData
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaViz

/// How well forecasts match what happened.
public struct ForecastMetrics: Sendable, Equatable, Encodable {
  /// Mean absolute error and root mean squared error, in the target's units.
  public var mae: Double, rmse: Double
  /// Mean absolute percentage error (values only).
  public var mape: Double?
  /// MAE divided by the naive forecast's MAE over the training period (below 1: better than
  /// "next = last"; values and returns only).
  public var mase: Double?
  /// The share of windows whose rise or fall was foreseen.
  public var directionAccuracy: Double

  enum CodingKeys: String, CodingKey {
    case mae, rmse, mape, mase
    case directionAccuracy = "direction_accuracy"
  }
}

/// A chronological split of a series' windows (by the row each ends at): training first, then
/// validation, then test. The training windows' targets all lie before the first validation
/// window ends, and the scaling is fitted on the rows up to the last training target, so that
/// nothing after the training period reaches the training.
public struct ForecastSplit: Sendable, Equatable {
  /// The rows the windows end at.
  public var train: [Int], validation: [Int], test: [Int]
  /// The last row the training may read.
  public var lastTrainingRow: Int

  /// A split of given parts.
  init(train: [Int], validation: [Int], test: [Int], lastTrainingRow: Int) {
    (self.train, self.validation, self.test, self.lastTrainingRow) = (
      train, validation, test, lastTrainingRow
    )
  }

  /// The split of a series of `rows` rows into windows of `window` steps forecasting `horizon`
  /// ahead, `validation` and `test` of them held out (shares of the windows).
  public init(rows: Int, window: Int, horizon: Int, validation: Double, test: Double) throws {
    let ends = Array((window - 1)..<max(window - 1, rows - horizon))
    guard ends.count >= 10 else {
      throw TrainingDataError.empty(
        "the windows (\(rows) rows are too few for windows of \(window) steps forecasting \(horizon) ahead: at least \(window + horizon + 9) are needed)"
      )
    }
    let testCount = max(1, Int(Double(ends.count) * test))
    let validationCount = max(1, Int(Double(ends.count) * validation))
    // A gap of `horizon` windows keeps each part's targets out of the next part's windows.
    let trainCount = ends.count - testCount - validationCount - 2 * horizon
    guard trainCount >= 1 else { throw TrainingDataError.empty("the training windows") }
    self.train = Array(ends[..<trainCount])
    self.validation = Array(ends[(trainCount + horizon)..<(trainCount + horizon + validationCount)])
    self.test = Array(ends[(ends.count - testCount)...])
    lastTrainingRow = ends[trainCount - 1] + horizon
  }
}

/// How a ``Forecaster`` is trained on a time series.
public struct ForecasterTraining {
  /// The architecture (its scaling is fitted on the training period).
  public var architecture: ForecasterConfiguration
  /// The shares of the windows held out for validation and test.
  public var validationShare = 0.15
  public var testShare = 0.15
  /// Windows per update.
  public var batchSize = 32
  /// The optimizer and its learning rate.
  public var optimizer = OptimizerKind.adam
  public var learningRate: Float = 1e-3
  /// The seed of the initialisation, the batch orders and the dropout masks.
  public var seed: UInt64 = 0
  /// The epochs, clipping, early stopping (on the validation loss) and logging.
  public var trainer = TrainerSettings()

  /// Settings for `architecture`.
  public init(architecture: ForecasterConfiguration) {
    self.architecture = architecture
    trainer.epochs = 30
  }

  /// What training reports: the test period's forecasts beside the two baselines'.
  public struct Report: Sendable {
    /// The split used.
    public var split: ForecastSplit
    /// The network's, the naive forecast's (next = last) and a linear autoregression's metrics on the test windows.
    public var model: ForecastMetrics, naive: ForecastMetrics, autoregression: ForecastMetrics
    /// Each test window's date, actual value and the three forecasts.
    public var predictions:
      [(date: String, actual: Double, model: Double, naive: Double, autoregression: Double)]
    /// The epochs' metrics.
    public var result: TrainingResult
  }

  /// Trains on `series` (see ``TextClassifierTraining/train(_:validation:output:metricsFile:resume:)``
  /// for `output`, `metricsFile` and `resume`), then forecasts the test period.
  public func train(
    _ series: TimeSeries, output: URL? = nil, metricsFile: URL? = nil, resume: Bool = false
  ) throws -> (Forecaster, Report) {
    var configuration = architecture
    guard configuration.features.contains(configuration.target) else {
      throw TrainingDataError.unknownLabel(configuration.target, known: configuration.features)
    }
    guard configuration.window > 0, configuration.horizon > 0 else {
      throw TrainingDataError.empty("the window and the horizon (both must be positive)")
    }
    let split = try ForecastSplit(
      rows: series.count, window: configuration.window, horizon: configuration.horizon,
      validation: validationShare,
      test: testShare)
    // Scaling: each column's typical day-to-day relative change, over the training period only.
    let seen = Array(series.values[...split.lastTrainingRow])
    configuration.scale = (0..<configuration.features.count).map { j in
      let changes = zip(seen.dropFirst(), seen).map { relativeChange($0[j], from: $1[j]) }
      let m = changes.reduce(0, +) / Double(max(changes.count, 1))
      let variance = changes.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(changes.count, 1))
      return max(variance.squareRoot(), 1e-9)
    }
    let model = Forecaster(configuration: configuration, seed: seed)
    let task = ForecastTask(model: model, series: series, split: split, batchSize: batchSize, seed: seed)
    var settings = trainer
    (settings.monitor, settings.monitorMaximizes) = ("loss", false)
    let result = try runTraining(
      task, model: model, optimizer: optimizer.make(model.parameters(), learningRate: learningRate),
      settings: settings,
      configuration: try runConfiguration(
        task: Forecaster.task, architecture: configuration,
        ["batch_size": String(batchSize), "optimizer": optimizer.rawValue, "seed": String(seed)]),
      unit: "windows", output: output, metricsFile: metricsFile, resume: resume)
    let report = Self.report(model, series, split, result)
    if let output {
      try Self.writePredictions(report, to: output.appendingPathComponent("predictions.csv"))
      try Self.plot(report, configuration).write(to: output.appendingPathComponent("forecast.svg"))
    }
    return (model, report)
  }

  /// The test period's forecasts and metrics beside the baselines'.
  static func report(
    _ model: Forecaster, _ series: TimeSeries, _ split: ForecastSplit, _ result: TrainingResult
  ) -> Report {
    let c = model.configuration
    let k = c.targetIndex
    let y = series.values.map { $0[k] }
    let h = c.horizon
    let forecasts = model.forecast(series, ends: split.test)
    let ar = Autoregression(fitting: split.train, series: y, window: c.window, horizon: h, target: c.predict)
    let naive = split.test.map { e -> Double in
      switch c.predict {
      case .value: y[e]
      case .return: 0
      case .direction: y[e] > y[e - 1] ? 1 : 0
      }
    }
    let autoregressive = split.test.map { ar.predict(y, end: $0) }
    let actual = split.test.map { e -> Double in
      switch c.predict {
      case .value: y[e + h]
      case .return: y[e + h] / y[e] - 1
      case .direction: y[e + h] > y[e] ? 1 : 0
      }
    }
    // The naive forecast's error over the training period, which MASE divides by.
    let inSample = split.train.map { e -> Double in
      switch c.predict {
      case .value: abs(y[e + h] - y[e])
      case .return: abs(y[e + h] / y[e] - 1)
      case .direction: 0
      }
    }
    let naiveError = inSample.reduce(0, +) / Double(max(inSample.count, 1))
    func metrics(_ predicted: [Double]) -> ForecastMetrics {
      let errors = zip(predicted, actual).map { $0 - $1 }
      let mae = errors.map(Swift.abs).reduce(0, +) / Double(errors.count)
      let rmse = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
      let rises = split.test.indices.map { i -> (Bool, Bool) in
        switch c.predict {
        case .value: (predicted[i] > y[split.test[i]], actual[i] > y[split.test[i]])
        case .return: (predicted[i] > 0, actual[i] > 0)
        case .direction: (predicted[i] > 0.5, actual[i] > 0.5)
        }
      }
      let direction = Double(rises.filter { $0.0 == $0.1 }.count) / Double(rises.count)
      let mape =
        c.predict == .value
        ? zip(predicted, actual).map { abs($0 - $1) / max(abs($1), 1e-12) }.reduce(0, +)
          / Double(actual.count) : nil
      let mase = c.predict == .direction || naiveError == 0 ? nil : mae / naiveError
      return ForecastMetrics(mae: mae, rmse: rmse, mape: mape, mase: mase, directionAccuracy: direction)
    }
    let rows = split.test.indices.map { i in
      (series.dates[split.test[i] + h], actual[i], forecasts[i], naive[i], autoregressive[i])
    }
    return Report(
      split: split, model: metrics(forecasts), naive: metrics(naive), autoregression: metrics(autoregressive),
      predictions: rows, result: result)
  }

  static func writePredictions(_ report: Report, to url: URL) throws {
    var text = "date,actual,forecast,naive,autoregression\n"
    for row in report.predictions {
      text += "\(row.date),\(row.actual),\(row.model),\(row.naive),\(row.autoregression)\n"
    }
    try Data(text.utf8).write(to: url, options: .atomic)
  }

  /// Actual against forecast (and the naive forecast) over the test period of `report`, by
  /// test window, for a model of configuration `c`; only the last `lastWindows` windows when
  /// given, where a long period would draw the three lines on top of each other.
  public static func plot(_ report: Report, _ c: ForecasterConfiguration, lastWindows: Int? = nil) -> LinePlot
  {
    let shown = report.predictions.suffix(lastWindows ?? report.predictions.count)
    var plot = LinePlot(
      title: "\(c.target): \(c.predict.rawValue) \(c.horizon) ahead, "
        + (shown.count == report.predictions.count ? "test period" : "last \(shown.count) test windows"),
      xLabel: "test window", yLabel: c.predict.rawValue)
    let rows = zip(shown.indices, shown).map { (offset: $0, element: $1) }
    plot.add(LinePlot.Series("actual", rows.map { (Double($0.offset), $0.element.actual) }))
    plot.add(LinePlot.Series("forecast", rows.map { (Double($0.offset), $0.element.model) }))
    plot.add(LinePlot.Series("naive", rows.map { (Double($0.offset), $0.element.naive) }))
    return plot
  }
}

/// The linear baseline: the target regressed on the window's last values of the target column
/// (and a constant) by least squares over the training windows.
struct Autoregression {
  let weights: [Double]
  let window: Int
  let horizon: Int
  let target: ForecastTarget

  init(fitting ends: [Int], series y: [Double], window: Int, horizon: Int, target: ForecastTarget) {
    (self.window, self.horizon, self.target) = (window, horizon, target)
    let n = window + 1
    var gram = [Double](repeating: 0, count: n * n)
    var right = [Double](repeating: 0, count: n)
    for e in ends {
      let x = Self.features(y, end: e, window: window)
      let t = Self.truth(y, end: e, horizon: horizon, target: target)
      for i in 0..<n {
        right[i] += x[i] * t
        for j in 0..<n { gram[i * n + j] += x[i] * x[j] }
      }
    }
    // A little ridge keeps the system solvable when prices barely move.
    for i in 0..<n { gram[i * n + i] += 1e-6 * Double(max(ends.count, 1)) }
    weights = Self.solve(gram, right, n)
  }

  /// The window's values relative to its last one (so that a level does not matter), and 1.
  static func features(_ y: [Double], end: Int, window: Int) -> [Double] {
    let last = y[end]
    return (0..<window).map { y[end - window + 1 + $0] / last - 1 } + [1]
  }

  static func truth(_ y: [Double], end: Int, horizon: Int, target: ForecastTarget) -> Double {
    switch target {
    case .value, .return: y[end + horizon] / y[end] - 1
    case .direction: y[end + horizon] > y[end] ? 1 : 0
    }
  }

  func predict(_ y: [Double], end: Int) -> Double {
    let r = zip(weights, Self.features(y, end: end, window: window)).map { $0 * $1 }.reduce(0, +)
    switch target {
    case .value: return y[end] * (1 + r)
    case .return: return r
    case .direction: return min(max(r, 0), 1)
    }
  }

  /// The solution of the n × n system by Gaussian elimination with partial pivoting.
  static func solve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
    var (a, b) = (a, b)
    for column in 0..<n {
      let pivot = (column..<n).max { abs(a[$0 * n + column]) < abs(a[$1 * n + column]) }!
      if pivot != column {
        for j in 0..<n { a.swapAt(column * n + j, pivot * n + j) }
        b.swapAt(column, pivot)
      }
      let d = a[column * n + column]
      guard abs(d) > 1e-300 else { continue }
      for row in (column + 1)..<n {
        let factor = a[row * n + column] / d
        for j in column..<n { a[row * n + j] -= factor * a[column * n + j] }
        b[row] -= factor * b[column]
      }
    }
    var x = [Double](repeating: 0, count: n)
    for row in stride(from: n - 1, through: 0, by: -1) {
      var sum = b[row]
      for j in (row + 1)..<n { sum -= a[row * n + j] * x[j] }
      x[row] = abs(a[row * n + row]) > 1e-300 ? sum / a[row * n + row] : 0
    }
    return x
  }
}

/// A forecaster's training, as the ``Trainer`` runs it.
final class ForecastTask: TrainingTask {
  typealias Batch = [Int]

  let forecaster: Forecaster
  var model: any Module { forecaster }
  private let series: TimeSeries
  private let split: ForecastSplit
  private let order: BatchOrder

  init(model: Forecaster, series: TimeSeries, split: ForecastSplit, batchSize: Int, seed: UInt64) {
    (forecaster, self.series, self.split) = (model, series, split)
    order = BatchOrder(descent: .miniBatch(batchSize), seed: seed)
  }

  var batchesPerEpoch: Int? {
    let size = max(1, order.descent.batchSize(for: split.train.count))
    return (split.train.count + size - 1) / size
  }

  func batches(epoch: Int, skipping: Int) throws -> BatchIterator<Batch> {
    var iterator = order.batches(count: split.train.count, epoch: epoch).dropFirst(skipping).makeIterator()
    return BatchIterator { [split] in iterator.next().map { $0.map { split.train[$0] } } }
  }

  func loss(_ ends: Batch) throws -> (loss: Tensor, examples: Int) {
    (loss(ends), ends.count)
  }

  /// Consecutive runs of the batch's windows, each loss's share its windows over the batch's
  /// (the loss is a mean over windows).
  func split(_ ends: Batch, into parts: Int) -> [(batch: Batch, share: Float)] {
    consecutiveRuns(ends.count, parts).map { (Array(ends[$0]), Float($0.count) / Float(ends.count)) }
  }

  private func loss(_ ends: [Int]) -> Tensor {
    let predicted = forecaster.raw(series, ends: ends)
    let targets = Tensor(ends.map { forecaster.target(series, end: $0) }, shape: [ends.count])
    return forecaster.configuration.predict == .direction
      ? binaryCrossEntropyWithLogits(predicted, targets) : mseLoss(predicted, targets)
  }

  func validate() throws -> [String: Double] {
    let value = withoutGradients { Double(loss(split.validation).item) }
    return ["loss": value]
  }
}

extension Forecaster {
  /// The forecaster's errors over every window of `series`, beside the naive forecast's (MASE
  /// scaled by the naive error over the same windows).
  public func evaluate(_ series: TimeSeries) throws -> (
    model: ForecastMetrics, naive: ForecastMetrics, windows: Int
  ) {
    let c = configuration
    let ends = Array((c.window - 1)..<max(c.window - 1, series.count - c.horizon))
    guard !ends.isEmpty else {
      throw TrainingDataError.empty(
        "the windows (\(series.count) rows, windows of \(c.window) forecasting \(c.horizon) ahead)")
    }
    let split = ForecastSplit(train: ends, validation: [], test: ends, lastTrainingRow: series.count - 1)
    let report = ForecasterTraining.report(
      self, series, split, TrainingResult(epochs: [], bestEpoch: 0, bestValue: .nan, stoppedEarly: false))
    return (report.model, report.naive, ends.count)
  }

  /// Each window's forecast: the date it is for, and the value (or return, or probability of
  /// a rise).
  public func forecasts(_ series: TimeSeries) -> [(date: String, forecast: Double)] {
    let c = configuration
    let ends = Array((c.window - 1)..<max(c.window - 1, series.count))
    let values = forecast(series, ends: ends)
    return zip(ends, values).map { end, value in
      (
        end + c.horizon < series.count ? series.dates[end + c.horizon] : "\(series.dates[end])+\(c.horizon)",
        value
      )
    }
  }
}

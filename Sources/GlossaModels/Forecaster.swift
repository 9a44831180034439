import Foundation
import GlossaData
import GlossaNN
import GlossaTensor

/// What a forecaster predicts, `horizon` rows ahead of a window's last row t.
public enum ForecastTarget: String, Sendable, Codable, CaseIterable {
  /// The target column's value at t + h.
  case value
  /// Its return, y[t + h] / y[t] − 1.
  case `return`
  /// Whether it rises: 1 when y[t + h] > y[t], else 0 (a probability, trained with binary
  /// cross-entropy).
  case direction
}

/// A forecaster's architecture and its data's layout, as its `config.json` holds it.
public struct ForecasterConfiguration: Codable, Sendable, Equatable {
  /// The columns read at each step, and the one forecast (among them).
  public var features: [String]
  public var target: String
  /// Steps in a window, and how far ahead of its last step the forecast is.
  public var window = 30
  public var horizon = 1
  /// What is predicted.
  public var predict: ForecastTarget = .value
  /// The recurrent unit, its layers and units.
  public var cell: RecurrentKind = .lstm
  public var layers = 1
  public var hidden = 32
  public var dropout: Float = 0
  /// Each feature's typical day-to-day relative change over the training period (the
  /// standard deviation of x_t / x_{t−1} − 1), which inputs and outputs are scaled by.
  public var scale: [Double] = []

  /// A configuration forecasting `target` from `features`.
  public init(features: [String], target: String) {
    self.features = features
    self.target = target
  }

  enum CodingKeys: String, CodingKey {
    case features, target, window, horizon, predict, cell, layers, hidden, dropout, scale
  }

  /// The target's position among the features.
  var targetIndex: Int { features.firstIndex(of: target) ?? 0 }
}

/// The lecture's sequence-to-one forecaster: a window of market data, one step per day →
/// an LSTM (or GRU, RNN) → its last state → a linear layer → the next day's value, return or
/// direction. Each window is read relative to its last row (x_t / x_last − 1, in units of the
/// feature's typical daily change over the training period alone), and a value is forecast as
/// a change from the last one, so that a price level never seen in training (a stock that has
/// grown tenfold) reads like any other.
public final class Forecaster: Module {
  /// The architecture and the scaling.
  public let configuration: ForecasterConfiguration
  /// The recurrent network.
  public let rnn: RecurrentNetwork
  /// From the last state to the forecast.
  public let output: Linear
  private let dropout: Dropout

  /// A new forecaster of `configuration`, initialised from `seed`.
  public init(configuration: ForecasterConfiguration, seed: UInt64 = 0) {
    self.configuration = configuration
    let c = configuration
    rnn = RecurrentNetwork(
      kind: c.cell, inputSize: c.features.count, hiddenSize: c.hidden, layers: c.layers,
      dropout: c.layers > 1 ? c.dropout : 0, seed: seed)
    output = Linear(c.hidden, 1, seed: seed &+ 1)
    dropout = Dropout(c.dropout, seed: seed &+ 2)
  }

  public var children: [(name: String, value: Any)] {
    [("rnn", rnn), ("output", output), ("dropout", dropout)]
  }

  /// The features of the windows ending at `ends` (inclusive), each relative to its window's
  /// last row and scaled, time-first for a batch.
  func inputs(_ series: TimeSeries, ends: [Int]) -> Tensor {
    let (w, f, b) = (configuration.window, configuration.features.count, ends.count)
    var x = [Float](repeating: 0, count: w * b * f)
    for (k, end) in ends.enumerated() {
      let last = series.values[end]
      for t in 0..<w {
        let row = series.values[end - w + 1 + t]
        for j in 0..<f {
          x[(t * b + k) * f + j] = Float(relativeChange(row[j], from: last[j]) / configuration.scale[j])
        }
      }
    }
    return Tensor(x, shape: [w, b, f])
  }

  /// The network's raw outputs for windows ending at `ends`, `[batch]` (scaled targets, or
  /// logits of a rise).
  func raw(_ series: TimeSeries, ends: [Int]) -> Tensor {
    let hidden = rnn(inputs(series, ends: ends)).state.hidden
    let last = hidden.slice(axis: 0, range: (hidden.shape[0] - 1)..<hidden.shape[0]).reshaped([
      ends.count, configuration.hidden,
    ])
    return output(dropout(last)).reshaped([ends.count])
  }

  /// The training target of the window ending at `end`, scaled as the network predicts it: the
  /// change from the last value (for a value or a return), or whether there is a rise.
  func target(_ series: TimeSeries, end: Int) -> Float {
    let k = configuration.targetIndex
    let (now, later) = (series.values[end][k], series.values[end + configuration.horizon][k])
    switch configuration.predict {
    case .value, .return: return Float(relativeChange(later, from: now) / configuration.scale[k])
    case .direction: return later > now ? 1 : 0
    }
  }

  /// The forecast, in the target's own units (a value, a return, or the probability of a
  /// rise), for the windows ending at each of `ends`.
  public func forecast(_ series: TimeSeries, ends: [Int]) -> [Double] {
    let wasTraining = rnn.isTraining
    eval()
    defer { train(wasTraining) }
    let k = configuration.targetIndex
    return withoutGradients {
      stride(from: 0, to: ends.count, by: 256).flatMap { start -> [Double] in
        let chunk = Array(ends[start..<min(start + 256, ends.count)])
        return zip(chunk, raw(series, ends: chunk).scalars).map { end, y in
          switch configuration.predict {
          case .value: series.values[end][k] * (1 + Double(y) * configuration.scale[k])
          case .return: Double(y) * configuration.scale[k]
          case .direction: 1 / (1 + Foundation.exp(-Double(y)))
          }
        }
      }
    }
  }

  static let task = "forecasting"

  /// Saves the forecaster as a model directory (a forecaster has no tokenizer: its
  /// `tokenizer.json` is an empty object).
  public func save(to directory: URL) throws {
    try ModelDirectory.write(
      configuration: ModelDirectory.SavedConfiguration(task: Self.task, model: configuration),
      tokenizer: Data("{}\n".utf8), model: self, to: directory)
  }

  /// Loads a forecaster saved by ``save(to:)``.
  public convenience init(contentsOf directory: URL) throws {
    let file = directory.appendingPathComponent("config.json").path
    let c = try ModelDirectory.architecture(ForecasterConfiguration.self, task: Self.task, in: directory)
    guard c.features.contains(c.target), c.scale.count == c.features.count, c.scale.allSatisfy({ $0 > 0 }),
      c.window > 0, c.horizon > 0, c.hidden > 0, c.layers > 0
    else {
      throw ModelFileError(
        file: file, field: "model",
        message: "expected the target among the features, a positive scale per feature, positive sizes")
    }
    try ModelDirectory.check(
      ModelDirectory.recurrentSizes(
        "rnn", hidden: ("hidden", c.hidden), input: ("features", c.features.count),
        layers: ("layers", c.layers)),
      dropout: c.dropout, in: directory)
    self.init(configuration: c)
    try ModelDirectory.loadWeights(into: self, from: directory)
    eval()
  }
}

extension Forecaster: SavedTaskModel {}

/// x / reference − 1, or 0 where the reference is 0.
@inline(__always)
func relativeChange(_ x: Double, from reference: Double) -> Double { reference != 0 ? x / reference - 1 : 0 }

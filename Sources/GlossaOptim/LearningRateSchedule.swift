import GlossaTensor

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Changes an optimizer's learning rate as training goes on. Call ``step(metric:)`` once per
/// epoch, after the optimizer's steps.
public protocol LearningRateSchedule: AnyObject {
  /// Advances one epoch; `metric` is the validation loss for schedules that watch it (a
  /// schedule that watches one throws ``LearningRateScheduleError/missingMetric(_:)`` without).
  func step(metric: Float?) throws
  /// What the schedule has counted (epochs, the best metric), for checkpoints; setting it
  /// restores it.
  var state: [String: Double] { get set }
}

/// Why a schedule could not advance.
public enum LearningRateScheduleError: Error, Equatable, CustomStringConvertible {
  /// The schedule watches a metric and was given none.
  case missingMetric(String)

  public var description: String {
    switch self {
    case .missingMetric(let schedule):
      "\(schedule) watches a validation metric, but step(metric:) was given none (pass the epoch's validation loss)"
    }
  }
}

/// Multiplies the learning rate by `gamma` every `stepSize` epochs (`StepLR`).
public final class StepSchedule: LearningRateSchedule {
  private let optimizer: any Optimizer
  private var initial: Float
  /// Epochs between decays.
  public let stepSize: Int
  /// The decay factor.
  public let gamma: Float
  private var epoch = 0

  /// A step schedule for `optimizer`.
  public init(_ optimizer: any Optimizer, stepSize: Int, gamma: Float = 0.1) {
    require(stepSize > 0, "StepSchedule: step size must be positive")
    self.optimizer = optimizer
    initial = optimizer.learningRate
    self.stepSize = stepSize
    self.gamma = gamma
  }

  public func step(metric: Float? = nil) {
    epoch += 1
    optimizer.learningRate = initial * powf(gamma, Float(epoch / stepSize))
  }

  public var state: [String: Double] {
    get { ["epoch": Double(epoch), "initial": Double(initial)] }
    set {
      epoch = Int(newValue["epoch"] ?? 0)
      initial = Float(newValue["initial"] ?? Double(initial))
    }
  }
}

/// Multiplies the learning rate by `gamma` every epoch (`ExponentialLR`).
public final class ExponentialSchedule: LearningRateSchedule {
  private let optimizer: any Optimizer
  /// The decay factor per epoch.
  public let gamma: Float

  /// An exponential schedule for `optimizer`.
  public init(_ optimizer: any Optimizer, gamma: Float) {
    self.optimizer = optimizer
    self.gamma = gamma
  }

  public func step(metric: Float? = nil) { optimizer.learningRate *= gamma }

  /// Nothing: the rate itself, which the optimizer's checkpoint holds, is the state.
  public var state: [String: Double] {
    get { [:] }
    set {}
  }
}

/// Cosine annealing from the initial rate down to `minimum` over `period` epochs
/// (`CosineAnnealingLR`): η_t = η_min + (η_0 − η_min)(1 + cos(π t / T)) / 2.
public final class CosineSchedule: LearningRateSchedule {
  private let optimizer: any Optimizer
  private var initial: Float
  /// T, the number of epochs of one half cosine.
  public let period: Int
  /// η_min, the rate at the end of the period.
  public let minimum: Float
  private var epoch = 0

  /// A cosine schedule for `optimizer`.
  public init(_ optimizer: any Optimizer, period: Int, minimum: Float = 0) {
    require(period > 0, "CosineSchedule: period must be positive")
    self.optimizer = optimizer
    initial = optimizer.learningRate
    self.period = period
    self.minimum = minimum
  }

  public func step(metric: Float? = nil) {
    epoch += 1
    let phase = Float.pi * Float(min(epoch, period)) / Float(period)
    optimizer.learningRate = minimum + (initial - minimum) * (1 + cosf(phase)) / 2
  }

  public var state: [String: Double] {
    get { ["epoch": Double(epoch), "initial": Double(initial)] }
    set {
      epoch = Int(newValue["epoch"] ?? 0)
      initial = Float(newValue["initial"] ?? Double(initial))
    }
  }
}

/// Divides the learning rate by 1/`factor` when the watched metric (a validation loss)
/// has not improved for `patience` epochs (`ReduceLROnPlateau`, mode "min").
public final class ReduceOnPlateau: LearningRateSchedule {
  private let optimizer: any Optimizer
  /// The factor the rate is multiplied by on a plateau.
  public let factor: Float
  /// Epochs without improvement before reducing.
  public let patience: Int
  /// The relative improvement that counts as better.
  public let threshold: Float
  /// The rate never goes below this.
  public let minimum: Float
  private var best = Float.infinity
  private var badEpochs = 0

  /// A plateau schedule for `optimizer`.
  public init(
    _ optimizer: any Optimizer, factor: Float = 0.1, patience: Int = 10,
    threshold: Float = 1e-4, minimum: Float = 0
  ) {
    require(factor > 0 && factor < 1, "ReduceOnPlateau: factor must be in (0, 1)")
    self.optimizer = optimizer
    self.factor = factor
    self.patience = patience
    self.threshold = threshold
    self.minimum = minimum
  }

  public func step(metric: Float?) throws {
    guard let metric else { throw LearningRateScheduleError.missingMetric("ReduceOnPlateau") }
    if metric < best * (1 - threshold) {
      best = metric
      badEpochs = 0
    } else {
      badEpochs += 1
    }
    if badEpochs > patience {
      optimizer.learningRate = max(optimizer.learningRate * factor, minimum)
      badEpochs = 0
    }
  }

  public var state: [String: Double] {
    get { (best.isFinite ? ["best": Double(best)] : [:]).merging(["bad_epochs": Double(badEpochs)]) { $1 } }
    set {
      best = Float(newValue["best"] ?? .infinity)
      badEpochs = Int(newValue["bad_epochs"] ?? 0)
    }
  }
}

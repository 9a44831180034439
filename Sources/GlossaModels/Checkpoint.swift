import Foundation
import GlossaNN
import GlossaOptim
import GlossaTensor

/// Everything a training run needs to go on where it stopped, as a directory: the model's
/// tensors (`model.safetensors`), the optimizer's state keyed by parameter name
/// (`optimizer.safetensors`: `NAME/0`, `NAME/1`, … for each parameter's slots) and the rest as
/// `trainer.json` (position, learning rate, schedule, best metric, history, configuration).
/// It is written to a temporary directory beside the final one and renamed into place, so a
/// crash mid-write leaves the last good checkpoint whole.
public struct Checkpoint {
  /// The position and counters of a run.
  public struct TrainerState: Codable, Equatable, Sendable {
    /// Epochs finished.
    public var epoch = 0
    /// Batches of the next epoch already trained.
    public var batch = 0
    /// Updates so far.
    public var step = 0
    /// The current epoch's loss sum and example count.
    public var lossSum = 0.0
    public var lossCount = 0
    /// Examples (or tokens) trained on, and the seconds spent in training passes (not
    /// validation), over the whole run: the rate the metrics report.
    public var examplesSeen = 0
    public var trainingSeconds = 0.0
    /// The learning rate before warm-up scales it.
    public var baseLearningRate = 0.0
    /// The best value of the monitored metric so far, its epoch, and the epochs since.
    public var best: Double?
    public var bestEpoch = 0
    public var badEpochs = 0
    public var stoppedEarly = false
    /// The schedule's state.
    public var schedule: [String: Double] = [:]
  }

  /// The model's tensors by name.
  public var model: [String: Tensor]
  /// Each parameter's optimizer slots, by parameter name.
  public var optimizerSlots: [String: [Tensor]]
  /// The optimizer's update count and learning rate.
  public var optimizerSteps: Int
  public var learningRate: Float
  /// The trainer's position and counters.
  public var trainer: TrainerState
  /// The metrics lines so far.
  public var history: [MetricsLine]
  /// Tensors the task carries between batches.
  public var carried: [String: Tensor]
  /// The configuration the run was made with.
  public var configuration: [String: String]

  /// The checkpoint of a run now.
  public init(
    model: any Module, optimizer: any Optimizer, trainer: TrainerState, history: [MetricsLine],
    carried: [String: Tensor], configuration: [String: String]
  ) {
    self.model = model.stateDict()
    let names = model.namedParameters().map(\.name)
    optimizerSlots = [:]
    for (k, slots) in optimizer.slots.enumerated() where k < names.count { optimizerSlots[names[k]] = slots }
    optimizerSteps = optimizer.steps
    learningRate = optimizer.learningRate
    (self.trainer, self.history, self.carried, self.configuration) = (
      trainer, history, carried, configuration
    )
  }

  private struct Record: Codable {
    var format = 1
    var trainer: TrainerState
    var history: [MetricsLine]
    var optimizerSteps: Int
    var learningRate: Float
    var configuration: [String: String]
  }

  /// Writes the checkpoint to `directory` (replacing the one there) through a temporary
  /// directory renamed into place.
  public func write(to directory: URL) throws {
    let manager = FileManager.default
    let parent = directory.deletingLastPathComponent()
    try manager.createDirectory(at: parent, withIntermediateDirectories: true)
    let temporary = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(UUID().uuidString)")
    try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
    do {
      try SafeTensors(stateDict: model).write(to: temporary.appendingPathComponent("model.safetensors"))
      var slots: [String: Tensor] = [:]
      for (name, tensors) in optimizerSlots {
        for (k, tensor) in tensors.enumerated() { slots["\(name)/\(k)"] = tensor }
      }
      for (name, tensor) in carried { slots["carried/\(name)"] = tensor }
      try SafeTensors(stateDict: slots).write(to: temporary.appendingPathComponent("optimizer.safetensors"))
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
      let record = Record(
        trainer: trainer, history: history, optimizerSteps: optimizerSteps, learningRate: learningRate,
        configuration: configuration)
      try encoder.encode(record).write(to: temporary.appendingPathComponent("trainer.json"))
      try replace(directory, with: temporary)
    } catch {
      try? manager.removeItem(at: temporary)
      throw error
    }
  }

  /// Reads a checkpoint written by ``write(to:)``. Errors name the file and what is wrong.
  public init(contentsOf directory: URL) throws {
    recoverReplacement(directory) { (try? Checkpoint(contentsOf: $0)) != nil }
    func file(_ name: String) throws -> URL {
      let url = directory.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw ModelFileError(file: url.path, message: "missing: not a checkpoint directory")
      }
      return url
    }
    model = try SafeTensors(contentsOf: try file("model.safetensors")).floatTensors()
    let slots = try SafeTensors(contentsOf: try file("optimizer.safetensors")).floatTensors()
    let recordURL = try file("trainer.json")
    let record: Record
    do {
      record = try JSONDecoder().decode(Record.self, from: Data(contentsOf: recordURL))
    } catch {
      throw ModelFileError(file: recordURL.path, message: "not a trainer state: \(error)")
    }
    guard record.format <= 1 else {
      throw ModelFileError(
        file: recordURL.path, field: "format",
        message: "format \(record.format) is newer than this Glossa reads (1)")
    }
    var optimizerSlots: [String: [(Int, Tensor)]] = [:]
    var carried: [String: Tensor] = [:]
    for (key, tensor) in slots {
      if key.hasPrefix("carried/") {
        carried[String(key.dropFirst("carried/".count))] = tensor
        continue
      }
      guard let slash = key.lastIndex(of: "/"), let k = Int(key[key.index(after: slash)...]) else {
        throw ModelFileError(
          file: directory.appendingPathComponent("optimizer.safetensors").path,
          message: "unexpected tensor \(key)")
      }
      optimizerSlots[String(key[..<slash]), default: []].append((k, tensor))
    }
    self.optimizerSlots = optimizerSlots.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) }
    self.carried = carried
    (trainer, history, optimizerSteps, learningRate, configuration) = (
      record.trainer, record.history, record.optimizerSteps, record.learningRate, record.configuration
    )
  }

  /// Refuses to resume a run of another configuration, naming the first setting that differs.
  func check(configuration expected: [String: String]) throws {
    for key in Set(expected.keys).union(configuration.keys).sorted() where expected[key] != configuration[key]
    {
      throw ModelFileError(
        file: "trainer.json", field: key,
        message:
          "the checkpoint was made with \(key) = \(configuration[key] ?? "nothing"), this run has \(expected[key] ?? "nothing")"
      )
    }
  }

  /// Puts the checkpoint's values into `model` and `optimizer` (checking every name and shape
  /// first, so that a mismatch changes nothing).
  func restore(model target: any Module, optimizer: any Optimizer) throws {
    let names = target.namedParameters().map(\.name)
    var slots: [[Tensor]] = []
    for (name, parameter) in zip(names, optimizer.parameters) {
      let saved = optimizerSlots[name] ?? []
      for tensor in saved where tensor.shape != parameter.shape {
        throw StateDictError.shapeMismatch(
          name: "optimizer \(name)", expected: parameter.shape, actual: tensor.shape)
      }
      slots.append(saved)
    }
    try target.loadStateDict(model)
    optimizer.slots = slots.allSatisfy(\.isEmpty) ? [] : slots.map { $0.map { $0.copy() } }
    optimizer.steps = optimizerSteps
    optimizer.learningRate = learningRate
  }
}

/// Puts `replacement` (a complete directory beside `directory`) in the place of `directory`:
/// the old one is renamed aside, the new one renamed in, the old one removed. A process killed
/// between the two renames leaves no `directory`; ``recoverReplacement(_:isComplete:)`` puts
/// the newer complete one back. Leftovers of earlier interrupted writes are removed.
func replace(_ directory: URL, with replacement: URL) throws {
  let manager = FileManager.default
  if manager.fileExists(atPath: directory.path) {
    let old = directory.deletingLastPathComponent().appendingPathComponent(
      ".\(directory.lastPathComponent).old-\(UUID().uuidString)")
    try manager.moveItem(at: directory, to: old)
    do {
      try manager.moveItem(at: replacement, to: directory)
    } catch {
      try? manager.moveItem(at: old, to: directory)
      throw error
    }
  } else {
    try manager.moveItem(at: replacement, to: directory)
  }
  for leftover in replacementLeftovers(of: directory) { try? manager.removeItem(at: leftover) }
}

/// The directories beside `directory` that ``replace(_:with:)`` writes or renames aside: the
/// ones being written (`.NAME.tmp-…`), newest first, then the old ones (`.NAME.old-…`).
func replacementLeftovers(of directory: URL) -> [URL] {
  let parent = directory.deletingLastPathComponent()
  let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
  func modified(_ name: String) -> Date {
    let attributes = try? FileManager.default.attributesOfItem(
      atPath: parent.appendingPathComponent(name).path)
    return attributes?[.modificationDate] as? Date ?? .distantPast
  }
  let prefix = ".\(directory.lastPathComponent)."
  let written = names.filter { $0.hasPrefix(prefix + "tmp-") }.sorted { modified($0) > modified($1) }
  let old = names.filter { $0.hasPrefix(prefix + "old-") }
  return (written + old).map { parent.appendingPathComponent($0) }
}

/// When `directory` is missing because a process was killed while replacing it, renames back
/// the newest leftover that `isComplete` accepts (the new version when it was finished, else
/// the old one) and returns true.
@discardableResult
func recoverReplacement(_ directory: URL, isComplete: (URL) -> Bool) -> Bool {
  guard !FileManager.default.fileExists(atPath: directory.path) else { return false }
  guard let complete = replacementLeftovers(of: directory).first(where: isComplete) else { return false }
  return (try? FileManager.default.moveItem(at: complete, to: directory)) != nil
}

/// A model directory, checkpoint or configuration that cannot be read: the file, the field
/// when one is at fault, and what was expected.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
  /// The file.
  public let file: String
  /// Where: the field (a JSON key, a tensor's name) at fault, or `byte N` in a file that is
  /// not JSON.
  public let field: String?
  /// What is wrong.
  public let message: String

  /// An error in `file` (at `field`).
  public init(file: String, field: String? = nil, message: String) {
    (self.file, self.field, self.message) = (file, field, message)
  }

  public var description: String { "\(file)\(field.map { ": \($0)" } ?? ""): \(message)" }
}

import Foundation
import GlossaData
import GlossaNN
import GlossaOptim
import GlossaTensor

/// A task's model that saves itself as a model directory and loads back from one.
public protocol SavedTaskModel: Module {
  /// Saves the model as a model directory.
  func save(to directory: URL) throws
  /// Loads a model saved by ``save(to:)``.
  init(contentsOf directory: URL) throws
}

extension TextClassifier: SavedTaskModel {}
extension LanguageModel: SavedTaskModel {}
extension SequenceTagger: SavedTaskModel {}
extension Seq2Seq: SavedTaskModel {}

/// The run every task's training shares: a ``Trainer`` over `task`, whose best epoch (by the
/// settings' monitored metric) is saved in `output` each time it improves, with a checkpoint
/// in `output/checkpoint` after every epoch, the metrics in `metricsFile` and the loss curves in
/// `output/loss.svg`; with `resume`, the run continues from that checkpoint (and its best
/// model). In a process group, process 0 alone writes. On return the model holds the best
/// epoch's weights, in evaluation mode.
func runTraining<Task: TrainingTask, Model: SavedTaskModel>(
  _ task: Task, model: Model, optimizer: any Optimizer, schedule: (any LearningRateSchedule)? = nil,
  settings: TrainerSettings, configuration: [String: String], unit: String = "examples", output: URL?,
  metricsFile: URL?, resume: Bool
) throws -> TrainingResult {
  let trainer = Trainer(task: task, optimizer: optimizer, schedule: schedule, settings: settings)
  trainer.configuration = configuration
  trainer.metricsFile = metricsFile
  trainer.unit = unit
  var best = model.stateDict().mapValues { $0.copy() }
  let writes = settings.processGroup?.isRoot ?? true
  if let output {
    trainer.checkpointDirectory = output.appendingPathComponent("checkpoint")
    if resume {
      try agreeing(settings.processGroup) {
        try trainer.resume(from: output.appendingPathComponent("checkpoint"))
        if FileManager.default.fileExists(atPath: output.appendingPathComponent("model.safetensors").path) {
          best = try Model(contentsOf: output).stateDict().mapValues { $0.copy() }
        }
      }
    }
  }
  trainer.afterEpoch = { _, isBest in
    guard isBest else { return }
    best = model.stateDict().mapValues { $0.copy() }
    if let output, writes { try model.save(to: output) }
  }
  let result = try trainer.train()
  if let output, writes { try trainer.lossPlot.write(to: output.appendingPathComponent("loss.svg")) }
  try model.loadStateDict(best)
  model.eval()
  return result
}

/// The settings a checkpoint must match to be resumed: the task, the architecture (as its
/// JSON) and the named training settings.
func runConfiguration(task: String, architecture: some Encodable, _ settings: [String: String]) throws
  -> [String: String]
{
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  return settings.merging([
    "task": task, "model": String(decoding: try encoder.encode(architecture), as: UTF8.self),
  ]) { $1 }
}

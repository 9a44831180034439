import Foundation
import GlossaModels

/// Small saved models of every task Fuzz/make-seeds.sh trains, less their config.json and
/// their checkpoint's trainer.json: Fuzz/Models/TASK.
private let savedModels = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Models")

/// A scratch model directory: the saved model of the task `text` names (the first found), with
/// `file` written as `name` in it (or in its `checkpoint` folder). Each task's model is copied
/// once and reused (loading changes none of its files), which also keeps the copy out of the
/// way of libFuzzer's timer signal (a copy it interrupts fails with EINTR).
private func modelDirectory(_ name: String, _ file: Data, inCheckpoint: Bool) -> URL {
  let manager = FileManager.default
  let tasks = ((try? manager.contentsOfDirectory(atPath: savedModels.path)) ?? []).sorted()
  let text = String(decoding: file, as: UTF8.self)
  guard let task = tasks.first(where: text.contains) ?? tasks.first else {
    fatalError("glossa-fuzz: no saved models in \(savedModels.path) (run Fuzz/make-seeds.sh)")
  }
  // Named by the input (under the task's folder), as errors must name it.
  let directory = scratch.appendingPathComponent(task).appendingPathComponent(inputName)
  if !manager.fileExists(atPath: directory.path) {
    try! manager.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
    try! manager.copyItem(at: savedModels.appendingPathComponent(task), to: directory)
  }
  try! file.write(
    to: (inCheckpoint ? directory.appendingPathComponent("checkpoint") : directory).appendingPathComponent(
      name))
  return directory
}

let modelTargets = [
  // A model directory's config.json, beside the tokenizer and weights of a saved model of the
  // task it names: whatever it says, it loads or is refused.
  FuzzTarget(name: "model-config") { input in
    _ = try SavedModel(contentsOf: modelDirectory("config.json", input, inCheckpoint: false))
  },
  // A checkpoint's trainer.json, beside its weights and optimizer state: what loads, written
  // again, loads the same.
  FuzzTarget(name: "checkpoint") { input in
    let directory = modelDirectory("trainer.json", input, inCheckpoint: true).appendingPathComponent(
      "checkpoint")
    let checkpoint = try Checkpoint(contentsOf: directory)
    let written = scratch.appendingPathComponent("written-checkpoint")
    try checkpoint.write(to: written)
    let again = try Checkpoint(contentsOf: written)
    require(again.trainer == checkpoint.trainer, "the trainer's state changed in a round trip")
    require(
      again.optimizerSteps == checkpoint.optimizerSteps && again.learningRate == checkpoint.learningRate,
      "the optimizer's state changed in a round trip")
  },
]

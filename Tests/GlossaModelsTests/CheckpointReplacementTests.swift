import Foundation
import GlossaNN
import GlossaOptim
import GlossaTensor
import Testing

@testable import GlossaModels

/// A checkpoint is replaced by two renames; a process killed between them leaves no checkpoint
/// directory, and reading it puts back the newest complete one.
@Suite struct CheckpointReplacementTests {
  func checkpoint(step: Int) -> Checkpoint {
    let model = Linear(3, 2, seed: UInt64(step))
    var state = Checkpoint.TrainerState()
    state.step = step
    return Checkpoint(
      model: model, optimizer: SGD(model.parameters(), learningRate: 0.1), trainer: state, history: [],
      carried: [:], configuration: [:])
  }

  @Test func aReplacementCutBetweenItsRenamesIsRecovered() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-replace-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let directory = folder.appendingPathComponent("checkpoint")
    try checkpoint(step: 1).write(to: directory)
    // As a killed write leaves it: the old checkpoint renamed aside, the new one complete but
    // not yet renamed in, and an older write cut short (incomplete).
    let aside = folder.appendingPathComponent(".checkpoint.old-1")
    try FileManager.default.moveItem(at: directory, to: aside)
    let finished = folder.appendingPathComponent(".checkpoint.tmp-2")
    try checkpoint(step: 2).write(to: finished)
    let cut = folder.appendingPathComponent(".checkpoint.tmp-3")
    try FileManager.default.createDirectory(at: cut, withIntermediateDirectories: true)
    #expect(try Checkpoint(contentsOf: directory).trainer.step == 2)
    // Without the new one, the old one comes back.
    try FileManager.default.removeItem(at: directory)
    #expect(try Checkpoint(contentsOf: directory).trainer.step == 1)
    // The next write removes what is left of interrupted ones.
    try checkpoint(step: 3).write(to: directory)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["checkpoint"])
    #expect(try Checkpoint(contentsOf: directory).trainer.step == 3)
  }
}

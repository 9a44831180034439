import Foundation
import GlossaModels
import GlossaTensor
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A training run killed with SIGKILL at random moments, again and again, each time resumed
/// from the checkpoint it left: every checkpoint on disk loads, none is lost, and the run ends
/// with the parameters of a run never interrupted. GLOSSA_KILLS sets how many kills (10 here;
/// docs/reliability.md reports 100).
@Suite struct CrashSafetyTests {
  let cli = CommandLineTests()

  /// A run whose checkpoint (a 64-wide embedding of every word, with Adam's two slots) takes
  /// about as long to write as an epoch takes to train, so that kills land in writes as
  /// often as in training.
  func arguments(_ output: URL) -> [String] {
    let data = ModelCommandTests.fixtures.appendingPathComponent("sentiment.tsv").path
    return [
      "train", "classify", "--train", data, "--epochs", "4", "--hidden", "4", "--embedding-dim", "64",
      "--max-length", "20", "--threads", "1", "--seed", "3", "--output", output.path,
    ]
  }

  /// The temporary and set-aside directories of checkpoint writes in `run`: one appears when
  /// a write starts, and stays when the write is cut short (until the next write ends).
  func writes(in run: URL) -> Set<String> {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: run.path)) ?? []
    return Set(names.filter { $0.hasPrefix(".checkpoint.") })
  }

  @Test func killedRunsResumeToTheParametersOfAnUninterruptedOne() throws {
    let kills = ProcessInfo.processInfo.environment["GLOSSA_KILLS"].flatMap(Int.init) ?? 10
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-kill-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let reference = folder.appendingPathComponent("reference")
    let started = Date()
    let (status, _, error) = try cli.glossa(arguments(reference))
    try #require(status == 0, "\(error)")
    let runTime = Date().timeIntervalSince(started)
    let expected = try Checkpoint(contentsOf: reference.appendingPathComponent("checkpoint"))

    let run = folder.appendingPathComponent("run")
    let checkpoint = run.appendingPathComponent("checkpoint")
    var generator = SeededGenerator(seed: 7)
    var (killed, unreadable, lost, finished, runs, inWrites) = (0, 0, 0, false, 0, 0)
    var lastStep = 0
    while !finished || killed < kills {
      if finished {  // start over, to reach the number of kills
        try FileManager.default.removeItem(at: run)
        (finished, lastStep) = (false, 0)
      }
      let process = Process()
      process.executableURL = try cli.executable()
      let resume = FileManager.default.fileExists(atPath: checkpoint.path) || lastStep > 0
      process.arguments = arguments(run) + (resume ? ["--resume"] : [])
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      let before = writes(in: run)
      try process.run()
      // Every other kill comes at a moment in what is left of the run; the others come a few
      // milliseconds after a checkpoint write starts (its temporary directory appears).
      if killed % 2 == 0 {
        let left = runTime * max(0.2, 1 - Double(lastStep) / Double(expected.trainer.step))
        let deadline = Date().addingTimeInterval(Double.random(in: 0.05...left, using: &generator))
        while process.isRunning && Date() < deadline { usleep(2_000) }
      } else {
        while process.isRunning && writes(in: run).isSubset(of: before) { usleep(200) }
        usleep(UInt32.random(in: 0...20_000, using: &generator))
      }
      if process.isRunning && killed < kills {
        kill(process.processIdentifier, SIGKILL)
        killed += 1
      }
      process.waitUntilExit()
      // A kill inside a checkpoint write leaves its temporary or set-aside directory.
      if process.terminationReason == .uncaughtSignal && !writes(in: run).isSubset(of: before) {
        inWrites += 1
      }
      if process.terminationReason == .exit {
        try #require(process.terminationStatus == 0, "a run ended with status \(process.terminationStatus)")
        // Resumed however often, the run ends as the uninterrupted one did, bit for bit.
        let final = try Checkpoint(contentsOf: checkpoint)
        #expect(final.trainer.step == expected.trainer.step)
        #expect(final.model.keys.sorted() == expected.model.keys.sorted())
        for (name, tensor) in expected.model {
          #expect(
            final.model[name]?.scalars == tensor.scalars, "\(name) differs from the uninterrupted run's")
        }
        (finished, runs) = (true, runs + 1)
        continue
      }
      // What is on disk now must load, and be no older than what was there before.
      guard FileManager.default.fileExists(atPath: checkpoint.path) || lastStep > 0 else { continue }
      do {
        let state = try Checkpoint(contentsOf: checkpoint)
        if state.trainer.step < lastStep { lost += 1 }
        lastStep = state.trainer.step
      } catch {
        if FileManager.default.fileExists(atPath: checkpoint.path) { unreadable += 1 } else { lost += 1 }
        Issue.record("after kill \(killed): \(error)")
        return
      }
    }
    print(
      "crash safety: \(killed) kills (\(inWrites) inside a checkpoint write) in \(runs) runs, \(unreadable) "
        + "unreadable and \(lost) lost checkpoints, "
        + "every run equal to the uninterrupted one")
    #expect(unreadable == 0 && lost == 0 && runs >= 1)
  }

  /// Commands that write one file, killed at random moments while a file saved earlier sits
  /// under the same name: afterwards the name holds the earlier file or the whole new one,
  /// never a part (each is written to a temporary name beside it and renamed).
  @Test(arguments: [
    ["embed", "train", "--dim", "300", "--min-count", "1", "--epochs", "1", "--format", "binary"],
    [
      "embed", "train", "--model", "glove", "--dim", "200", "--min-count", "1", "--epochs", "2", "--format",
      "text",
    ],
    ["tokenizer", "train", "--model", "bpe", "--vocab-size", "3000"],
  ])
  func killedWritesLeaveTheEarlierFileOrTheNewOneWhole(_ command: [String]) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-kill-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let corpus = ModelCommandTests.fixtures.appendingPathComponent("austen.txt").path
    let output = folder.appendingPathComponent("out")
    let arguments = command + ["--output", output.path, corpus]
    let started = Date()
    let (status, _, error) = try cli.glossa(arguments)
    try #require(status == 0, "\(error)")
    let runTime = Date().timeIntervalSince(started)
    let written = try Data(contentsOf: output)
    let earlier = Data("a file saved before\n".utf8)
    var generator = SeededGenerator(seed: 11)
    var (kills, replaced, inWrites) = (0, 0, 0)
    func temporaryFiles() -> Set<String> {
      Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).subtracting(["out"])
    }
    for round in 0..<12 {
      try earlier.write(to: output)
      let before = temporaryFiles()
      let process = Process()
      process.executableURL = try cli.executable()
      process.arguments = arguments
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      if round % 2 == 0 {
        // At a moment late in the run, where the file is written.
        let deadline = Date().addingTimeInterval(runTime * Double.random(in: 0.5...1.1, using: &generator))
        while process.isRunning && Date() < deadline { usleep(500) }
      } else {
        // Once the write has begun (a temporary file beside the output), within 3 ms.
        while process.isRunning && temporaryFiles() == before { usleep(100) }
        usleep(UInt32.random(in: 0...3_000, using: &generator))
      }
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      if process.terminationReason == .uncaughtSignal && temporaryFiles() != before { inWrites += 1 }
      let now = try Data(contentsOf: output)
      if process.terminationReason == .exit {
        #expect(process.terminationStatus == 0 && now == written)
      } else {
        #expect(now == earlier || now == written, "a kill left \(now.count) bytes under the final name")
      }
      if now == written { replaced += 1 }
    }
    print(
      "\(command.prefix(2).joined(separator: " ")): \(kills) kills (\(inWrites) inside the write), "
        + "\(replaced) of 12 runs left the new file, none a part of it")
    #expect(kills > 0)
  }
}

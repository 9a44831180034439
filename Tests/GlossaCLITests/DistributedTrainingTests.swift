import Foundation
import GlossaDistributed
import GlossaModels
import GlossaTensor
import TestSupport
import Testing

/// `mpirun -np N glossa train …`: data-parallel training over Open MPI gives the parameters of
/// a one-process run with the same global batch, resumes with another number of processes,
/// and stops with a clear error when a process cannot go on. Needs a build with the MPI trait
/// and Open MPI's mpirun (`.ci/run` has both); skipped with a message otherwise.
@Suite(.serialized) struct DistributedTrainingTests {
  /// The folder of the demo's data samples.
  static let demoData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Sources/glossa/Demo/DemoData").standardizedFileURL

  /// mpirun, or nil (with a message) when this build or machine cannot run MPI jobs; under CI
  /// that is a failure.
  static func mpirun() throws -> URL? {
    let found = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
      .map { URL(fileURLWithPath: String($0)).appendingPathComponent("mpirun") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    if let found, MPICommunicator.isAvailable { return found }
    let why =
      found == nil
      ? "no mpirun on the PATH (scripts/setup.sh --mpi)"
      : "this build lacks the MPI trait (swift test --traits MPI)"
    if Fixtures.isCI { throw DistributedTestError(message: why) }
    FileHandle.standardError.write(Data("skipped: \(why), for the distributed training tests\n".utf8))
    return nil
  }

  struct DistributedTestError: Error, CustomStringConvertible {
    var message: String; var description: String { message }
  }

  /// Runs `glossa` alone (processes 1) or under mpirun; returns the exit status and the
  /// combined output. `programs` gives each of several processes arguments and a folder of its
  /// own (mpirun's MPMD form) instead, `arguments` then being mpirun's.
  func run(
    _ mpirun: URL, processes: Int, _ arguments: [String],
    programs: [(folder: URL, arguments: [String])]? = nil
  ) throws -> (status: Int32, output: String) {
    let glossa = try CommandLineTests().executable().path
    let launcher = ["--oversubscribe", "--bind-to", "none"]
    let (process, output) =
      if let programs {
        try start(
          mpirun,
          launcher + arguments
            + programs.enumerated().flatMap { k, program in
              (k > 0 ? [":"] : []) + ["-np", "1", "-wdir", program.folder.path, glossa] + program.arguments
            })
      } else if processes == 1 {
        try start(URL(fileURLWithPath: glossa), arguments)
      } else {
        try start(mpirun, launcher + ["-np", String(processes), glossa] + arguments)
      }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  /// Starts `executable` with `arguments` (in `folder`, if given), mpirun allowed to run as
  /// root; its standard output and error go to the pipe.
  func start(_ executable: URL, _ arguments: [String], in folder: URL? = nil) throws -> (Process, Pipe) {
    let process = Process()
    (process.executableURL, process.arguments, process.currentDirectoryURL) = (executable, arguments, folder)
    var environment = ProcessInfo.processInfo.environment
    (environment["OMPI_ALLOW_RUN_AS_ROOT"], environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"]) = ("1", "1")
    process.environment = environment
    let output = Pipe()
    (process.standardOutput, process.standardError) = (output, output)
    try process.run()
    return (process, output)
  }

  /// The largest difference between two model directories' tensors, relative to each
  /// tensor's largest magnitude.
  func difference(_ a: URL, _ b: URL) throws -> Float {
    let (x, y) = try (
      SafeTensors(contentsOf: a.appendingPathComponent("model.safetensors")),
      SafeTensors(contentsOf: b.appendingPathComponent("model.safetensors"))
    )
    #expect(x.names.sorted() == y.names.sorted())
    var worst: Float = 0
    for name in x.names {
      let (p, q) = try (#require(try x.tensor(name)).scalars, #require(try y.tensor(name)).scalars)
      let scale = max(p.map(abs).max() ?? 0, 1e-6)
      worst = max(worst, zip(p, q).map { abs($0 - $1) / scale }.max() ?? 0)
    }
    return worst
  }

  /// A folder with the first lines of the demo's samples.
  func data() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-mpi-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    func sample(_ name: String, _ lines: ClosedRange<Int>, as file: String) throws {
      let text = try String(contentsOf: Self.demoData.appendingPathComponent(name), encoding: .utf8)
      let kept = text.split(separator: "\n", omittingEmptySubsequences: false)[
        (lines.lowerBound - 1)..<lines.upperBound]
      try (kept.joined(separator: "\n") + "\n").write(
        to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    try sample("reviews.tsv", 1...600, as: "reviews-train.tsv")
    try sample("reviews.tsv", 601...700, as: "reviews-valid.tsv")
    try sample("austen.txt", 1...240, as: "austen-train.txt")
    try sample("austen.txt", 241...300, as: "austen-valid.txt")
    // The tagger validates on sentences it trains on: a short sample's tags are then all known.
    try sample("tagged.tsv", 1...2000, as: "tagged.tsv")
    try sample("tagged.tsv", 1...300, as: "tagged-valid.tsv")
    try sample("bible-en-es.tsv", 1...160, as: "bible.tsv")
    return folder
  }

  /// Every task trained one epoch by 2 or 4 processes ends where one process ends: the
  /// same global batch, its parts' gradients summed across the processes (no dropout, whose
  /// masks are drawn per part). Each run also checks, after every epoch, that every process
  /// holds the same parameters bit for bit (the trainer compares their hashes and fails
  /// otherwise).
  @Test func everyTaskTrainsAcrossProcessesAsOneProcessDoes() throws {
    guard let mpirun = try Self.mpirun() else { return }
    let folder = try data()
    defer { try? FileManager.default.removeItem(at: folder) }
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    let small = ["--epochs", "1", "--hidden", "8", "--embedding-dim", "8", "--dropout", "0", "--seed", "3"]
    let tasks: [(name: String, arguments: [String], processes: [Int])] = [
      (
        "classify",
        ["train", "classify", "--train", path("reviews-train.tsv"), "--valid", path("reviews-valid.tsv")]
          + small
          + ["--optimizer", "sgd", "--lr", "0.5", "--batch-size", "32"], [2, 4]
      ),
      (
        "lm (in memory)",
        ["train", "lm", "--train", path("austen-train.txt"), "--valid", path("austen-valid.txt")] + small
          + ["--lr", "1", "--batch-size", "4", "--bptt", "20", "--vocab-size", "500"], [2]
      ),
      (
        "lm (streamed)",
        ["train", "lm", "--train", path("austen-train.txt"), "--valid", path("austen-valid.txt")] + small
          + [
            "--lr", "1", "--batch-size", "4", "--bptt", "20", "--vocab-size", "500", "--whole-corpus-limit",
            "0",
          ],
        [4]
      ),
      (
        "tag",
        ["train", "tag", "--train", path("tagged.tsv"), "--valid", path("tagged-valid.tsv"), "--crf"] + small
          + ["--optimizer", "sgd", "--lr", "0.1", "--batch-size", "16"], [2]
      ),
      (
        "translate",
        [
          "train", "translate", "--train", path("bible.tsv"), "--valid-fraction", "0.1", "--teacher-forcing",
          "1",
        ]
          + small + ["--optimizer", "sgd", "--lr", "0.5", "--batch-size", "16"], [2]
      ),
    ]
    for task in tasks {
      let one = path("\(task.name)-1")
      let alone = try run(mpirun, processes: 1, task.arguments + ["--output", one])
      try #require(alone.status == 0, "\(task.name), one process: \(alone.output)")
      for processes in task.processes {
        let output = path("\(task.name)-\(processes)")
        let job = try run(mpirun, processes: processes, task.arguments + ["--output", output])
        try #require(job.status == 0, "\(task.name), \(processes) processes: \(job.output)")
        // Process 0 alone speaks and writes.
        #expect(job.output.components(separatedBy: "wrote ").count == 2, "\(job.output)")
        // The metrics say what share of the training time summing gradients took.
        let metrics = try String(contentsOfFile: output + "/metrics.jsonl", encoding: .utf8)
        let last = try JSONDecoder().decode(
          MetricsLine.self, from: Data(try #require(metrics.split(separator: "\n").last).utf8))
        #expect(last.communicationShare.map { $0 > 0 && $0 < 1 } == true, "\(metrics)")
        let difference = try difference(URL(fileURLWithPath: one), URL(fileURLWithPath: output))
        #expect(difference < 1e-5, "\(task.name): \(processes) processes differ from one by \(difference)")
      }
    }
  }

  /// Word2Vec and FastText train on two processes, each on its half of the corpus, their
  /// models averaged every 5,000 words: the job writes the vectors once, for the words one
  /// process keeps, and fails unless both processes end with the same vectors bit for bit.
  @Test func wordVectorsAreTrainedByModelAveraging() throws {
    guard let mpirun = try Self.mpirun() else { return }
    let folder = try data()
    defer { try? FileManager.default.removeItem(at: folder) }
    for model in ["skipgram", "fasttext"] {
      func arguments(_ output: String) -> [String] {
        [
          "embed", "train", "--model", model, "--dim", "12", "--min-count", "3", "--epochs", "2",
          "--lowercase",
          "--average-every", "5000", "--format", "text", "--output",
          folder.appendingPathComponent(output).path,
          folder.appendingPathComponent("austen-train.txt").path,
        ]
      }
      let alone = try run(mpirun, processes: 1, arguments("\(model)-1.txt"))
      let job = try run(mpirun, processes: 2, arguments("\(model)-2.txt"))
      try #require(alone.status == 0 && job.status == 0, "\(alone.output)\n\(job.output)")
      #expect(job.output.components(separatedBy: "wrote ").count == 2, "\(job.output)")
      let (one, two) = try [1, 2].map {
        try String(contentsOf: folder.appendingPathComponent("\(model)-\($0).txt"), encoding: .utf8)
          .split(separator: "\n")
      }.pair()
      #expect(one.count == two.count && one.first == two.first && one.count > 100)
      #expect(
        one.dropFirst().map { $0.prefix { $0 != " " } } == two.dropFirst().map { $0.prefix { $0 != " " } })
      #expect(one != two)
    }
  }

  /// Two epochs in one process end where one epoch by 2 processes, resumed by 4 for the second,
  /// ends.
  @Test func aRunResumesWithAnotherNumberOfProcesses() throws {
    guard let mpirun = try Self.mpirun() else { return }
    let folder = try data()
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = [
      "train", "classify", "--train", folder.appendingPathComponent("reviews-train.tsv").path, "--valid",
      folder.appendingPathComponent("reviews-valid.tsv").path, "--hidden", "8", "--embedding-dim", "8",
      "--dropout", "0", "--optimizer", "sgd", "--lr", "0.5",
    ]
    let (one, resumed) = (folder.appendingPathComponent("one"), folder.appendingPathComponent("resumed"))
    #expect(try run(mpirun, processes: 1, arguments + ["--epochs", "2", "--output", one.path]).status == 0)
    #expect(
      try run(mpirun, processes: 2, arguments + ["--epochs", "1", "--output", resumed.path]).status == 0)
    let job = try run(
      mpirun, processes: 4, arguments + ["--epochs", "2", "--resume", "--output", resumed.path])
    try #require(job.status == 0, "\(job.output)")
    // The best epoch is saved: compare the checkpoints, which hold the last.
    let difference = try difference(
      one.appendingPathComponent("checkpoint"), resumed.appendingPathComponent("checkpoint"))
    #expect(difference < 1e-5, "resumed with 4 processes: \(difference)")
  }

  /// A process that cannot read its data, or that was given other options, stops the job with
  /// status 1 and an error from every process that names the process and the cause; a process
  /// that hangs ends the job once the others have waited --mpi-timeout seconds.
  @Test func aFaultyProcessEndsTheJobWithAClearError() throws {
    guard let mpirun = try Self.mpirun() else { return }
    let folder = try data()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (good, empty) = (folder, folder.appendingPathComponent("empty"))
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let arguments = [
      "train", "classify", "--train", "reviews-train.tsv", "--valid", "reviews-valid.tsv", "--epochs", "1",
      "--hidden", "4", "--embedding-dim", "4", "--output", folder.appendingPathComponent("faulty").path,
    ]
    // Each process's standard error goes to a file of its own (mpirun interleaves them).
    func errors(_ name: String, _ programs: [(folder: URL, arguments: [String])]) throws -> (Int32, [String])
    {
      let logs = folder.appendingPathComponent(name)
      let job = try run(mpirun, processes: 2, ["--output-filename", logs.path], programs: programs)
      return try (
        job.status,
        (0..<2).map {
          try String(contentsOf: logs.appendingPathComponent("1/rank.\($0)/stderr"), encoding: .utf8)
        }
      )
    }
    let (unreadable, unreadableErrors) = try errors("unreadable", [(good, arguments), (empty, arguments)])
    #expect(unreadable == 1)
    for text in unreadableErrors {
      #expect(
        text.contains("process 1 of 2 failed: \(empty.path)/reviews-train.tsv: no such file"), "\(text)")
    }
    let (inconsistent, inconsistentErrors) = try errors(
      "inconsistent", [(good, arguments), (good, arguments + ["--batch-size", "8"])])
    #expect(inconsistent == 1)
    for text in inconsistentErrors {
      #expect(
        text.contains("the command lines differ between processes: process 1 has")
          && text.contains("--batch-size 8, process 0 has"), "\(text)")
    }
    // A process stopped (SIGSTOP) mid-training: the other waits 3 s in its next collective call
    // (the all-reduce of a step, or the check after an epoch), then ends.
    let hanging = folder.appendingPathComponent("hanging").path
    let (job, output) = try start(
      mpirun,
      [
        "--oversubscribe", "--bind-to", "none", "--output-filename", hanging + "-logs", "-np", "2",
        try CommandLineTests().executable().path,
      ]
        + arguments.dropLast() + [hanging, "--epochs", "1000", "--mpi-timeout", "3"], in: folder)
    var stopped: Int32?
    for _ in 0..<300 where stopped == nil {
      Thread.sleep(forTimeInterval: 0.1)
      // The processes' checkpoints appear once the first epoch is over: both are training.
      guard FileManager.default.fileExists(atPath: hanging + "/checkpoint") else { continue }
      stopped = try trainingProcesses(writing: hanging).max().map { pid in
        kill(pid, SIGSTOP)
        return pid
      }
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    job.waitUntilExit()
    #expect(stopped != nil && job.terminationStatus != 0)
    // The process left running (either rank) says why it ended.
    let waited = try (0..<2).map {
      try String(contentsOfFile: hanging + "-logs/1/rank.\($0)/stderr", encoding: .utf8)
    }
    .joined()
    #expect(waited.contains("waited more than 3 s in MPI_"), "\(text)\n\(waited)")
    #expect(try trainingProcesses(writing: hanging).isEmpty)
  }

  /// The pids of the glossa processes whose command line names `output`.
  func trainingProcesses(writing output: String) throws -> [Int32] {
    try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap(Int32.init).filter { pid in
      guard let line = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
      let arguments = line.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      return arguments.first?.hasSuffix("/glossa") == true && arguments.contains(output)
    }
  }
}

extension Array {
  /// The two elements of a two-element array.
  fileprivate func pair() -> (Element, Element) { (self[0], self[1]) }
}

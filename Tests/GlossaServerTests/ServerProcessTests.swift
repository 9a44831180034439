import Foundation
import NIOCore
import Testing

/// The `glossa-server` executable: a folder it cannot serve, and SIGTERM in the middle of a stream.
@Suite struct ServerProcessTests {
  /// The built executable, beside the test bundle.
  static func executable() throws -> URL {
    let directory = Bundle.main.bundleURL.deletingLastPathComponent()
    let candidates = [directory, Bundle.main.bundleURL].map { $0.appendingPathComponent("glossa-server") }
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
  }

  /// A running server and everything it has printed so far.
  final class RunningServer: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var output = ""

    init(_ arguments: [String]) throws {
      process.executableURL = try ServerProcessTests.executable()
      process.arguments = arguments
      let pipe = Pipe()
      (process.standardOutput, process.standardError) = (pipe, pipe)
      pipe.fileHandleForReading.readabilityHandler = { [self] handle in
        let text = String(decoding: handle.availableData, as: UTF8.self)
        lock.withLock { output += text }
      }
      try process.run()
    }

    var printed: String { lock.withLock { output } }

    /// The port from the line `serving N models on http://HOST:PORT`.
    func port(within seconds: Double = 180) async throws -> Int? {
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline && process.isRunning {
        if let line = printed.split(separator: "\n").first(where: { $0.contains("models on http://") }),
          let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        {
          return port
        }
        try await Task.sleep(for: .milliseconds(50))
      }
      return nil
    }

    func exitStatus(within seconds: Double = 180) async throws -> Int32? {
      let deadline = Date().addingTimeInterval(seconds)
      while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
      return process.isRunning ? nil : process.terminationStatus
    }
  }

  // Both run on ``ServerTestExecutor``: waits on the cooperative threads could starve behind
  // the suite's long synchronous tests, and the deadlines would pass unseen.
  @Test func aFolderItCannotServeStopsItWithThePathAndTheReason() async throws {
    try await withTaskExecutorPreference(ServerTestExecutor.shared) { try await cannotServe() }
  }

  func cannotServe() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "{\"model\": ".write(
      to: folder.appendingPathComponent("broken.tokenizer.json"), atomically: true, encoding: .utf8)
    for (arguments, expected) in [
      (["--models", folder.path, "--port", "0"], "broken.tokenizer.json: cannot be loaded"),
      (["--models", folder.appendingPathComponent("absent").path, "--port", "0"], "absent: not a folder"),
    ] {
      let server = try RunningServer(arguments)
      let status = try await server.exitStatus()
      #expect(status == 1, "\(server.printed)")
      #expect(server.printed.contains(expected), "\(server.printed)")
    }
  }

  @Test func sigtermLetsTheStreamInFlightFinishAndExitsZero() async throws {
    try await withTaskExecutorPreference(ServerTestExecutor.shared) { try await sigterm() }
  }

  func sigterm() async throws {
    let server = try RunningServer(["--models", ServedFixtures.folder.path, "--port", "0", "--threads", "1"])
    defer { if server.process.isRunning { server.process.terminate() } }
    let port = try #require(try await server.port(), "\(server.printed)")
    do {
      var received = ""
      var signalled = false
      try await TestClient().stream(
        .POST, "http://127.0.0.1:\(port)/v1/generate",
        json: jsonText(["model": "lm", "prompt": "the", "max_tokens": 2048, "seed": 5, "stream": true])
      ) { piece in
        received += String(buffer: piece)
        if !signalled {
          server.process.terminate()  // SIGTERM, with the first tokens in hand
          signalled = true
        }
        return true
      }
      #expect(received.contains("event: done"), "the stream was cut: \(received.suffix(200))")
      #expect(received.components(separatedBy: "event: token").count - 1 == 2048)
    }
    #expect(try await server.exitStatus() == 0, "\(server.printed)")
  }
}

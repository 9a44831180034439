import Foundation
import TestSupport
import Testing

/// The playground page in a real browser: headless Chromium, driven by Selenium
/// (`check_playground.py`), types into the tokenizer view, streams a generation, asks for
/// neighbours and an analogy and classifies, and checks what the page shows against the API.
/// Needs Chromium, chromedriver and a Python with Selenium (`scripts/setup.sh --browser`
/// makes `.build/browser-venv`; `GLOSSA_SELENIUM_PYTHON` names another); skipped with a
/// message without them, a failure under CI.
@Suite struct PlaygroundBrowserTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The Python with Selenium, or nil.
  static var python: URL? {
    let environment = ProcessInfo.processInfo.environment
    let candidates = [
      environment["GLOSSA_SELENIUM_PYTHON"].map { URL(fileURLWithPath: $0) },
      repository.appendingPathComponent(".build/browser-venv/bin/python"),
    ]
    return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  static var driver: String {
    ProcessInfo.processInfo.environment["GLOSSA_CHROMEDRIVER"] ?? "/usr/bin/chromedriver"
  }

  @Test func thePlaygroundWorksInChromium() async throws {
    guard try HeadlessBrowser.required() != nil else { return }
    guard let python = Self.python, FileManager.default.isExecutableFile(atPath: Self.driver) else {
      let message = "no chromedriver or no Python with Selenium (scripts/setup.sh --browser)"
      if Fixtures.isCI { Issue.record(Comment(rawValue: message)) } else { print("skipped: \(message)") }
      return
    }
    let shots = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-playground-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: shots) }
    let (status, output) = try await withServer { base, _, _ in
      let process = Process()
      process.executableURL = python
      process.arguments = [
        Self.repository.appendingPathComponent("Tests/GlossaServerTests/check_playground.py").path, base,
        shots.path,
        "king", "the cat sat on the mat", "man", "king", "woman",
      ]
      let pipe = Pipe()
      (process.standardOutput, process.standardError) = (pipe, pipe)
      try process.run()
      // Read on a Dispatch thread while the server answers the browser.
      let output = await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
          let data = pipe.fileHandleForReading.readDataToEndOfFile()
          process.waitUntilExit()
          continuation.resume(returning: data)
        }
      }
      return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
    #expect(status == 0, "\(output)")
    for view in ["tokenizer", "generation", "embeddings", "classification"] {
      #expect(
        FileManager.default.fileExists(atPath: shots.appendingPathComponent("playground-\(view).png").path),
        "\(view)")
    }
  }
}

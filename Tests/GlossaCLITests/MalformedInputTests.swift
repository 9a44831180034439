import Foundation
import Testing

/// Every malformed file in Malformed/KIND, given to the command that reads that kind: exit
/// status 1 (never a signal, never success) and a message naming the file and the place in it.
/// The same files seed the fuzz targets of their kinds (Fuzz/run.sh).
@Suite struct MalformedInputTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Malformed")

  /// How a kind of file reaches the command line: the arguments for a file (in a scratch
  /// folder of its own), and the path the message must name.
  struct Reader: Sendable {
    let arguments: @Sendable (_ file: URL, _ scratch: URL) throws -> [String]
    var named: @Sendable (_ file: URL, _ scratch: URL) -> String = { file, _ in file.path }
  }

  /// What follows the file's name in a message: where in the file (a line, a byte or an
  /// offset, a key path in a JSON file such as `model.hidden`, a tensor), then what is wrong.
  static var position: Regex<Substring> {
    #/^(?::\d+:|: (?:line|byte|bytes|offset) \d+|: [A-Za-z_][\w.\[\]]*: |: (?:tensor|header|the header) |: invalid UTF-8 at byte offset \d+)/#
  }

  /// A small classifier trained by the command line, for the files of a model directory.
  static let classifier: Result<URL, any Error> = Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-malformed-\(UUID())")
    let data = ModelCommandTests.fixtures.appendingPathComponent("sentiment.tsv").path
    let (status, _, error) = try CommandLineTests().glossa([
      "train", "classify", "--train", data, "--epochs", "1", "--hidden", "4", "--embedding-dim", "4",
      "--vocab-size", "200", "--output", directory.path,
    ])
    guard status == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: error])
    }
    return directory
  }

  /// A copy of the classifier's directory with `file` in place of its `name`.
  static func model(replacing name: String, with file: URL, in scratch: URL) throws -> URL {
    let directory = scratch.appendingPathComponent("model")
    try FileManager.default.copyItem(at: try classifier.get(), to: directory)
    try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
    try FileManager.default.copyItem(at: file, to: directory.appendingPathComponent(name))
    return directory
  }

  static let readers: [String: Reader] = {
    func training(_ command: String, _ extra: [String] = []) -> Reader {
      Reader { file, scratch in
        [
          "train", command, "--train", file.path, "--epochs", "1", "--output",
          scratch.appendingPathComponent("out").path,
        ]
          + extra
      }
    }
    return [
      "tokenizer-json": Reader { file, _ in ["tokenize", "--tokenizer", file.path, "--ids", "hello"] },
      "vectors": Reader { file, _ in ["embed", "similar", "--vectors", file.path, "the"] },
      "text": Reader { file, scratch in
        [
          "tokenizer", "train", "--vocab-size", "50", "--output",
          scratch.appendingPathComponent("t.json").path, file.path,
        ]
      },
      "labeled-text": training("classify"),
      "tagged-sentences": training("tag"),
      "parallel-text": training("translate"),
      "csv": training("forecast", ["--target", "Close"]),
      "speech-manifest": training("speech"),
      // A clip a manifest names: the recogniser's training reads it.
      "wav": Reader(
        arguments: { file, scratch in
          try FileManager.default.copyItem(
            at: file, to: scratch.appendingPathComponent(file.lastPathComponent))
          let manifest = scratch.appendingPathComponent("manifest.tsv")
          try "\(file.lastPathComponent)\thello world\n".write(
            to: manifest, atomically: true, encoding: .utf8)
          return [
            "train", "speech", "--train", manifest.path, "--valid", manifest.path, "--output",
            scratch.appendingPathComponent("out").path,
          ]
        },
        named: { file, scratch in scratch.appendingPathComponent(file.lastPathComponent).path }),
      "safetensors": Reader(
        arguments: { file, scratch in
          [
            "predict", "--model", try model(replacing: "model.safetensors", with: file, in: scratch).path,
            "fine",
          ]
        },
        named: { _, scratch in scratch.appendingPathComponent("model/model.safetensors").path }),
      "model-config": Reader(
        arguments: { file, scratch in
          ["predict", "--model", try model(replacing: "config.json", with: file, in: scratch).path, "fine"]
        },
        named: { _, scratch in scratch.appendingPathComponent("model/config.json").path }),
    ]
  }()

  static var cases: [String] {
    let kinds = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return kinds.sorted().flatMap { kind in
      ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(kind).path)) ?? [])
        .sorted().map { "\(kind)/\($0)" }
    }
  }

  @Test func everyKindHasAReaderAndFiles() {
    let kinds = Set(Self.cases.map { String($0.split(separator: "/")[0]) })
    #expect(kinds == Set(Self.readers.keys))
    #expect(Self.cases.count >= 30)
  }

  @Test(arguments: cases) func aMalformedFileIsRefusedWithItsNameAndPlace(_ path: String) throws {
    let kind = String(path.split(separator: "/")[0])
    let reader = try #require(Self.readers[kind])
    let file = Self.folder.appendingPathComponent(path)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-malformed-\(UUID())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let (status, _, error) = try CommandLineTests().glossa(try reader.arguments(file, scratch))
    #expect(status == 1, "\(path): exit status \(status): \(error)")
    let message = error.split(separator: "\n").first { $0.contains(reader.named(file, scratch)) }
    #expect(message != nil, "\(path): the message does not name \(reader.named(file, scratch)): \(error)")
    if let message, let range = message.range(of: reader.named(file, scratch)) {
      #expect(
        message[range.upperBound...].prefixMatch(of: Self.position) != nil,
        "\(path): the message names no place in the file: \(message)")
    }
  }
}

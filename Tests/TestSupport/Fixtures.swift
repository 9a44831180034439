import Foundation
import GlossaTensor
import Testing

/// Locates the reference fixtures (`GLOSSA_FIXTURES`, default `../shared/fixtures`) and
/// reads the torch manifest, so parity tests loop over whatever cases the folder holds.
public enum Fixtures {
  /// The fixtures folder.
  public static var folder: URL {
    if let path = ProcessInfo.processInfo.environment["GLOSSA_FIXTURES"] {
      return URL(fileURLWithPath: path)
    }
    return packageRoot.appendingPathComponent("../shared/fixtures").standardized
  }

  /// The package's root folder, found from this file's path.
  public static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
  }

  /// *Pride and Prejudice* and *Sense and Sensibility*, a paragraph per line: the text that
  /// ships with `glossa demo`, so in every clone.
  public static var austen: URL {
    packageRoot.appendingPathComponent("Sources/glossa/Demo/DemoData/austen.txt")
  }

  /// The datasets folder (`GLOSSA_DATA`, default `../shared/data`).
  public static var dataFolder: URL {
    if let path = ProcessInfo.processInfo.environment["GLOSSA_DATA"] { return URL(fileURLWithPath: path) }
    return packageRoot.appendingPathComponent("../shared/data").standardized
  }

  /// Whether `url` exists. A missing file is a skip (with a message on standard error)
  /// outside CI and a failure under CI.
  public static func available(_ url: URL) throws -> Bool {
    if FileManager.default.fileExists(atPath: url.path) { return true }
    if isCI { throw FixtureError.missing(url.path) }
    FileHandle.standardError.write(Data("skipped: \(url.path) is absent\n".utf8))
    return false
  }

  /// Whether this run is CI's, where a missing fixture is a failure rather than a skip.
  public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// The torch manifest's cases whose `kind` satisfies `include`, or nil (with a message
  /// on standard error) when the folder is absent outside CI. Under CI a missing manifest
  /// throws.
  public static func torchCases(where include: (String) -> Bool) throws -> [[String: Any]]? {
    let manifest = folder.appendingPathComponent("torch/manifest.json")
    guard FileManager.default.fileExists(atPath: manifest.path) else {
      if isCI { throw FixtureError.missing(manifest.path) }
      FileHandle.standardError.write(
        Data("skipped: no torch fixtures at \(manifest.path) (set GLOSSA_FIXTURES)\n".utf8))
      return nil
    }
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any]
    let cases = json?["fixtures"] as? [[String: Any]] ?? []
    return cases.filter { include($0["kind"] as? String ?? "") }
  }

  /// The safetensors file of a torch case.
  public static func torchFile(_ entry: [String: Any]) throws -> SafeTensors {
    let name = entry["file"] as? String ?? ""
    return try SafeTensors(contentsOf: folder.appendingPathComponent("torch/\(name)"))
  }

  public enum FixtureError: Error, CustomStringConvertible {
    case missing(String)
    case missingTensor(String, file: String)

    public var description: String {
      switch self {
      case .missing(let path): "fixture missing: \(path)"
      case .missingTensor(let name, let file): "fixture \(file) lacks tensor \(name)"
      }
    }
  }
}

extension SafeTensors {
  /// A tensor that a fixture must contain.
  public func required(_ name: String) throws -> Tensor {
    guard let t = try tensor(name) else { throw Fixtures.FixtureError.missingTensor(name, file: "") }
    return t
  }
}

/// The first element where `actual` and `expected` differ by more than
/// `absolute + relative·|expected|`, described, or nil when they agree (shapes included).
public func mismatch(
  _ actual: Tensor, _ expected: Tensor, relative: Float, absolute: Float
) -> String? {
  guard actual.count == expected.count else {
    return "shape \(actual.shape) vs expected \(expected.shape)"
  }
  let a = actual.scalars
  let e = expected.scalars
  for i in 0..<a.count where !(abs(a[i] - e[i]) <= absolute + relative * abs(e[i])) {
    return "element \(i): \(a[i]) vs expected \(e[i])"
  }
  return nil
}

/// The fixtures README's tolerances.
public struct Tolerance: Sendable {
  public let relative: Float, absolute: Float
  /// Forward values: 1e-5 relative, 1e-6 absolute.
  public static let forward = Tolerance(relative: 1e-5, absolute: 1e-6)
  /// Gradients: 1e-4 relative (1e-6 absolute).
  public static let gradient = Tolerance(relative: 1e-4, absolute: 1e-6)
}

/// Records a test issue, labelled, when `actual` is missing or differs from `expected`.
public func expectClose(
  _ actual: Tensor?, _ expected: Tensor, _ tolerance: Tolerance, _ label: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let actual else {
    Issue.record("\(label): missing", sourceLocation: sourceLocation)
    return
  }
  if let problem = mismatch(actual, expected, relative: tolerance.relative, absolute: tolerance.absolute) {
    Issue.record("\(label): \(problem)", sourceLocation: sourceLocation)
  }
}

/// Counts the cases of a parity test that differ from the reference, recording only the
/// first three in full, so a broken test shows a few examples rather than hundreds.
public struct Mismatches {
  /// How many cases differed.
  public private(set) var count = 0

  public init() {}

  /// Counts `problem` (nil: the case agreed) and records it when it is among the first three.
  public mutating func note(_ problem: String?, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let problem else { return }
    count += 1
    if count <= 3 { Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation) }
  }

  /// Expects that no case of `total` differed.
  public func expectNone(of total: Int, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(count == 0, "\(count) of \(total) \(what) differ", sourceLocation: sourceLocation)
  }
}

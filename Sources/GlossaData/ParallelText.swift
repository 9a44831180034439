import Foundation

/// A sentence and its translation, the example of a sequence-to-sequence model.
public struct ParallelPair: Sendable, Equatable {
  /// The sentence in the source language.
  public var source: String
  /// Its translation.
  public var target: String
  /// Any further fields of the line (a reference, a score).
  public var extra: [String]

  /// A pair.
  public init(source: String, target: String, extra: [String] = []) {
    (self.source, self.target, self.extra) = (source, target, extra)
  }

  /// The pairs of a `source<TAB>target[<TAB>…]` file, one per line; blank lines skipped.
  /// Errors name the file and line: fewer than two fields, an empty side, no pairs.
  public static func read(_ url: URL) throws -> [ParallelPair] { try parse(NumberedLines(url)) }

  /// The pairs of parallel text given as a string; `file` names it in errors.
  public static func parse(_ text: String, file: String = "<text>") throws -> [ParallelPair] {
    try parse(NumberedLines(text: text, file: file))
  }

  private static func parse(_ lines: NumberedLines) throws -> [ParallelPair] {
    var pairs: [ParallelPair] = []
    for (number, line) in lines where !line.allSatisfy(\.isWhitespace) {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard fields.count >= 2 else { throw lines.error(number, "expected source<TAB>target, found no tab") }
      for (k, name) in ["source", "target"].enumerated() where fields[k].allSatisfy(\.isWhitespace) {
        throw lines.error(number, "the \(name) sentence is empty", field: name)
      }
      pairs.append(ParallelPair(source: fields[0], target: fields[1], extra: Array(fields.dropFirst(2))))
    }
    guard !pairs.isEmpty else { throw lines.error(nil, "no pairs (expected source<TAB>target lines)") }
    return pairs
  }
}

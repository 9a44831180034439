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

  /// The pairs of a `source<TAB>target[<TAB>…]` file, one per line; blank lines skipped. The
  /// sentences are the fields `sourceColumn` and `targetColumn` (from 1); the others are kept as
  /// ``extra``. Errors name the file and line: too few fields, an empty side, no pairs.
  public static func read(_ url: URL, sourceColumn: Int = 1, targetColumn: Int = 2) throws -> [ParallelPair] {
    try parse(NumberedLines(url), sourceColumn, targetColumn)
  }

  /// The pairs of parallel text given as a string; `file` names it in errors.
  public static func parse(
    _ text: String, file: String = "<text>", sourceColumn: Int = 1, targetColumn: Int = 2
  )
    throws -> [ParallelPair]
  {
    try parse(NumberedLines(text: text, file: file), sourceColumn, targetColumn)
  }

  private static func parse(_ lines: NumberedLines, _ sourceColumn: Int, _ targetColumn: Int) throws
    -> [ParallelPair]
  {
    guard sourceColumn >= 1, targetColumn >= 1, sourceColumn != targetColumn else {
      throw lines.error(nil, "the source and target columns must be two different fields from 1")
    }
    let needed = max(sourceColumn, targetColumn)
    var pairs: [ParallelPair] = []
    for (number, line) in lines where !line.allSatisfy(\.isWhitespace) {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard fields.count >= needed else {
        throw lines.error(
          number,
          fields.count == 1
            ? "expected source<TAB>target, found no tab"
            : "expected \(needed) tab-separated fields (source in \(sourceColumn), target in \(targetColumn)), found \(fields.count)"
        )
      }
      let (source, target) = (fields[sourceColumn - 1], fields[targetColumn - 1])
      for (name, text) in [("source", source), ("target", target)] where text.allSatisfy(\.isWhitespace) {
        throw lines.error(number, "the \(name) sentence is empty", field: name)
      }
      let extra = fields.indices.filter { $0 != sourceColumn - 1 && $0 != targetColumn - 1 }.map {
        fields[$0]
      }
      pairs.append(ParallelPair(source: source, target: target, extra: extra))
    }
    guard !pairs.isEmpty else { throw lines.error(nil, "no pairs (expected source<TAB>target lines)") }
    return pairs
  }
}

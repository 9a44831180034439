import Foundation

/// A sentence whose tokens each carry a tag (part of speech, entity), the example of a
/// sequence tagger.
public struct TaggedSentence: Sendable, Equatable {
  /// The tokens.
  public var tokens: [String]
  /// One tag per token.
  public var tags: [String]

  /// A sentence; `tags` must have one tag per token.
  public init(tokens: [String], tags: [String]) {
    precondition(tokens.count == tags.count, "TaggedSentence: \(tokens.count) tokens, \(tags.count) tags")
    self.tokens = tokens
    self.tags = tags
  }

  /// The sentences of a tagged file: `token<TAB>tag` lines with a blank line after each
  /// sentence, or CoNLL-U (ten tab-separated columns; FORM and UPOS are read, `#` comments,
  /// multiword-token ranges such as `1-2` and empty nodes such as `1.1` skipped), recognised by
  /// its first line. Errors name the file, the line and what was expected.
  public static func read(_ url: URL) throws -> [TaggedSentence] { try parse(NumberedLines(url)) }

  /// The sentences of tagged text (see ``read(_:)``); `file` names it in errors.
  public static func parse(_ text: String, file: String = "<text>") throws -> [TaggedSentence] {
    try parse(NumberedLines(text: text, file: file))
  }

  private static func parse(_ lines: NumberedLines) throws -> [TaggedSentence] {
    let firstData = lines.lines.first { !$0.isEmpty && !$0.hasPrefix("#") }
    let conllu =
      firstData.map { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 10 } ?? false
    var sentences: [TaggedSentence] = []
    var (tokens, tags): ([String], [String]) = ([], [])
    func finish() {
      if !tokens.isEmpty { sentences.append(TaggedSentence(tokens: tokens, tags: tags)) }
      (tokens, tags) = ([], [])
    }
    for (number, line) in lines {
      if line.allSatisfy(\.isWhitespace) {
        finish()
        continue
      }
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      if conllu {
        if line.hasPrefix("#") { continue }
        guard fields.count == 10 else {
          throw lines.error(number, "expected 10 tab-separated CoNLL-U columns, found \(fields.count)")
        }
        if fields[0].contains("-") || fields[0].contains(".") { continue }
        guard Int(fields[0]) != nil else {
          throw lines.error(number, "the ID '\(fields[0])' is not a number", field: "ID")
        }
        guard !fields[1].isEmpty, !fields[3].isEmpty else {
          throw lines.error(
            number, "FORM and UPOS must not be empty", field: fields[1].isEmpty ? "FORM" : "UPOS")
        }
        tokens.append(fields[1])
        tags.append(fields[3])
      } else {
        guard fields.count == 2 else {
          throw lines.error(
            number, "expected token<TAB>tag, found \(fields.count) field\(fields.count == 1 ? "" : "s")")
        }
        guard !fields[0].isEmpty, !fields[1].isEmpty else {
          throw lines.error(
            number, "an empty \(fields[0].isEmpty ? "token" : "tag")",
            field: fields[0].isEmpty ? "token" : "tag")
        }
        tokens.append(fields[0])
        tags.append(fields[1])
      }
    }
    finish()
    guard !sentences.isEmpty else { throw lines.error(nil, "no sentences (expected token<TAB>tag lines)") }
    return sentences
  }
}

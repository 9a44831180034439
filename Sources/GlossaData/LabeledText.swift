import Foundation

/// A document with its label, the example of a text classifier.
public struct LabeledText: Sendable, Equatable, Hashable {
  /// The class, as the file names it.
  public var label: String
  /// The document.
  public var text: String

  /// An example.
  public init(label: String, text: String) {
    self.label = label
    self.text = text
  }

  /// The examples of a `label<TAB>text` file, one per line (the text is everything after the
  /// first tab). Blank lines are skipped. Errors name the file and line: a line without a
  /// tab, an empty label or text, a file with no examples.
  public static func read(_ url: URL) throws -> [LabeledText] { try parse(NumberedLines(url)) }

  /// The examples of `label<TAB>text` lines given as text; `file` names them in errors.
  public static func parse(_ text: String, file: String = "<text>") throws -> [LabeledText] {
    try parse(NumberedLines(text: text, file: file))
  }

  private static func parse(_ lines: NumberedLines) throws -> [LabeledText] {
    var examples: [LabeledText] = []
    for (number, line) in lines where !line.allSatisfy(\.isWhitespace) {
      guard let tab = line.firstIndex(of: "\t") else {
        throw lines.error(number, "expected label<TAB>text, found no tab in \"\(line.prefix(40))\"")
      }
      let label = String(line[..<tab]).trimmingCharacters(in: .whitespaces)
      let text = String(line[line.index(after: tab)...])
      guard !label.isEmpty else {
        throw lines.error(number, "the label (before the tab) is empty", field: "label")
      }
      guard !text.allSatisfy(\.isWhitespace) else {
        throw lines.error(number, "the text (after the tab) is empty", field: "text")
      }
      examples.append(LabeledText(label: label, text: text))
    }
    guard !examples.isEmpty else { throw lines.error(nil, "no examples (expected label<TAB>text lines)") }
    return examples
  }
}

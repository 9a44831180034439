/// Replaces `pattern` (a string, or a regular expression) by `content`, taken literally, in
/// every token (Llama-2's `▁` → space).
public struct ReplaceDecoder: ChainDecoder {
  /// What is replaced, and by what.
  public let pattern: String, content: String
  /// The pattern compiled, when it is a regular expression.
  private let expression: ScalarRegex?
  /// Whether `pattern` is a regular expression.
  public var isRegularExpression: Bool { expression != nil }

  /// Replaces the string `pattern`.
  public init(_ pattern: String, with content: String) {
    (self.pattern, self.content, expression) = (pattern, content, nil)
  }

  /// Replaces the matches of a regular expression; throws when it does not compile.
  public init(regularExpression pattern: String, with content: String) throws {
    (self.pattern, self.content, expression) = (pattern, content, try ScalarRegex(pattern))
  }

  public func decodeChain(_ tokens: [String]) -> [String] {
    if let expression { return tokens.map { expression.replacingMatches(in: $0, with: content) } }
    return tokens.map { $0.replacingOccurrences(of: pattern, with: content) }
  }
}

extension ReplaceDecoder {
  public var json: [String: Any]? {
    replaceJSON(pattern, isRegularExpression: isRegularExpression, content: content)
  }
}

extension ReplaceDecoder {
  init(reading node: JSONNode) throws {
    self = try node.replacement(string: { ReplaceDecoder($0, with: $1) }) {
      try ReplaceDecoder(regularExpression: $0, with: $1)
    }
  }
}

/// WordPiece: `##` continuations glue to the token before, other tokens start with a
/// space; `cleanup` removes the spaces tokenization put before punctuation and contractions.
public struct WordPieceDecoder: ChainDecoder {
  /// The continuation prefix (`##`).
  public let prefix: String
  /// Whether spaces before punctuation and contractions are removed.
  public let cleanup: Bool
  public init(prefix: String = "##", cleanup: Bool = true) {
    self.prefix = prefix
    self.cleanup = cleanup
  }
  /// Each token but the first loses its prefix, or gets a space in front when it has none (the
  /// first stays as it is, prefix and all, as in HuggingFace); cleaned up token by token.
  public func decodeChain(_ tokens: [String]) -> [String] {
    tokens.enumerated().map { i, token in
      let text =
        i == 0 ? token : token.hasPrefix(prefix) ? String(token.dropFirst(prefix.count)) : " " + token
      return cleanup ? Self.cleanedUp(text) : text
    }
  }

  /// The text without the spaces tokenization put before punctuation and contractions
  /// (HuggingFace's `cleanup`, its replacements in its order).
  static func cleanedUp(_ text: String) -> String {
    var text = text
    for (from, to) in [
      (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
      (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ] where text.contains(from) {
      text = text.replacingOccurrences(of: from, with: to)
    }
    return text
  }
}

extension WordPieceDecoder {
  public var json: [String: Any]? { ["type": "WordPiece", "prefix": prefix, "cleanup": cleanup] }
}

extension WordPieceDecoder {
  init(reading node: JSONNode) throws {
    self.init(prefix: try node["prefix"].string(), cleanup: try node["cleanup"].bool())
  }
}

/// The last stage of a tokenizer: turns tokens back into text.
public protocol TokenDecoder: Sendable {
  func decode(_ tokens: [String]) -> String
}

/// No decoder: tokens joined by spaces.
public struct SpaceJoinDecoder: TokenDecoder {
  public init() {}
  public func decode(_ tokens: [String]) -> String { tokens.joined(separator: " ") }
}

/// BPE with an end-of-word suffix: each suffix becomes a space (none after the last token).
public struct BPEDecoder: TokenDecoder {
  /// The end-of-word suffix that marks a space.
  public let suffix: String
  public init(suffix: String = "</w>") { self.suffix = suffix }
  public func decode(_ tokens: [String]) -> String {
    tokens.enumerated().map { i, token in
      token.replacingOccurrences(of: suffix, with: i == tokens.count - 1 ? "" : " ")
    }.joined()
  }
}

/// WordPiece: `##` continuations glue to the token before, other tokens start with a
/// space; `cleanup` removes the spaces tokenization put before punctuation and contractions.
public struct WordPieceDecoder: TokenDecoder {
  /// The continuation prefix (`##`).
  public let prefix: String
  /// Whether spaces before punctuation and contractions are removed.
  public let cleanup: Bool
  public init(prefix: String = "##", cleanup: Bool = true) {
    self.prefix = prefix
    self.cleanup = cleanup
  }
  public func decode(_ tokens: [String]) -> String {
    var text = tokens.enumerated().map { i, token in
      token.hasPrefix(prefix) ? String(token.dropFirst(prefix.count)) : (i == 0 ? token : " " + token)
    }.joined()
    if cleanup {
      for (from, to) in [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" n't", "n't"), (" 'm", "'m"),
        (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
      ] {
        text = text.replacingOccurrences(of: from, with: to)
      }
    }
    return text
  }
}

/// SentencePiece: `▁` becomes a space, and the space put in front of the text is removed.
public struct MetaspaceDecoder: TokenDecoder {
  /// The character that stands for a space (`▁`).
  public let replacement: String
  /// Whether a `▁` was put in front of the text (and its space is dropped here).
  public let prependAlways: Bool
  public init(replacement: String = "▁", prependAlways: Bool = true) {
    self.replacement = replacement
    self.prependAlways = prependAlways
  }
  public func decode(_ tokens: [String]) -> String {
    tokens.enumerated().map { i, token in
      let text = token.replacingOccurrences(of: replacement, with: " ")
      return i == 0 && prependAlways && text.hasPrefix(" ") ? String(text.dropFirst()) : text
    }.joined()
  }
}

/// Byte-level: each character stands for a byte; the bytes are read as UTF-8 (invalid
/// sequences become U+FFFD).
public struct ByteLevelDecoder: TokenDecoder {
  public init() {}
  public func decode(_ tokens: [String]) -> String {
    let bytes = tokens.joined().unicodeScalars.compactMap { ByteLevel.scalarToByte[$0] }
    return String(decoding: bytes, as: UTF8.self)
  }
}

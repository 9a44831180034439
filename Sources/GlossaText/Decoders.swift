/// The last stage of a tokenizer: turns tokens back into text. In a ``DecoderSequence`` each
/// decoder passes a list of strings to the next (``decodeChain(_:)``, HuggingFace's
/// `decode_chain`), and the last list is joined.
public protocol TokenDecoder: Sendable {
  func decode(_ tokens: [String]) -> String
  /// The tokens rewritten, for the next decoder of a sequence.
  func decodeChain(_ tokens: [String]) -> [String]
  /// Its object in a tokenizer.json; nil for a decoder HuggingFace has no form of.
  var json: [String: Any]? { get }
}

extension TokenDecoder {
  /// By default the whole text as one string.
  public func decodeChain(_ tokens: [String]) -> [String] { [decode(tokens)] }
}

/// A decoder that works token by token: its text is its rewritten tokens joined.
public protocol ChainDecoder: TokenDecoder {}

extension ChainDecoder {
  public func decode(_ tokens: [String]) -> String { decodeChain(tokens).joined() }
}

/// Decoders applied one after another, each to the strings the one before gave.
public struct DecoderSequence: ChainDecoder {
  /// The decoders, first to last.
  public let decoders: [any TokenDecoder]
  public init(_ decoders: [any TokenDecoder]) { self.decoders = decoders }
  public func decodeChain(_ tokens: [String]) -> [String] {
    decoders.reduce(tokens) { $1.decodeChain($0) }
  }
}

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

/// Byte fallback's tokens back to text: each run of `<0xXX>` tokens becomes the string its
/// bytes spell in UTF-8, or one U+FFFD per byte when they are not valid UTF-8.
public struct ByteFallbackDecoder: ChainDecoder {
  public init() {}
  public func decodeChain(_ tokens: [String]) -> [String] {
    var result: [String] = []
    var bytes: [UInt8] = []
    func flush() {
      guard !bytes.isEmpty else { return }
      if let text = String(validating: bytes, as: UTF8.self) {
        result.append(text)
      } else {
        result += repeatElement("\u{FFFD}", count: bytes.count)
      }
      bytes = []
    }
    for token in tokens {
      let utf8 = Array(token.utf8)
      if utf8.count == 6, token.hasPrefix("<0x"), utf8[5] == UInt8(ascii: ">"),
        let byte = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
      {
        bytes.append(byte)
      } else {
        flush()
        result.append(token)
      }
    }
    flush()
    return result
  }
}

/// All the tokens as one string.
public struct FuseDecoder: ChainDecoder {
  public init() {}
  public func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

/// Removes from each token up to `start` leading and `stop` trailing `content` characters
/// (Llama-2 drops the space its `▁` prefix became).
public struct StripDecoder: ChainDecoder {
  /// The character removed.
  public let content: Character
  /// How many may go from the start and from the end.
  public let start: Int, stop: Int
  public init(_ content: Character, start: Int, stop: Int) {
    (self.content, self.start, self.stop) = (content, start, stop)
  }
  public func decodeChain(_ tokens: [String]) -> [String] {
    tokens.map { token in
      let characters = Array(token)
      var first = 0
      while first < min(start, characters.count), characters[first] == content { first += 1 }
      var end = characters.count
      while characters.count - end < stop, end > first, characters[end - 1] == content { end -= 1 }
      return String(characters[first..<end])
    }
  }
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

/// CTC's output (a speech model's characters, as wav2vec2's tokenizer.json decodes them):
/// repeated tokens merged, the padding (blank) token dropped, and with `cleanup` the spaces
/// before punctuation removed and the word delimiter made a space.
public struct CTCDecoder: ChainDecoder {
  /// The blank, and the token between words.
  public let padToken: String, wordDelimiter: String
  /// Whether punctuation spacing is cleaned up and the delimiter becomes a space.
  public let cleanup: Bool
  public init(padToken: String = "<pad>", wordDelimiter: String = "|", cleanup: Bool = true) {
    (self.padToken, self.wordDelimiter, self.cleanup) = (padToken, wordDelimiter, cleanup)
  }
  public func decodeChain(_ tokens: [String]) -> [String] {
    tokens.enumerated().compactMap { i, token in
      guard i == 0 || tokens[i - 1] != token else { return nil }
      var text = token.replacingOccurrences(of: padToken, with: "")
      if cleanup {
        text = WordPieceDecoder.cleanedUp(text).replacingOccurrences(of: wordDelimiter, with: " ")
      }
      return text.isEmpty ? nil : text
    }
  }
}

/// SentencePiece: `▁` becomes a space, and the space put in front of the text is removed.
public struct MetaspaceDecoder: ChainDecoder {
  /// The character that stands for a space (`▁`).
  public let replacement: String
  /// When a `▁` was put in front of the text: unless never, the first token's `▁`s are dropped
  /// rather than made spaces (every one of them, as HuggingFace does).
  public let prependScheme: MetaspacePrependScheme
  public init(replacement: String = "▁", prependScheme: MetaspacePrependScheme = .always) {
    self.replacement = replacement
    self.prependScheme = prependScheme
  }
  public func decodeChain(_ tokens: [String]) -> [String] {
    tokens.enumerated().map { i, token in
      token.replacingOccurrences(of: replacement, with: i == 0 && prependScheme != .never ? "" : " ")
    }
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

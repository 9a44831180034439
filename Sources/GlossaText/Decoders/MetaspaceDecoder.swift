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

extension MetaspaceDecoder {
  public var json: [String: Any]? {
    [
      "type": "Metaspace", "replacement": replacement, "prepend_scheme": prependScheme.rawValue,
      "split": true,
    ]
  }
}

extension MetaspaceDecoder {
  init(reading node: JSONNode) throws {
    let (replacement, scheme) = try node.metaspace()
    self.init(replacement: String(replacement), prependScheme: scheme)
  }
}

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

extension CTCDecoder {
  public var json: [String: Any]? {
    ["type": "CTC", "pad_token": padToken, "word_delimiter_token": wordDelimiter, "cleanup": cleanup]
  }
}

extension CTCDecoder {
  init(reading node: JSONNode) throws {
    self.init(
      padToken: try node["pad_token"].string(), wordDelimiter: try node["word_delimiter_token"].string(),
      cleanup: try node["cleanup"].bool())
  }
}

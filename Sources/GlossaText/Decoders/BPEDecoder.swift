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

extension BPEDecoder { public var json: [String: Any]? { ["type": "BPEDecoder", "suffix": suffix] } }

extension BPEDecoder {
  init(reading node: JSONNode) throws { self.init(suffix: try node["suffix"].string()) }
}

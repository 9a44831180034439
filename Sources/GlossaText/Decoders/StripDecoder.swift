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

extension StripDecoder {
  public var json: [String: Any]? {
    ["type": "Strip", "content": String(content), "start": start, "stop": stop]
  }
}

extension StripDecoder {
  /// Reads its character (exactly one) and how many to strip from each end.
  init(reading node: JSONNode) throws {
    let content = try node["content"].string()
    guard content.count == 1, let character = content.first else {
      throw node["content"].fail("expected one character")
    }
    let (start, stop) = (try node["start"].int(), try node["stop"].int())
    guard start >= 0, stop >= 0 else { throw node.fail("start and stop must not be negative") }
    self.init(character, start: start, stop: stop)
  }
}

/// Removes whitespace from the start and the end of the text (HuggingFace's `Strip`).
public struct Strip: Normalizer {
  /// Which ends are stripped.
  public let left: Bool, right: Bool
  public init(left: Bool = true, right: Bool = true) { (self.left, self.right) = (left, right) }
  public func normalize(_ text: inout NormalizedText) {
    var (start, end) = (0, text.scalars.count)
    while left, start < end, text.scalars[start].properties.isWhitespace { start += 1 }
    while right, end > start, text.scalars[end - 1].properties.isWhitespace { end -= 1 }
    if start > 0 || end < text.scalars.count { text = text.slice(start..<end) }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = text.first, let last = text.last else { return true }
    return !(left && isASCIIWhitespace(first)) && !(right && isASCIIWhitespace(last))
  }
}

extension Strip {
  public var json: [String: Any]? { ["type": "Strip", "strip_left": left, "strip_right": right] }
}

extension Strip {
  init(reading node: JSONNode) throws {
    self.init(left: try node["strip_left"].bool(), right: try node["strip_right"].bool())
  }
}

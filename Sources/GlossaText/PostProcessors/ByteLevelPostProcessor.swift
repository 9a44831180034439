/// Byte-level BPE's post-processor (HuggingFace's `ByteLevel`): adds no token, and with
/// ``offsets`` trimming moves each token's offsets off the spaces at its ends.
public struct ByteLevelPostProcessor: PostProcessor {
  /// The offset trimming.
  public let offsets: OffsetTrimming

  public init(_ offsets: OffsetTrimming = OffsetTrimming()) { self.offsets = offsets }

  public func process(_ encodings: [Encoding], addingSpecialTokens: Bool) -> [Encoding] {
    encodings.map(offsets.apply)
  }

  public func addedTokenCount(pair: Bool) -> Int { 0 }

  public var json: [String: Any] {
    [
      "type": "ByteLevel", "trim_offsets": offsets.isOn, "add_prefix_space": offsets.keepsPrefixSpace,
      "use_regex": true,
    ]
  }
}

extension ByteLevelPostProcessor {
  init(reading node: JSONNode) throws {
    let settings = try node.byteLevel()
    self.init(OffsetTrimming(settings.trimsOffsets, keepsPrefixSpace: settings.addPrefixSpace))
  }
}

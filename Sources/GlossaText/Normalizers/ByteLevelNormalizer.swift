/// Each scalar's UTF-8 bytes written as GPT-2's printable stand-ins, each standing for the
/// scalar (HuggingFace's `ByteLevel` normalizer; ``ByteLevel`` the pre-tokenizer also cuts).
public struct ByteLevelNormalizer: Normalizer {
  public init() {}
  public func normalize(_ text: inout NormalizedText) { text = ByteLevel().prepare(text) }

  /// The printable ASCII bytes other than the space are their own stand-ins.
  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    text.allSatisfy { $0 > 0x20 && $0 < 0x7F }
  }
}

extension ByteLevelNormalizer { public var json: [String: Any]? { ["type": "ByteLevel"] } }

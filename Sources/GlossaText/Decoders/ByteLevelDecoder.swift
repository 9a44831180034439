/// Byte-level: each character stands for a byte; the bytes are read as UTF-8 (invalid
/// sequences become U+FFFD).
public struct ByteLevelDecoder: TokenDecoder {
  public init() {}
  public func decode(_ tokens: [String]) -> String {
    let bytes = tokens.joined().unicodeScalars.compactMap(ByteLevel.byte(of:))
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension ByteLevelDecoder {
  public var json: [String: Any]? {
    ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true]
  }
}

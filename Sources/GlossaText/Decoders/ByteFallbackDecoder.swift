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

extension ByteFallbackDecoder { public var json: [String: Any]? { ["type": "ByteFallback"] } }

/// JSON written straight into bytes, for the answer served most often (`/v1/tokenize`), where
/// Foundation's `JSONEncoder` cost most of a request's time. Strings are escaped as RFC 8259
/// requires (quote, backslash and the control characters); everything else is UTF-8 as it is.
struct JSONWriter {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

  /// Literal JSON punctuation or a key already quoted: `{"ids":`.
  mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

  mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): raw("\\\"")
      case UInt8(ascii: "\\"): raw("\\\\")
      case UInt8(ascii: "\n"): raw("\\n")
      case UInt8(ascii: "\r"): raw("\\r")
      case UInt8(ascii: "\t"): raw("\\t")
      case 0..<0x20:
        raw("\\u00")
        // Two hex digits, 0-9 then a-f.
        for digit in [byte >> 4, byte & 15] { bytes.append(digit < 10 ? 48 + digit : 87 + digit) }
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// `[a,b,…]`, each element written by `element`.
  mutating func array<C: Collection>(_ values: C, _ element: (inout JSONWriter, C.Element) -> Void) {
    bytes.append(UInt8(ascii: "["))
    var first = true
    for value in values {
      if !first { bytes.append(UInt8(ascii: ",")) }
      first = false
      element(&self, value)
    }
    bytes.append(UInt8(ascii: "]"))
  }
}

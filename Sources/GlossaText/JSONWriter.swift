/// JSON written straight into bytes, for encodings written by the thousand (the server's
/// `/v1/tokenize`, `glossa tokenize --json`), where Foundation's `JSONEncoder` cost most of the
/// time. Strings are escaped as RFC 8259 requires (quote, backslash and the control
/// characters); everything else is UTF-8 as it is.
package struct JSONWriter {
  package private(set) var bytes: [UInt8] = []

  package init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

  /// Literal JSON punctuation or a key already quoted: `{"ids":`.
  package mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  package mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

  package mutating func string(_ value: String) {
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
  package mutating func array<C: Collection>(_ values: C, _ element: (inout JSONWriter, C.Element) -> Void) {
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

extension JSONWriter {
  /// An encoding as an object, keys sorted: `attention_mask`, `ids`, `offsets` (character
  /// ranges, end exclusive), `overflowing` (the windows truncation cut off, each such an
  /// object without windows of its own), `special_tokens_mask`, `tokens`, `type_ids`.
  package mutating func encoding(_ encoding: Encoding) {
    raw("{\"attention_mask\":")
    array(encoding.attentionMask) { $0.int($1) }
    raw(",\"ids\":")
    array(encoding.ids) { $0.int($1) }
    raw(",\"offsets\":")
    array(encoding.offsets) { writer, range in
      writer.raw("[")
      writer.int(range.lowerBound)
      writer.raw(",")
      writer.int(range.upperBound)
      writer.raw("]")
    }
    raw(",\"overflowing\":")
    array(encoding.overflowing) { $0.encoding($1) }
    raw(",\"sequence_ids\":")
    array(encoding.sequenceIDs) { writer, id in id.map { writer.int($0) } ?? writer.raw("null") }
    raw(",\"special_tokens_mask\":")
    array(encoding.specialTokensMask) { $0.int($1) }
    raw(",\"tokens\":")
    array(encoding.tokens) { $0.string($1) }
    raw(",\"type_ids\":")
    array(encoding.typeIDs) { $0.int($1) }
    raw(",\"word_ids\":")
    array(encoding.wordIDs) { writer, id in id.map { writer.int($0) } ?? writer.raw("null") }
    raw("}")
  }
}

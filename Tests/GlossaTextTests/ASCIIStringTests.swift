import Testing

@testable import GlossaText

/// Small strings built from their bytes held to `String(decoding:as:)`.
@Suite struct ASCIIStringTests {
  /// The process checks the standard library's small-string layout before building strings
  /// in it; on 64-bit little-endian platforms the check must pass, or the fast path is off.
  @Test func theSmallStringLayoutCheckPassesHere() {
    #if _endian(little) && _pointerBitWidth(_64)
      #expect(smallStringLayoutHolds)
    #endif
  }

  @Test func equalsTheDecodedStringForEveryLengthAndPlace() {
    var state: UInt64 = 7
    let bytes = (0..<64).map { _ -> UInt8 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(32 + (state >> 33) % 95)
    }
    // Every length from empty to past the small-string limit, both far from the end of the
    // buffer (sixteen bytes read at once) and up against it (byte by byte).
    for count in 0...20 {
      for start in [0, 3, 40, 64 - count] {
        let range = start..<(start + count)
        let expected = String(decoding: bytes[range], as: UTF8.self)
        var built = bytes.withUnsafeBufferPointer { asciiString($0, range) }
        #expect(built == expected)
        if count <= 15 {
          // The very value the standard library makes, bit for bit.
          #expect(
            unsafeBitCast(built, to: (UInt64, UInt64).self)
              == unsafeBitCast(expected, to: (UInt64, UInt64).self))
        }
        #expect(built.hashValue == expected.hashValue)
        #expect(Array(built.utf8) == Array(expected.utf8))
        #expect(built.count == count)
        built += "é"
        #expect(built == expected + "é")
      }
    }
  }
}

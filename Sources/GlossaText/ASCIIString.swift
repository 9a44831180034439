/// A `String` of the ASCII bytes `range` of `bytes`.
///
/// Up to 15 bytes are built directly as a small string: Swift keeps such a string inside its
/// 16-byte value, the bytes in order followed by a byte holding the count and the flags
/// "small" and "ASCII" (0xE0 | count), the layout of the standard library's `_SmallString` on
/// 64-bit little-endian platforms. That skips the validation and copying of
/// `String(decoding:as:)`, which is most of the cost of a word token (words as strings run
/// about 1.6× faster for it). Longer runs, and other platforms, go through
/// `String(decoding:as:)`.
///
/// That layout is private to the standard library, so every process checks it before relying
/// on it (``smallStringLayoutHolds``): should a later standard library lay small strings out
/// otherwise, every run goes through the public initializer instead.
@inline(__always)
func asciiString(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
  asciiString(bytes, range, layoutHolds: smallStringLayoutHolds)
}

/// ``asciiString(_:_:)`` with ``smallStringLayoutHolds`` read once by the caller, outside its
/// loop (reading the global is a call per word).
@inline(__always)
func asciiString(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, layoutHolds: Bool) -> String {
  #if _endian(little) && _pointerBitWidth(_64)
    let count = range.count
    if count <= 15, let base = bytes.baseAddress, layoutHolds {
      let raw = UnsafeRawPointer(base + range.lowerBound)
      var low: UInt64 = 0
      var high: UInt64 = 0
      if range.lowerBound + 16 <= bytes.count {
        // Sixteen bytes read at once (all inside `bytes`), those past the run cleared.
        low = raw.loadUnaligned(as: UInt64.self) & ~(UInt64.max << UInt64(8 * min(count, 8)))
        high =
          raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
          & ~(UInt64.max << UInt64(8 * max(count - 8, 0)))
      } else {
        for k in 0..<count {
          let byte = UInt64(raw.load(fromByteOffset: k, as: UInt8.self))
          if k < 8 { low |= byte << UInt64(8 * k) } else { high |= byte << UInt64(8 * (k - 8)) }
        }
      }
      return smallASCIIString(low: low, high: high, count: count)
    }
  #endif
  return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
}

/// The small string of `count` ≤ 15 ASCII bytes, held in order in `low` and `high`.
@inline(__always)
private func smallASCIIString(low: UInt64, high: UInt64, count: Int) -> String {
  unsafeBitCast((low, high | UInt64(0xE0 | count) << 56), to: String.self)
}

/// Whether this process's standard library lays small ASCII strings out as
/// ``asciiString(_:_:)`` builds them: checked once, on strings of every small length,
/// against the values the standard library makes itself.
let smallStringLayoutHolds: Bool = {
  #if _endian(little) && _pointerBitWidth(_64)
    let text = Array("glossa-tokenize".utf8)  // 15 bytes
    for count in 0...15 {
      var (low, high): (UInt64, UInt64) = (0, 0)
      for (k, byte) in text.prefix(count).enumerated() {
        if k < 8 { low |= UInt64(byte) << UInt64(8 * k) } else { high |= UInt64(byte) << UInt64(8 * (k - 8)) }
      }
      let expected = String(decoding: text.prefix(count), as: UTF8.self)
      guard MemoryLayout<String>.size == 16,
        unsafeBitCast(expected, to: (UInt64, UInt64).self) == (low, high | UInt64(0xE0 | count) << 56)
      else { return false }
    }
    return true
  #else
    return false
  #endif
}()

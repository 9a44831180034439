/// The scalar of a multi-byte UTF-8 sequence starting at `bytes[i]` (whose lead byte is
/// ≥ 0x80) and the sequence's length. Valid input is assumed (Swift strings are); a
/// truncated or invalid sequence gives U+FFFD. The byte scanners share it, each with its
/// own fast path for ASCII.
@inline(__always)
func multiByteScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: Unicode.Scalar, width: Int) {
  let lead = bytes[i]
  let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
  var value = UInt32(lead) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
  for k in 1..<width where i + k < bytes.count { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
  return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
}

/// The scalar whose UTF-8 sequence starts at `bytes[i]`, and the sequence's length: ASCII
/// directly, longer sequences through ``multiByteScalar(_:at:)``.
@inline(__always)
func utf8Scalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: Unicode.Scalar, width: Int) {
  bytes[i] < 0x80 ? (Unicode.Scalar(bytes[i]), 1) : multiByteScalar(bytes, at: i)
}

/// An ASCII byte lowercased (A–Z to a–z; every other byte as it is).
@inline(__always)
func asciiLowercase(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

/// A class of ASCII bytes for the run scanners: a table by byte, and the same class as at most
/// four ranges of bytes, against which 16 bytes are tested at once.
struct ASCIIClass: Sendable {
  /// Whether each ASCII byte belongs.
  let table: [Bool]
  /// The ranges as (first byte, length), each repeated across a vector; unused ones are empty.
  private let starts: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)
  private let lengths: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)

  /// The ASCII scalars for which `belongs` holds; they must make at most four ranges.
  init(_ belongs: (Unicode.Scalar) -> Bool) {
    table = (0..<128).map { belongs(Unicode.Scalar(UInt8($0))) }
    var ranges: [(start: UInt8, length: UInt8)] = []
    for byte in 0..<128 where table[byte] {
      if let last = ranges.last, Int(last.start) + Int(last.length) == byte {
        ranges[ranges.count - 1].length += 1
      } else {
        ranges.append((UInt8(byte), 1))
      }
    }
    precondition(ranges.count <= 4, "an ASCII class of more than four ranges")
    ranges += Array(repeating: (0, 0), count: 4 - ranges.count)
    let vectors = ranges.map { (SIMD16(repeating: $0.start), SIMD16(repeating: $0.length)) }
    starts = (vectors[0].0, vectors[1].0, vectors[2].0, vectors[3].0)
    lengths = (vectors[0].1, vectors[1].1, vectors[2].1, vectors[3].1)
  }

  /// Bit k set when byte k of the 64 at `p` belongs; nil when any is not ASCII. Each range
  /// test is one subtraction and one unsigned comparison per 16 bytes; the comparison's
  /// bytes (0xFF or 0) become bits by a multiplication that gathers their top bits.
  @inline(__always)
  func blockMask(_ p: UnsafeRawPointer) -> UInt64? {
    var high = SIMD16<UInt8>()
    var mask: UInt64 = 0
    for part in 0..<4 {
      let v = p.loadUnaligned(fromByteOffset: 16 * part, as: SIMD16<UInt8>.self)
      high |= v
      let inside =
        ((v &- starts.0) .< lengths.0) .| ((v &- starts.1) .< lengths.1)
        .| ((v &- starts.2) .< lengths.2) .| ((v &- starts.3) .< lengths.3)
      let halves = unsafeBitCast(inside, to: (UInt64, UInt64).self)
      mask |= Self.topBits(halves.0) << UInt64(16 * part) | Self.topBits(halves.1) << UInt64(16 * part + 8)
    }
    let highHalves = unsafeBitCast(high, to: (UInt64, UInt64).self)
    return (highHalves.0 | highHalves.1) & 0x8080_8080_8080_8080 == 0 ? mask : nil
  }

  /// ``blockMask(_:)`` of the last `count` (< 64) bytes of a text, read through a zeroed
  /// copy so that nothing past the text is read; bits from `count` on are clear.
  @inline(__always)
  func tailMask(_ p: UnsafeRawPointer, count: Int) -> UInt64? {
    var block = SIMD64<UInt8>()
    withUnsafeMutableBytes(of: &block) { $0.baseAddress!.copyMemory(from: p, byteCount: count) }
    return withUnsafeBytes(of: &block) { blockMask($0.baseAddress!) }.map {
      $0 & ~(UInt64.max << UInt64(count))
    }
  }

  /// The top bit of each of the eight bytes of `x`, as bits 0 to 7.
  @inline(__always)
  private static func topBits(_ x: UInt64) -> UInt64 {
    ((x & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56
  }
}

/// Calls `body` with each maximal run of scalars satisfying `belongs` in `bytes` (valid
/// UTF-8): its byte range, its scalar range, and whether it is all ASCII. `ascii` must be
/// `belongs` on ASCII bytes.
///
/// ASCII text goes 64 bytes at a time: a bit mask of the bytes inside runs, whose changes
/// (mask XOR mask shifted by one) are the runs' edges, so the loop branches once per run,
/// not once per byte (a text's last, shorter block too, through a padded copy). A block
/// holding any other byte goes scalar by scalar.
@inline(__always)
func forEachRun(
  in bytes: UnsafeBufferPointer<UInt8>, ascii: ASCIIClass,
  where belongs: (Unicode.Scalar) -> Bool,
  _ body: (_ bytes: Range<Int>, _ scalars: Range<Int>, _ onlyASCII: Bool) -> Void
) {
  guard let base = bytes.baseAddress else { return }
  let n = bytes.count
  var i = 0
  var start = -1  // the open run's first byte, or −1
  var startScalar = 0
  var onlyASCII = true
  var continuations = 0  // UTF-8 continuation bytes before byte i: its scalar offset is i − continuations
  @inline(__always) func open(_ at: Int) {
    (start, startScalar, onlyASCII) = (at, at - continuations, true)
  }
  @inline(__always) func close(_ at: Int) {
    body(start..<at, startScalar..<(at - continuations), onlyASCII)
    start = -1
  }
  while i < n {
    if let inside = i + 64 <= n ? ascii.blockMask(base + i) : ascii.tailMask(base + i, count: n - i) {
      var edges = inside ^ (inside << 1 | (start >= 0 ? 1 : 0))
      while edges != 0 {
        let at = i + edges.trailingZeroBitCount
        if start < 0 { open(at) } else { close(at) }
        edges &= edges &- 1
      }
      i += 64
      continue
    }
    let stop = min(n, i + 64)
    while i < stop {
      let lead = bytes[i]
      var width = 1
      let isInside: Bool
      if lead < 0x80 {
        isInside = ascii.table[Int(lead)]
      } else {
        let decoded = multiByteScalar(bytes, at: i)
        (isInside, width) = (belongs(decoded.scalar), decoded.width)
      }
      if isInside {
        if start < 0 { open(i) }
        if width > 1 { onlyASCII = false }
      } else if start >= 0 {
        close(i)
      }
      continuations += width - 1
      i += width
    }
  }
  if start >= 0 { close(n) }
}

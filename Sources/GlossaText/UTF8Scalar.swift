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

/// Calls `body` with each maximal run of scalars satisfying `belongs` in `bytes` (valid
/// UTF-8): its byte range, its scalar range, and whether it is all ASCII. `ascii[b]` must be
/// `belongs` of ASCII byte b.
///
/// ASCII text goes 64 bytes at a time: a bit mask of the bytes inside runs, whose changes
/// (mask XOR mask shifted by one) are the runs' edges, so the loop branches once per run,
/// not once per byte. A block holding any other byte goes scalar by scalar.
@inline(__always)
func forEachRun(
  in bytes: UnsafeBufferPointer<UInt8>, ascii: UnsafeBufferPointer<Bool>,
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
    if i + 64 <= n, let inside = asciiBlockMask(base + i, ascii) {
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
        isInside = ascii[Int(lead)]
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

/// Bit k set when byte k of the 64 at `p` is inside a run; nil when any is not ASCII.
@inline(__always)
private func asciiBlockMask(_ p: UnsafePointer<UInt8>, _ ascii: UnsafeBufferPointer<Bool>) -> UInt64? {
  let raw = UnsafeRawPointer(p)
  var high: UInt64 = 0
  for k in 0..<8 { high |= raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self) }
  guard high & 0x8080_8080_8080_8080 == 0 else { return nil }
  var mask: UInt64 = 0
  // Without a branch per byte: a Bool is stored as 0 or 1.
  for k in 0..<64 { mask |= UInt64(unsafeBitCast(ascii[Int(p[k])], to: UInt8.self)) << UInt64(k) }
  return mask
}

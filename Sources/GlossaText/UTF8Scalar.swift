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

/// Whether the scalar starting at `bytes[i]` satisfies `belongs`, and its width in bytes:
/// ASCII through the caller's table (`ascii[b]` is `belongs` of byte b), other scalars decoded.
@inline(__always)
func scalarBelongs(
  _ bytes: UnsafeBufferPointer<UInt8>, at i: Int, ascii: [Bool], _ belongs: (Unicode.Scalar) -> Bool
) -> (belongs: Bool, width: Int) {
  let lead = bytes[i]
  if lead < 0x80 { return (ascii[Int(lead)], 1) }
  let decoded = multiByteScalar(bytes, at: i)
  return (belongs(decoded.scalar), decoded.width)
}

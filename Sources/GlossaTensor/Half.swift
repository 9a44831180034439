/// IEEE 754 half precision (F16) and bfloat16 (BF16) conversions, written out so they
/// work on every platform (Swift's `Float16` is missing on Intel Macs).
enum HalfPrecision {
  /// The `Float` value of an F16 bit pattern.
  static func float(fromHalf bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = Int(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
      // Zero or subnormal: mantissa · 2^−24.
      let magnitude = Float(mantissa) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    case 0x1F:
      return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    default:
      return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
    }
  }

  /// The nearest F16 bit pattern (round to nearest even), with overflow to infinity.
  static func half(from value: Float) -> UInt16 {
    let bits = value.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    let magnitude = abs(value)
    if magnitude.isNaN { return sign | 0x7E00 }
    if magnitude >= 65520 { return sign | 0x7C00 }
    if magnitude < 0x1p-14 {
      // Subnormal half: round magnitude / 2^−24 to the nearest integer, ties to even.
      return sign | UInt16(Int((magnitude * 0x1p24).rounded(.toNearestOrEven)))
    }
    let exponent = Int((bits >> 23) & 0xFF) - 112
    let mantissa = (bits & 0x7F_FFFF) >> 13
    let rest = bits & 0x1FFF
    var result = UInt32(exponent) << 10 | mantissa
    if rest > 0x1000 || (rest == 0x1000 && mantissa & 1 == 1) {
      result += 1  // may carry into the exponent, which is still the correct rounding
    }
    return sign | UInt16(result)
  }

  /// The nearest BF16 bit pattern (the top half of a float, rounded to nearest even).
  static func bfloat(from value: Float) -> UInt16 {
    if value.isNaN { return 0x7FC0 }
    let bits = value.bitPattern
    return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
  }

  /// The `Float` value of a BF16 bit pattern (the top half of a float).
  static func float(fromBFloat bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}

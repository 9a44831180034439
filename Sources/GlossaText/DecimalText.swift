extension Array where Element == UInt8 {
  /// Appends `value` in decimal ASCII, without making a `String` (the command line and the
  /// Matrix Market writer print millions of them).
  public mutating func appendDecimal(_ value: Int) {
    if value < 0 { append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
    Swift.withUnsafeMutableBytes(of: &digits) { raw in
      var start = raw.count
      repeat {
        start -= 1
        raw[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
      } while magnitude > 0
      append(contentsOf: raw[start...])
    }
  }

  /// Appends `value` in the shortest decimal form that reads back as the same `Double`
  /// (Swift's `description`: `0.1`, `1e-05`, `nan`).
  public mutating func appendDecimal(_ value: Double) {
    var text = value.description  // at most 24 bytes: kept inside the String, no allocation
    text.withUTF8 { append(contentsOf: $0) }
  }
}

import GlossaText
import Testing

/// Numbers written as decimal ASCII straight into byte buffers.
@Suite struct DecimalTextTests {
  @Test func integersReadAsSwiftPrintsThem() {
    var values = [0, 7, -7, 9, 10, 99, 100, -100, 123_456_789, Int.max, Int.min]
    var state: UInt64 = 3
    for _ in 0..<1000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      values.append(Int(bitPattern: UInt(state)) >> Int(state % 60))
    }
    for value in values {
      var bytes: [UInt8] = [UInt8(ascii: "x")]
      bytes.appendDecimal(value)
      #expect(bytes == Array("x\(value)".utf8))
    }
  }

  /// Each double reads back bit for bit, subnormals, extremes and non-finite values included.
  @Test func doublesReadBackBitForBit() {
    var values: [Double] = [
      0, -0.0, 0.1, 1.0 / 3, -2.5, 1e-5, 1e22, .leastNonzeroMagnitude, .leastNormalMagnitude,
      .greatestFiniteMagnitude, .infinity, -.infinity,
    ]
    var state: UInt64 = 11
    for _ in 0..<10_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let value = Double(bitPattern: state)
      if value.isFinite { values.append(value) }
    }
    for value in values {
      var bytes: [UInt8] = []
      bytes.appendDecimal(value)
      let text = String(decoding: bytes, as: UTF8.self)
      #expect(Double(text)?.bitPattern == value.bitPattern, "\(text)")
    }
    var nan: [UInt8] = []
    nan.appendDecimal(Double.nan)
    #expect(String(decoding: nan, as: UTF8.self) == "nan")
  }
}

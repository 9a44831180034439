import Testing

@testable import GlossaText

/// The byte-keyed table behind the term table and the tokenizer's memo.
@Suite struct ByteKeyTableTests {
  @Test func findsEveryKeyAndKeepsStoredBytesInPlace() {
    var table = ByteKeyTable()
    // Keys of every length from 0 to 40 (the hash takes 8 bytes at a time), many of them.
    let keys = (0..<20_000).map { i in
      Array("k\(i)-".utf8) + Array(repeating: UInt8(65 + i % 26), count: i % 41)
    }
    var stored: [UnsafePointer<UInt8>] = []
    for (i, key) in keys.enumerated() {
      key.withUnsafeBufferPointer { key in
        let position = table.locate(key)
        #expect(!position.found)
        stored.append(table.insert(key, value: UInt64(i) * 3, at: position))
      }
    }
    #expect(table.count == keys.count)
    for (i, key) in keys.enumerated() {
      key.withUnsafeBufferPointer { key in #expect(table.value(of: key) == UInt64(i) * 3) }
      // The copy made on insertion has not moved through all the growing since.
      #expect(Array(UnsafeBufferPointer(start: stored[i], count: key.count)) == key)
    }
    let empty: [UInt8] = []
    empty.withUnsafeBufferPointer { #expect(table.value(of: $0) == nil) }
    Array("absent".utf8).withUnsafeBufferPointer { #expect(table.value(of: $0) == nil) }
  }
}

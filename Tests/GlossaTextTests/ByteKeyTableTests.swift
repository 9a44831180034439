import Testing

@testable import GlossaText

/// The byte-keyed table behind the term table and the tokenizer's memo.
@Suite struct ByteKeyTableTests {
  @Test func findsEveryKeyAndKeepsStoredBytesInPlace() {
    var table = ByteKeyTable()
    // Keys of every length from 0 to 40 (the hash takes 8 bytes at a time), many of them.
    // Then keys that share their first eight bytes (kept in the entry), or differ only by
    // trailing zero bytes, which the entry's zero-padded copy of them does not show.
    let keys =
      (0..<20_000).map { i in
        Array("k\(i)-".utf8) + Array(repeating: UInt8(65 + i % 26), count: i % 41)
      } + ["abcdefgh", "abcdefghX", "abcdefghY", "abcdefghXY", "a", "ab"].map { Array($0.utf8) }
      + [[0], [0, 0], [97, 0], [97, 98, 0]]
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

/// The tokenizer's memo of pieces: a text's tokens are read from it at the end of the text,
/// so it may only start again between texts.
@Suite struct PieceMemoTests {
  /// The pieces of each round of texts.
  static func words(round: Int) -> [String] {
    (0..<10).map { "r\(round)-\(String(repeating: "x", count: $0))" }
  }

  @Test func aFullMemoStartsAgainOnlyBetweenTexts() {
    // Each piece is one token whose id is its length. The vocabulary names the first round's
    // tokens by their ids, so the first text's tokens come from it, the others' from the memo.
    let vocabulary = Dictionary(uniqueKeysWithValues: Self.words(round: 0).map { ($0, $0.utf8.count) })
    var memo = PieceMemo(
      names: TokenNames(WordLevelModel(vocabulary: vocabulary, unknownToken: "?")), capacity: 4)
    let encode: ([Unicode.Scalar]) -> [ModelToken] = { scalars in
      [
        ModelToken(
          id: scalars.count, text: String(String.UnicodeScalarView(scalars)), range: 0..<scalars.count)
      ]
    }
    for round in 0..<3 {
      memo.startText()
      // Ten distinct pieces in one text (and again in the next round): more than the memo holds.
      let words = Self.words(round: round)
      var start = 0
      var offsets: [Range<Int>] = []
      for word in words {
        var word = word
        let entry = word.withUTF8 { memo.tokens(ofUTF8: $0, specialIDs: [], encode) }
        memo.appendSpans(entry, at: start)
        offsets.append(start..<(start + word.utf8.count))
        start += word.utf8.count + 1
      }
      let encoding = memo.spansEncoding()
      #expect(encoding.tokens == words)
      #expect(encoding.ids == words.map(\.count))
      #expect(encoding.offsets == offsets)
      #expect(encoding.byteOffsets == offsets)
    }
  }
}

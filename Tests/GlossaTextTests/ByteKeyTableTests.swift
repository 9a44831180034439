import Dispatch
import Synchronization
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
        stored.append(table.insert(key, value: UInt64(i) * 3, at: position)!)
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

/// A table of fixed capacity takes that many keys, then refuses more, and never moves an
/// entry, so that readers on other threads can look keys up while one thread inserts.
@Suite struct FixedByteKeyTableTests {
  @Test func takesItsCapacityThenRefuses() {
    var table = ByteKeyTable(capacity: 100)
    for i in 0..<120 {
      Array("key \(i)".utf8).withUnsafeBufferPointer { key in
        let inserted = table.insert(key, value: UInt64(i), at: table.locate(key))
        #expect((inserted != nil) == (i < 100))
      }
    }
    #expect(table.count == 100 && table.isFull)
    for i in 0..<120 {
      Array("key \(i)".utf8).withUnsafeBufferPointer {
        #expect(table.value(of: $0) == (i < 100 ? UInt64(i) : nil))
      }
    }
  }
}

/// The tokenizer's memo of pieces, shared by the threads that encode.
@Suite struct PieceMemoTests {
  /// The pieces of each round of texts.
  static func words(round: Int) -> [String] {
    (0..<10).map { "r\(round)-\(String(repeating: "x", count: $0))" }
  }

  /// Encodes `pieces` as one text (pieces one space apart) with `builder`.
  static func encode(
    _ pieces: [String], _ builder: inout EncodingBuilder, _ encode: ([Unicode.Scalar]) -> [ModelToken]
  ) -> Encoding {
    builder.startText()
    var start = 0
    for piece in pieces {
      var piece = piece
      piece.withUTF8 { builder.append(utf8: $0, at: start, encode) }
      start += piece.utf8.count + 1
    }
    return builder.encoding()
  }

  @Test func aFullMemoAddsNoMoreAndStillEncodes() {
    // Each piece is one token whose id is its length. The vocabulary names the first round's
    // tokens by their ids; the others keep their own text.
    let vocabulary = Dictionary(uniqueKeysWithValues: Self.words(round: 0).map { ($0, $0.utf8.count) })
    let memo = PieceMemo(
      names: TokenNames(WordLevelModel(vocabulary: vocabulary, unknownToken: "?")), capacity: 4)
    var builder = EncodingBuilder(memo: memo)
    var calls = 0
    let encode: ([Unicode.Scalar]) -> [ModelToken] = { scalars in
      calls += 1
      return [ModelToken(id: scalars.count, text: string(scalars[...]), range: 0..<scalars.count)]
    }
    // The first text fills the memo with its first four pieces; the second finds those; the
    // third's pieces are all new and none is kept.
    for (round, expectedCalls) in [(0, 10), (0, 6), (1, 10)] {
      calls = 0
      let words = Self.words(round: round)
      let encoding = Self.encode(words, &builder, encode)
      #expect(calls == expectedCalls)
      #expect(encoding.tokens == words)
      #expect(encoding.ids == words.map(\.utf8.count))
      var start = 0
      let offsets = words.map { word in
        defer { start += word.utf8.count + 1 }
        return start..<(start + word.utf8.count)
      }
      #expect(encoding.offsets == offsets && encoding.byteOffsets == offsets)
    }
  }

  /// Pieces of 1,000 tokens each: a piece's tokens lie in one chunk of 4,096, so the fifth
  /// starts the second chunk, and the ninth finds no room in a memo of two chunks.
  @Test func tokensStayInOneChunkAndOverflowIsKeptByTheBuilder() {
    let memo = PieceMemo(
      names: TokenNames(WordLevelModel(vocabulary: [:], unknownToken: "?")), capacity: 100,
      tokenCapacity: 8192)
    var builder = EncodingBuilder(memo: memo)
    let encode: ([Unicode.Scalar]) -> [ModelToken] = { scalars in
      let n = Int(string(scalars[...]).dropFirst())!
      return (0..<1000).map { ModelToken(id: n * 1000 + $0, text: "t\(n)-\($0)", range: 0..<scalars.count) }
    }
    for _ in 0..<2 {
      let pieces = (0..<10).map { "p\($0)" }
      let encoding = Self.encode(pieces, &builder, encode)
      #expect(encoding.ids == Array(0..<10_000))
      #expect(encoding.tokens == (0..<10).flatMap { n in (0..<1000).map { "t\(n)-\($0)" } })
    }
  }

  /// Threads encode overlapping pieces at once through one memo that fills up on the way.
  @Test func threadsShareOneMemo() {
    let memo = PieceMemo(names: TokenNames(WordLevelModel(vocabulary: [:], unknownToken: "?")), capacity: 64)
    let encode: @Sendable ([Unicode.Scalar]) -> [ModelToken] = { scalars in
      let text = string(scalars[...])
      return [
        ModelToken(id: text.count, text: text, range: 0..<1), ModelToken(id: 7, text: "&", range: 1..<2),
      ]
    }
    let failures = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: 8) { thread in
      var builder = EncodingBuilder(memo: memo)
      for text in 0..<50 {
        let pieces = (0..<20).map { "w\((thread * 7 + text * 3 + $0 * 11) % 150)" }
        let encoding = Self.encode(pieces, &builder, encode)
        if encoding.tokens != pieces.flatMap({ [$0, "&"] })
          || encoding.ids != pieces.flatMap({ [$0.count, 7] })
        {
          failures.withLock { $0 += 1 }
        }
      }
    }
    #expect(failures.withLock { $0 } == 0)
  }
}

import Testing

@testable import GlossaText

/// The byte scanner behind corpus reading and the vectorizers' fast path: the same words as
/// the lecture's `\b\w+\b` tokenizer, lowercased with full Unicode case mapping when asked.
@Suite struct WordScannerTests {
  func words(_ text: String, _ scanner: WordScanner) -> [String] {
    var text = text
    var found: [String] = []
    text.withUTF8 { bytes in scanner.scan(bytes) { found.append(String(decoding: $0, as: UTF8.self)) } }
    return found
  }

  @Test func findsTheRegexTokenizersWords() {
    let text = "Hello, world! Pokémon ÉCOLE naïve_x 42 — 東京 done."
    #expect(words(text, WordScanner()) == RegexWordTokenizer().words(text))
  }

  /// ASCII words are lowercased in a 64-byte vector, longer ones byte by byte: every length
  /// from 1 to 130, every ASCII word character, against `String.lowercased()`.
  @Test func lowercasesASCIIWordsOfAnyLength() {
    let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@[`{")
      .filter { RegexWordTokenizer.isWordCharacter($0.unicodeScalars.first!) }
    for length in 1...130 {
      let word = String((0..<length).map { characters[($0 * 7 + length) % characters.count] })
      let text = "Hi \(word), BYE"
      #expect(words(text, WordScanner(lowercase: true)) == ["hi", word.lowercased(), "bye"])
    }
  }

  @Test func lowercasesASCIIAndOtherScalars() {
    #expect(
      words("The ÉCOLE and İstanbul", WordScanner(lowercase: true)) == ["the", "école", "and", "i̇stanbul"])
  }

  @Test func skipsWordsShorterThanTheMinimum() {
    #expect(words("a an the é éa", WordScanner(minimumLength: 2)) == ["an", "the", "éa"])
  }
}

/// The run finder reads ASCII 64 bytes at a time through bit masks; these tests hold it to
/// the plain scalar-by-scalar definition on random texts long enough to cross many blocks,
/// with runs that straddle block edges and blocks that hold other scalars.
@Suite struct BlockRunTests {
  /// Runs of `belongs`, one scalar at a time, with scalar offsets.
  func plainRuns(_ text: String, _ belongs: (Unicode.Scalar) -> Bool) -> [Token] {
    var tokens: [Token] = []
    var current = ""
    var start = 0
    for (offset, scalar) in text.unicodeScalars.enumerated() {
      if belongs(scalar) {
        if current.isEmpty { start = offset }
        current.unicodeScalars.append(scalar)
      } else if !current.isEmpty {
        tokens.append(Token(current, start: start, end: offset))
        current = ""
      }
    }
    if !current.isEmpty { tokens.append(Token(current, start: start, end: text.unicodeScalars.count)) }
    return tokens
  }

  /// Texts of up to 400 scalars drawn mostly from ASCII, some from other scripts.
  func randomTexts(_ count: Int) -> [String] {
    let ascii = Array("abcXYZ019_ ,.!-'\n\t".unicodeScalars)
    let other = Array("éÉ東京😀\u{301}\u{A0}—".unicodeScalars)
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
    return (0..<count).map { _ in
      var text = String.UnicodeScalarView()
      let length = next(400)
      let otherShare = next(4)  // 0: pure ASCII; else about one in 10, 20 or 30
      for _ in 0..<length {
        let useOther = otherShare > 0 && next(10 * otherShare) == 0
        text.append(useOther ? other[next(other.count)] : ascii[next(ascii.count)])
      }
      return String(text)
    }
  }

  @Test func regexRunsEqualThePlainDefinition() {
    for text in randomTexts(500) {
      let expected = plainRuns(text, RegexWordTokenizer.isWordCharacter)
      #expect(RegexWordTokenizer().tokenize(text) == expected)
      #expect(RegexWordTokenizer().words(text) == expected.map(\.text))
    }
  }

  /// A text with more runs than are kept in a temporary buffer is scanned twice instead.
  @Test func longTextsGiveThePlainRunsToo() {
    let text = randomTexts(400).joined(separator: " ")
    #expect(text.utf8.count / 2 > bufferedRunsLimit)
    let words = plainRuns(text, RegexWordTokenizer.isWordCharacter)
    #expect(RegexWordTokenizer().tokenize(text) == words)
    #expect(RegexWordTokenizer().words(text) == words.map(\.text))
    let pieces = plainRuns(text) { !$0.properties.isWhitespace }
    #expect(WhitespaceTokenizer().tokenize(text) == pieces)
    #expect(WhitespaceTokenizer().words(text) == pieces.map(\.text))
  }

  @Test func whitespaceRunsEqualThePlainDefinition() {
    for text in randomTexts(500) {
      let expected = plainRuns(text) { !$0.properties.isWhitespace }
      #expect(WhitespaceTokenizer().tokenize(text) == expected)
      #expect(WhitespaceTokenizer().words(text) == expected.map(\.text))
    }
  }

  @Test func scannerMinimumLengthCountsScalarsNotBytes() {
    let scanner = WordScanner(minimumLength: 2)
    for text in randomTexts(200) {
      var found: [String] = []
      var copy = text
      copy.withUTF8 { bytes in scanner.scan(bytes) { found.append(String(decoding: $0, as: UTF8.self)) } }
      let expected = plainRuns(text, RegexWordTokenizer.isWordCharacter).map(\.text)
        .filter { $0.unicodeScalars.count >= 2 }
      #expect(found == expected)
    }
  }
}

/// A class of ASCII bytes tests 16 bytes at a time against its ranges; its block masks must be
/// its table, byte by byte.
@Suite struct ASCIIClassTests {
  @Test func blockMasksAreTheTable() {
    let classes = [
      ASCIIClass(RegexWordTokenizer.isWordCharacter), ASCIIClass { !$0.properties.isWhitespace },
      ASCIIClass { $0 == "a" || $0 == "\u{7F}" || $0 == "\u{0}" },
    ]
    var state: UInt64 = 7
    for ascii in classes {
      for trial in 0..<500 {
        let block = (0..<64).map { _ -> UInt8 in
          state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
          return UInt8(truncatingIfNeeded: state >> 57)  // 0...127
        }
        let expected = block.enumerated().reduce(UInt64(0)) {
          $0 | (ascii.table[Int($1.1)] ? 1 << UInt64($1.0) : 0)
        }
        #expect(block.withUnsafeBytes { ascii.blockMask($0.baseAddress!) } == expected)
        // Any byte of 0x80 or more makes the block not ASCII.
        var mixed = block
        mixed[trial % 64] |= 0x80
        #expect(mixed.withUnsafeBytes { ascii.blockMask($0.baseAddress!) } == nil)
        // A text's last 1 to 63 bytes: the same bits for them, none past them (the class
        // holding byte 0 shows that the padding is not counted), and nil for a non-ASCII one.
        let count = trial % 63 + 1
        var tail = Array(block[..<count])
        let tailExpected = expected & ~(UInt64.max << UInt64(count))
        #expect(tail.withUnsafeBytes { ascii.tailMask($0.baseAddress!, count: count) } == tailExpected)
        tail[trial % count] |= 0x80
        #expect(tail.withUnsafeBytes { ascii.tailMask($0.baseAddress!, count: count) } == nil)
      }
    }
  }
}

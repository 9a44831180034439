import GlossaText
import Testing

/// Normalizers keep every scalar's origin in the original text.
@Suite struct NormalizerTests {
  /// A regular expression's matches are replaced by the content as written (HuggingFace's
  /// `$1` is not a group); each new scalar stands for a scalar of its match.
  @Test func aRegularExpressionReplacesWithTheContentAsWritten() throws {
    var text = NormalizedText("a  b\t\tc")
    try Replace(regularExpression: #"\s+"#, with: " ").normalize(&text)
    #expect(text.text == "a b c")
    #expect(text.originalRange(of: 1..<2) == 1..<2 && text.originalRange(of: 3..<4) == 4..<5)
    var han = NormalizedText("東京")
    try Replace(regularExpression: #"(\p{Han})"#, with: "$1").normalize(&han)
    #expect(han.text == "$1$1" && han.originalRange(of: 2..<4) == 1..<2)
    let decoder = try ReplaceDecoder(regularExpression: "▁+", with: "$0 ")
    #expect(decoder.decode(["▁▁a", "b▁"]) == "$0 ab$0 ")
    #expect(throws: (any Error).self) { try Replace(regularExpression: "(", with: "") }
  }

  @Test func unicodeFormsComposeAndDecompose() {
    var composed = NormalizedText("Cafe\u{301} ﬁ")
    UnicodeNormalization(.nfc).normalize(&composed)
    #expect(composed.text == "Café ﬁ")
    #expect(composed.originalRange(of: 3..<4) == 3..<4)  // é stands for the e it started from
    var compatible = NormalizedText("é ﬁ")
    UnicodeNormalization(.nfkd).normalize(&compatible)
    #expect(compatible.text == "e\u{301} fi")
    #expect(compatible.originalRange(of: 3..<5) == 2..<3)  // both letters of "fi" come from "ﬁ"
    var decomposed = NormalizedText("é")
    UnicodeNormalization(.nfd).normalize(&decomposed)
    #expect(decomposed.scalars.count == 2)
  }

  @Test func collapsingWhitespaceKeepsOrigins() {
    var text = NormalizedText("  a \t\n b  ")
    CollapseWhitespace().normalize(&text)
    #expect(text.text == "a b")
    #expect(text.originalRange(of: 0..<3) == 2..<8)  // from "a" (2) to "b" (7)
  }

  @Test func lowercaseAndAccentsAndSequences() {
    var text = NormalizedText("ÀB")
    NormalizerSequence([StripAccents(), Lowercase()]).normalize(&text)
    #expect(text.text == "ab")
    #expect(text.originalRange(of: 1..<2) == 1..<2)
  }

  @Test func vocabularyGrowsByAdding() {
    var vocabulary = Vocabulary(["a"], unknownToken: "<unk>")
    #expect(vocabulary.add("b") == 2)
    #expect(vocabulary.add("a") == 0)  // already there: same id
    #expect(vocabulary.encode(["b", "zzz"]) == [2, 1])
  }
}

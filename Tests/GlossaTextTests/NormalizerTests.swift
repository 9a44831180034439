import Foundation
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

  /// HuggingFace's own case of its `transform`: "™" expanded to "TM", then the record
  /// separator removed by the change −1 on the "M" before it, which so takes the place (and the
  /// origin) of the removed scalar.
  @Test func sentencepieceReplacementsAlignAsHuggingFaceTransforms() throws {
    let normalizer = try PrecompiledNormalizer(
      charsmap: Array(try #require(Data(base64Encoded: Self.twoRules))))
    #expect(normalizer.replacement(of: Array("™".utf8)) == "TM")
    #expect(normalizer.replacement(of: Array("\u{1E}".utf8)) == "")
    #expect(normalizer.replacement(of: Array("g".utf8)) == nil)
    var text = NormalizedText("™\u{1E}g")
    normalizer.normalize(&text)
    #expect(text.text == "TMg")
    #expect(text.origins == [0..<1, 1..<2, 2..<3])
    var expanded = NormalizedText("a™")
    normalizer.normalize(&expanded)
    #expect(expanded.text == "aTM" && expanded.origins == [0..<1, 1..<2, 1..<2])
    // A removal with nothing before it shifts the origins, as in HuggingFace (its offsets for
    // "\u{1E}ab" are (0, 1) and (1, 2)).
    var removed = NormalizedText("\u{1E}ab")
    normalizer.normalize(&removed)
    #expect(removed.text == "ab" && removed.origins == [0..<1, 1..<2])
  }

  /// A sentencepiece charsmap of two rules, "™" → "TM" and U+001E → "" (its builder's trie of
  /// 1024 bytes, then "\0TM\0"), as `normalization_rule_tsv` makes it.
  static let twoRules = """
    AAQAAAB8AAAeDQAAAAAAgISUAgCiBQAAAQAAgAcAAAAGAAAACQAAAAgAAAALAAAACgAAAA0AAAAMAAAADwAAAA4AAAARAAAAEAAA
    ABMAAAASAAAAFQAAABQAAAAXAAAAFgAAABkAAAAYAAAAGwAAABoAAAAdAAAAHAAAAB8AAAAeAAAAIQAAACAAAAAjAAAAIgAAACUA
    AAAkAAAAJwAAACYAAAApAAAAKAAAACsAAAAqAAAALQAAACwAAAAvAAAALgAAADEAAAAwAAAAMwAAADIAAAA1AAAANAAAADcAAAA2
    AAAAOQAAADgAAAA7AAAAOgAAAD0AAAA8AAAAPwAAAD4AAABBAAAAQAAAAEMAAABCAAAARQAAAEQAAABHAAAARgAAAEkAAABIAAAA
    SwAAAEoAAABNAAAATAAAAE8AAABOAAAAUQAAAFAAAABTAAAAUgAAAFUAAABUAAAAVwAAAFYAAABZAAAAWAAAAFsAAABaAAAAXQAA
    AFwAAABfAAAAXgAAAGEAAABgAAAAYwAAAGIAAABlAAAAZAAAAGcAAABmAAAAaQAAAGgAAABrAAAAagAAAG0AAABsAAAAbwAAAG4A
    AABxAAAAcAAAAHMAAAByAAAAdQAAAHQAAAB3AAAAdgAAAHkAAAB4AAAAewAAAHoAAAB9AAAAfAAAAH8AAAB+AAAAgQAAAIAAAACD
    AAAAggAAAIUAAACEAAAAhwAAAIYAAACJAAAAiAAAAIsAAACKAAAAjQAAAIwAAACPAAAAjgAAAJEAAACQAAAAkwAAAJIAAACVAAAA
    lAAAAJcAAACWAAAAmQAAAJgAAACbAAAAmgAAAJ0AAACcAAAAnwAAAJ4AAAChAAAAoAAAAKMAAACiAAAApQAAAKQAAACnAAAApgAA
    AKkAAACoAAAAqwAAAKoAAACtAAAArAAAAK8AAACuAAAAsQAAALAAAACzAAAAsgAAALUAAAC0AAAAtwAAALYAAAC5AAAAuAAAALsA
    AAC6AAAAvQAAALwAAAC/AAAAvgAAAMEAAADAAAAAwwAAAMIAAADFAAAAxAAAAMcAAADGAAAAyQAAAMgAAADLAAAAygAAAM0AAADM
    AAAAzwAAAM4AAADRAAAA0AAAANMAAADSAAAA1QAAANQAAADXAAAA1gAAANkAAADYAAAA2wAAANoAAADdAAAA3AAAAN8AAADeAAAA
    4QAAAOAAAADjAAAA4gAAAOUAAADkAAAA5wAAAOYAAADpAAAA6AAAAOsAAADqAAAA7QAAAOwAAADvAAAA7gAAAPEAAADwAAAA8wAA
    APIAAAD1AAAA9AAAAPcAAAD2AAAA+QAAAPgAAAD7AAAA+gAAAP0AAADi6AEA/wAAAP4AAAAAVE0A
    """.replacingOccurrences(of: "\n", with: "")

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

import Foundation
import Testing

@testable import GlossaText

/// The shortcuts for text a normalizer leaves alone, held to the plain definitions: a
/// normalizer that says it leaves an ASCII text unchanged does leave it unchanged (and says
/// so for texts it does leave), a one-character run pattern matches what ICU matches, and
/// Metaspace's cuts with a piece prepared alone give what its split gives.
@Suite struct UnchangedTextTests {
  var random = TestRandom(seed: 7)
  mutating func next(_ n: Int) -> Int { random.next(n) }

  /// ASCII texts over an alphabet with capitals, spaces of each kind, control characters and
  /// the characters the patterns below repeat.
  mutating func asciiTexts(_ count: Int, from alphabet: [Character]) -> [String] {
    (0..<count).map { _ in String((0..<next(14)).map { _ in alphabet[next(alphabet.count)] }) }
  }

  static let alphabet = Array("ab Az  \t\r\n\u{1E}\u{7F}--..x")

  /// Normalizers of every kind that can tell, some of each setting.
  static func normalizers() throws -> [any Normalizer] {
    let sentencepiece = try PrecompiledNormalizer(
      charsmap: Array(try #require(Data(base64Encoded: NormalizerTests.twoRules))))
    return [
      Lowercase(), UnicodeNormalization(.nfkc), StripAccents(), BertNormalizer(),
      BertNormalizer(cleanText: false, lowercase: false), BertNormalizer(cleanText: true, lowercase: false),
      Prepend("▁"), Replace(" ", with: "▁"), Replace("--", with: "-"), Replace("é", with: "e"),
      try Replace(regularExpression: " {2,}", with: " "), try Replace(regularExpression: #"\.+"#, with: "…"),
      Strip(), Strip(left: false, right: true), ByteLevelNormalizer(), sentencepiece,
      NormalizerSequence([sentencepiece, try Replace(regularExpression: " {2,}", with: " ")]),
    ]
  }

  @Test mutating func aTextSaidToBeLeftIsLeft() throws {
    for normalizer in try Self.normalizers() {
      var left = 0
      for text in asciiTexts(400, from: Self.alphabet) + ["", "ab", "a  b", "a.b"] {
        let unchanged = Array(text.utf8).withUnsafeBufferPointer { normalizer.leavesUnchanged(ascii: $0) }
        guard unchanged else { continue }
        left += 1
        var normalized = NormalizedText(text)
        normalizer.normalize(&normalized)
        #expect(normalized == NormalizedText(text), "\(normalizer) changed \(text.debugDescription)")
      }
      // Each leaves some texts: the shortcut is taken, not just never wrong.
      #expect(left > 0, "\(normalizer) never leaves a text")
    }
  }

  func bytesOf(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    Array(text.utf8).withUnsafeBufferPointer(body)
  }

  @Test mutating func aRunOfOneCharacterMatchesAsICUMatches() throws {
    for pattern in [" {2,}", "a+", #"\.{2,3}"#, "x{3}", "-", "▁+", "é{1,2}", #"\+{2}"#] {
      let regex = try ScalarRegex(pattern)
      #expect(regex.run != nil, "\(pattern)")
      for text in asciiTexts(300, from: Array("aa x..-++ éé▁▁xxxxxxx")) {
        let scalars = Array(text.unicodeScalars)
        #expect(regex.matches(in: scalars) == regex.icuMatches(in: scalars), "\(pattern) in \(text)")
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
          bytesOf(text) {
            #expect(regex.matchesNothing(inASCII: $0) == regex.icuMatches(in: scalars).isEmpty)
          }
        }
      }
    }
    // Anything more is left to ICU: an empty match, a class, two characters, a lazy or
    // possessive quantifier, a bound that is not a number (ICU may refuse those itself).
    for pattern in ["a*", "a{0,}", #"\s+"#, "ab", "a+?", "a{2,}+", "(a)", "."] {
      #expect(try ScalarRegex(pattern).run == nil, "\(pattern)")
    }
    for pattern in ["a{,3}", "a{+2}", "a{3,2}", "a{}"] {
      #expect(ScalarRegex.Run(pattern) == nil, "\(pattern)")
    }
  }

  /// Metaspace's cuts with each piece prepared alone give what its split gives, and a text a
  /// normalizer leaves as it is (ASCII or not) is cut as without one: each tokenizer against
  /// itself without shortcuts (the general path, alignments and all).
  @Test mutating func shortcutsGiveTheGeneralPathsEncodings() throws {
    let model = UnigramModel(
      pieces: [
        ("<unk>", 0), ("▁", -2), ("▁a", -1), ("b", -2), ("a", -2), ("▁ab", -1.5), ("x", -3), ("é", -2),
      ],
      unknownID: 0)
    let texts = asciiTexts(300, from: Array("abA  x▁éÉ™")) + [" a", "a ", "▁▁ab", "", "é a"]
    let sentencepiece = try PrecompiledNormalizer(
      charsmap: Array(try #require(Data(base64Encoded: NormalizerTests.twoRules))))
    for normalizer: (any Normalizer)? in [nil, Lowercase(), sentencepiece] {
      for scheme in [MetaspacePrependScheme.always, .never] {
        for splits in [true, false] {
          let pre = Metaspace(prependScheme: scheme, splits: splits)
          #expect(pre.pieceRanges([]) == [])
          // Alone, and after WhitespaceSplit as T5's files have it.
          for pre in [pre, PreTokenizerSequence([WhitespaceSplit(), pre])] as [any PreTokenizer] {
            let fast = Tokenizer(normalizer: normalizer, preTokenizer: pre, model: model)
            var plain = fast
            plain.takesShortcuts = false
            for text in texts + texts {
              #expect(
                fast.encode(text) == plain.encode(text), "\(String(describing: normalizer)) \(pre) \(text)")
            }
          }
        }
      }
    }
    #expect(Metaspace(prependScheme: .first).pieceRanges(Array("a b".unicodeScalars)) == nil)
  }

  /// A text the normalizer changes takes the general path, whose pieces are prepared (" b" as
  /// ByteLevel writes it, "Ġb"); one it leaves is cut as it is, and may hold those very bytes
  /// (a literal "Ġb", written "Äłb" when prepared). The memo keeps the two apart.
  @Test func aPreparedPieceAndATextsOwnPieceOfTheSameBytesKeepTheirTokens() {
    func tokenizer() -> Tokenizer {
      Tokenizer(
        normalizer: UnicodeNormalization(.nfc), preTokenizer: ByteLevel(),
        model: WordLevelModel(vocabulary: ["[UNK]": 0, "Ġb": 1, "Ã©": 2], unknownToken: "[UNK]"))
    }
    let shared = tokenizer()
    var plain = tokenizer()
    plain.takesShortcuts = false
    for text in ["e\u{301} b", "Ġb", "e\u{301} b", "Ġb"] {
      #expect(shared.encode(text).ids == plain.encode(text).ids, "\(text)")
    }
    #expect(shared.encode("Ġb").ids == [0] && shared.encode("e\u{301} b").ids == [2, 1])
  }
}

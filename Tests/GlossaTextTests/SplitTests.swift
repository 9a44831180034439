import Foundation
import GlossaText
import Testing

/// The `Split` pre-tokenizer against HuggingFace's (each behaviour, inverted or not, regular
/// expressions and a string; `Digits`, `Punctuation` and `CharDelimiterSplit`), and a tokenizer built as Llama-3's files are (Split with the
/// GPT-4 pattern, ByteLevel without its own pattern, BPE with ignore_merges) against
/// HuggingFace's `encode` and `decode`: Fixtures/split_cases.json, made by make_split_cases.py.
@Suite struct SplitTests {
  struct Cases: Decodable {
    struct Llama3: Decodable { let encodings: [HuggingFaceEncoding] }
    let texts: [String]
    let llama3: Llama3
  }

  static let data = try! Data(
    contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/split_cases.json"))
  /// The fixture as JSON objects (the tokenizers and pre-tokenizers, as HuggingFace wrote them).
  var raw: [String: Any] { try! JSONSerialization.jsonObject(with: Self.data) as! [String: Any] }

  /// A tokenizer.json with this pre-tokenizer around a one-word model.
  func tokenizer(_ preTokenizer: Any) throws -> Tokenizer {
    let file: [String: Any] = [
      "model": ["type": "WordLevel", "vocab": ["x": 0], "unk_token": "x"], "pre_tokenizer": preTokenizer,
    ]
    return try Tokenizer(json: try JSONSerialization.data(withJSONObject: file), file: "split.json")
  }

  @Test func piecesAndOffsetsAreHuggingFaces() throws {
    let texts = try JSONDecoder().decode(Cases.self, from: Self.data).texts
    let splits = try #require(raw["splits"] as? [[String: Any]])
    #expect(splits.count == 48)
    for split in splits {
      let description = "\(split["pre_tokenizer"]!)"
      let file = try #require(split["pre_tokenizer"])
      let preTokenizer = try #require(try tokenizer(file).preTokenizer)
      let expected = try #require(split["pieces"] as? [[[Any]]])
      for (text, pieces) in zip(texts, expected) {
        let got = preTokenizer.split(NormalizedText(text)).map { piece -> [String] in
          let range = piece.originalRange(of: 0..<piece.scalars.count)
          return [piece.text, "\(range.lowerBound)", "\(range.upperBound)"]
        }
        let want = pieces.map { piece -> [String] in
          let span = piece[1] as! [Int]
          return [piece[0] as! String, "\(span[0])", "\(span[1])"]
        }
        #expect(got == want, "\(description): \(text.debugDescription)")
      }
    }
  }

  @Test func aLlama3LikeTokenizerEncodesAndDecodesAsHuggingFace() throws {
    let cases = try JSONDecoder().decode(Cases.self, from: Self.data)
    let llama = try #require(raw["llama3"] as? [String: Any])
    let json = try JSONSerialization.data(withJSONObject: try #require(llama["tokenizer"]))
    let tokenizer = try Tokenizer(json: json, file: "llama3.json")
    #expect((tokenizer.model as? BPEModel)?.ignoresMerges == true)
    for encoding in cases.llama3.encodings {
      #expect(encoding.decoded != nil)
      #expect(encoding.difference(tokenizer) == nil, "\(encoding.text.debugDescription)")
    }
    // The sequence's shortcut (Split's cuts, then ByteLevel's bytes for each piece) gives what
    // the general path (alignments built, forced by an empty normalizer) gives.
    var general = tokenizer
    general.normalizer = NormalizerSequence([])
    for text in cases.texts + cases.llama3.encodings.map(\.text) {
      #expect(tokenizer.encode(text) == general.encode(text), "\(text.debugDescription)")
    }
  }

  @Test func aBadSplitIsRefusedByItsPath() throws {
    for (preTokenizer, path) in [
      (
        ["type": "Split", "pattern": ["Regex": "(unclosed"], "behavior": "Isolated", "invert": false],
        "pre_tokenizer.pattern.Regex"
      ),
      (
        ["type": "Split", "pattern": ["String": "-"], "behavior": "Sideways", "invert": false],
        "pre_tokenizer.behavior"
      ),
      (
        ["type": "Split", "pattern": [:] as [String: Any], "behavior": "Isolated", "invert": false],
        "pre_tokenizer.pattern.String"
      ),
      (["type": "Split", "pattern": ["String": "-"], "behavior": "Isolated"], "pre_tokenizer.invert"),
    ] as [([String: Any], String)] {
      #expect {
        try tokenizer(preTokenizer)
      } throws: { error in
        "\(error)".hasPrefix("split.json: \(path): ")
      }
    }
  }
}

/// UnicodeScripts cuts where HuggingFace does (its own pieces of the probes, printed by HF).
@Suite struct UnicodeScriptsTests {
  @Test func kanaCountAsHanAndTheSpaceAsNoScript() {
    let script = { (s: Unicode.Scalar) in UnicodeScripts.script(of: s) }
    #expect(script("a") == script("Z") && script("a") != script("0") && script("0") == script("$"))
    #expect(script("京") == script("い") && script("い") == script("グ") && script("グ") == script("ー"))
    #expect(script(" ") == 0 && script("a") != 0 && script("\u{378}") == 0)
  }

  @Test func piecesAreHuggingFaces() {
    // HF: " abc" → ("abc", 1..<4); "ab 東京 cd" → ("ab ", 0..<3), ("東京 ", 3..<6), ("cd", 6..<8);
    // "aあ1b" → each alone; "á" (a and a combining accent) → two pieces; spaces alone → none.
    let cases: [(String, [Range<Int>])] = [
      (" abc", [1..<4]), ("ab 東京 cd", [0..<3, 3..<6, 6..<8]), ("aあ1b", [0..<1, 1..<2, 2..<3, 3..<4]),
      ("a\u{301}b", [0..<1, 1..<2, 2..<3]), ("   ", []), ("", []),
    ]
    for (text, expected) in cases {
      let pieces = UnicodeScripts().split(NormalizedText(text))
      #expect(
        pieces.map { $0.originalRange(of: 0..<$0.scalars.count) } == expected, "\(text.debugDescription)")
      #expect(UnicodeScripts().pieceRanges(Array(text.unicodeScalars)) == expected)
    }
  }
}

/// Metaspace's three prepend schemes, as HuggingFace applies them: `first` only where the text
/// starts, `never` nowhere (and its decoder then keeps the first token's space).
@Suite struct MetaspacePrependTests {
  @Test func eachSchemePrependsWhereHuggingFaceDoes() {
    func pieces(_ scheme: MetaspacePrependScheme, _ text: NormalizedText) -> [String] {
      Metaspace(prependScheme: scheme).split(text).map(\.text)
    }
    let start = NormalizedText("a b")
    // The same text as a stretch after an added token: it starts at scalar 4 of the original.
    let later = NormalizedText("a b").slice(0..<3)
    var shifted = later
    shifted.origins = later.origins.map { ($0.lowerBound + 4)..<($0.upperBound + 4) }
    #expect(pieces(.always, start) == ["▁a", "▁b"] && pieces(.always, shifted) == ["▁a", "▁b"])
    #expect(pieces(.first, start) == ["▁a", "▁b"] && pieces(.first, shifted) == ["a", "▁b"])
    #expect(pieces(.never, start) == ["a", "▁b"])
    #expect(MetaspaceDecoder(prependScheme: .never).decode(["▁a", "▁b"]) == " a b")
    #expect(MetaspaceDecoder(prependScheme: .first).decode(["▁a", "▁b"]) == "a b")
  }
}

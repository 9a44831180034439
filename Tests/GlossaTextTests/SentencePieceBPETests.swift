import Foundation
import GlossaText
import Testing

/// tokenizer.json files built as Llama-2's and Mistral's are (BPE with byte fallback and fused
/// unknown tokens, a Prepend + Replace normalizer, a Replace / ByteFallback / Fuse / Strip
/// decoder) against HuggingFace's `encode` and `decode`: Fixtures/sentencepiece_bpe_cases.json,
/// made by make_sentencepiece_bpe_cases.py.
@Suite struct SentencePieceBPETests {
  struct Case: Decodable {
    struct Expected: Decodable {
      let text: String
      let ids: [Int]
      let tokens: [String]
      let offsets: [[Int]]
      let decoded: String
    }
    let name: String
    let encodings: [Expected]
  }

  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/sentencepiece_bpe_cases.json")

  /// Each case's tokenizer, as HuggingFace wrote it, and what HuggingFace gave.
  func cases() throws -> [(Case, Data)] {
    let data = try Data(contentsOf: Self.file)
    let cases = try JSONDecoder().decode([Case].self, from: data)
    let raw = try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    return try zip(cases, raw).map {
      ($0, try JSONSerialization.data(withJSONObject: try #require($1["tokenizer"])))
    }
  }

  @Test func encodingsAndDecodingsAreHuggingFaces() throws {
    let cases = try cases()
    #expect(cases.count == 3)
    for (expected, json) in cases {
      let tokenizer = try Tokenizer(json: json, file: expected.name)
      for encoding in expected.encodings {
        let got = tokenizer.encode(encoding.text)
        let label = "\(expected.name): \(encoding.text.debugDescription)"
        #expect(got.ids == encoding.ids, "\(label)")
        #expect(got.tokens == encoding.tokens, "\(label)")
        #expect(got.offsets.map { [$0.lowerBound, $0.upperBound] } == encoding.offsets, "\(label)")
        #expect(tokenizer.decode(got.ids) == encoding.decoded, "\(label)")
      }
    }
  }

  /// The byte fallback and fused unknowns survive a tokenizer.json written by Glossa.
  @Test func aWrittenModelKeepsItsByteFallback() throws {
    for (expected, json) in try cases() {
      let model = try #require(try Tokenizer(json: json, file: expected.name).model as? BPEModel)
      let written = try TokenizerFile.data(for: model, lowercase: false)
      let reloaded = try #require(try Tokenizer(json: written, file: "written.json").model as? BPEModel)
      #expect(reloaded.byteFallback == model.byteFallback && reloaded.fusesUnknown == model.fusesUnknown)
      let text = "naïve 東京 🙂"
      #expect(reloaded.tokenize(Array(text.unicodeScalars)) == model.tokenize(Array(text.unicodeScalars)))
    }
  }

  @Test func whatCannotBeFollowedIsRefusedByItsPath() throws {
    let model: [String: Any] = [
      "type": "BPE", "vocab": ["<unk>": 0, "a": 1], "merges": [], "unk_token": "<unk>",
    ]
    for (change, path) in [
      (
        ["normalizer": ["type": "Replace", "pattern": ["Regex": "\\s+"], "content": " "]],
        "normalizer.pattern.Regex"
      ),
      (
        ["normalizer": ["type": "Replace", "pattern": ["String": ""], "content": " "]],
        "normalizer.pattern.String"
      ),
      (["decoder": ["type": "Strip", "content": "ab", "start": 1, "stop": 0]], "decoder.content"),
      (["model": model.merging(["dropout": 0.1]) { $1 }], "model.dropout"),
    ] as [([String: Any], String)] {
      let file = ["model": model].merging(change) { $1 }
      #expect {
        try Tokenizer(json: try JSONSerialization.data(withJSONObject: file), file: "t.json")
      } throws: { error in
        "\(error)".hasPrefix("t.json: \(path): ")
      }
    }
  }

  @Test func decodersChainAsHuggingFacesDo() {
    let llama = DecoderSequence([
      ReplaceDecoder("▁", with: " "), ByteFallbackDecoder(), FuseDecoder(),
      StripDecoder(" ", start: 1, stop: 0),
    ])
    #expect(llama.decode(["▁Hello", "▁w", "<0xC3>", "<0xA9>", "rld"]) == "Hello wérld")
    // Bytes that are not UTF-8 become one U+FFFD each.
    #expect(
      ByteFallbackDecoder().decodeChain(["a", "<0xC3>", "<0x28>", "b"]) == ["a", "\u{FFFD}", "\u{FFFD}", "b"])
    #expect(
      StripDecoder("x", start: 2, stop: 1).decodeChain(["xxxaxx", "x", "", "a"]) == ["xax", "", "", "a"])
  }
}

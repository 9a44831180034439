import Foundation
import GlossaText
import Testing

/// tokenizer.json files built as Llama-2's and Mistral's are (BPE with byte fallback and fused
/// unknown tokens, a Prepend + Replace normalizer, a Replace / ByteFallback / Fuse / Strip
/// decoder) against HuggingFace's `encode` and `decode`: Fixtures/sentencepiece_bpe_cases.json,
/// made by make_sentencepiece_bpe_cases.py.
@Suite struct SentencePieceBPETests {
  static let file = "sentencepiece_bpe_cases.json"

  @Test func encodingsAndDecodingsAreHuggingFaces() throws {
    let cases = try HuggingFaceCase.load(Self.file)
    #expect(cases.count == 3)
    for expected in cases {
      #expect(expected.encodings.allSatisfy { $0.decoded != nil })
      try expected.expectEncodingsAreHuggingFaces()
    }
  }

  /// The byte fallback and fused unknowns survive a tokenizer.json written by Glossa.
  @Test func aWrittenModelKeepsItsByteFallback() throws {
    for expected in try HuggingFaceCase.load(Self.file) {
      let model = try #require(try expected.tokenizer().model as? BPEModel)
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
        ["normalizer": ["type": "Replace", "pattern": ["Regex": "(unclosed"], "content": " "]],
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

  /// wav2vec2's decoder, read from its JSON; the expected texts are what HuggingFace
  /// tokenizers 0.23.3's `decoders.CTC` gives for the same tokens.
  @Test func theCTCDecoderIsHuggingFaces() throws {
    func decoder(_ json: [String: Any]) throws -> any TokenDecoder {
      let file: [String: Any] = [
        "model": ["type": "WordLevel", "vocab": ["x": 0], "unk_token": "x"], "decoder": json,
      ]
      return try Tokenizer(json: try JSONSerialization.data(withJSONObject: file), file: "ctc.json").decoder
    }
    let ctc = try decoder([
      "type": "CTC", "pad_token": "<pad>", "word_delimiter_token": "|", "cleanup": true,
    ])
    #expect(
      ctc.decode(["<pad>", "h", "h", "e", "l", "l", "<pad>", "l", "o", "|", "w", "o", "r", "l", "d"])
        == "hello world")
    #expect(ctc.decode(["a", "|", "|", "b", " .", "<pad>"]) == "a b.")
    #expect(ctc.decode(["i", "|", "'m", "|", "ok", " ,", "|", "you", "?"]) == "i 'm ok, you?")
    let plain = try decoder([
      "type": "CTC", "pad_token": "[PAD]", "word_delimiter_token": "_", "cleanup": false,
    ])
    #expect(plain.decode(["[PAD]", "a", "a", "_", "b"]) == "a_b")
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

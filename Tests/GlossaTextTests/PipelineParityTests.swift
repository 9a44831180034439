import Foundation
import GlossaText
import Testing

/// Added tokens, pairs, truncation and padding read from tokenizer.json files, against
/// HuggingFace's `encode` and `encode_batch`: Fixtures/pipeline_cases.json, made by
/// make_pipeline_cases.py (BERT-, RoBERTa-, Llama-3- and sentencepiece-like tokenizers, a T5-like
/// Unigram with sentencepiece's `Precompiled` charsmap, a Unigram with byte fallback and
/// Metaspace prepending only at the text's start, a BPE with a continuing-subword prefix, a BPE
/// over UnicodeScripts pieces).
@Suite struct PipelineParityTests {
  @Test func textsPairsAndBatchesAreEncodedAsHuggingFaceEncodesThem() throws {
    let cases = try HuggingFaceCase.load("pipeline_cases.json")
    #expect(cases.count == 13)
    for expected in cases { try expected.expectEncodingsAreHuggingFaces() }
  }
}

/// A loaded tokenizer written back as a tokenizer.json loads again and encodes the same; the
/// second writing is the first byte for byte.
@Suite struct TokenizerWritingTests {
  @Test func everyFixtureTokenizerIsWrittenBackWhole() throws {
    let files = ["pipeline_cases.json", "post_processor_cases.json", "sentencepiece_bpe_cases.json"]
    var checked = 0
    for file in files {
      for expected in try HuggingFaceCase.load(file) {
        let tokenizer = try expected.tokenizer()
        let written = try JSONSerialization.data(withJSONObject: try tokenizer.jsonObject())
        let again = try Tokenizer(json: written, file: "\(expected.name) written")
        for encoding in expected.encodings {
          #expect(
            (try? again.encode(encoding.text, pair: encoding.pair))
              == (try? tokenizer.encode(encoding.text, pair: encoding.pair)),
            "\(expected.name): \(encoding.text.debugDescription)")
          #expect(
            encoding.difference(again) == nil, "\(expected.name) written: \(encoding.text.debugDescription)")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
          "glossa-written-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try again.write(to: url)
        let first = try Data(contentsOf: url)
        try Tokenizer(contentsOf: url).write(to: url)
        #expect(try Data(contentsOf: url) == first, "\(expected.name)")
        checked += 1
      }
    }
    #expect(checked == 24)
  }

  @Test func aComponentWithoutAFormIsRefusedByItsStage() {
    let tokenizer = Tokenizer(
      normalizer: CollapseWhitespace(), preTokenizer: WhitespaceSplit(),
      model: WordLevelModel(vocabulary: ["[UNK]": 0], unknownToken: "[UNK]"))
    #expect(
      throws: TokenizerFileError(
        file: "", path: "normalizer", reason: "CollapseWhitespace has no tokenizer.json form")
    ) {
      try tokenizer.jsonObject()
    }
  }
}

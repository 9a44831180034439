import Foundation
import GlossaText
import Testing

/// The `post_processor` of tokenizer.json files against HuggingFace's `encode` (special tokens
/// added): Fixtures/post_processor_cases.json, made by make_post_processor_cases.py.
@Suite struct PostProcessorTests {
  struct Case: Decodable {
    struct Expected: Decodable {
      let text: String
      let ids: [Int]
      let tokens: [String]
      let offsets: [[Int]]
      let special_tokens_mask: [Int]
    }
    let name: String
    let encodings: [Expected]
  }

  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/post_processor_cases.json")

  @Test func specialTokensAreAddedAsHuggingFaceAddsThem() throws {
    let data = try Data(contentsOf: Self.file)
    let cases = try JSONDecoder().decode([Case].self, from: data)
    let tokenizers = try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    #expect(cases.count == 6)
    for (expected, raw) in zip(cases, tokenizers) {
      let json = try JSONSerialization.data(withJSONObject: try #require(raw["tokenizer"]))
      let tokenizer = try Tokenizer(json: json, file: expected.name)
      for encoding in expected.encodings {
        let got = tokenizer.encode(encoding.text)
        let label = "\(expected.name): \(encoding.text.debugDescription)"
        #expect(got.ids == encoding.ids, "\(label)")
        #expect(got.tokens == encoding.tokens, "\(label)")
        #expect(got.offsets.map { [$0.lowerBound, $0.upperBound] } == encoding.offsets, "\(label)")
        #expect(got.specialTokensMask == encoding.special_tokens_mask, "\(label)")
      }
    }
  }

  @Test func aTemplateItCannotFollowIsRefusedByItsPath() throws {
    let template: [String: Any] = [
      "type": "TemplateProcessing",
      "single": [
        ["SpecialToken": ["id": "[CLS]", "type_id": 0]], ["SpecialToken": ["id": "[CLS]", "type_id": 0]],
        ["Sequence": ["id": "A", "type_id": 0]],
      ],
      "special_tokens": ["[CLS]": ["id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]]],
    ]
    for (processor, path) in [
      (template, "post_processor.single"),
      (["type": "Unknown"] as [String: Any], "post_processor.type"),
    ] {
      let file: [String: Any] = [
        "model": ["type": "WordLevel", "vocab": ["[UNK]": 0, "[CLS]": 1], "unk_token": "[UNK]"],
        "post_processor": processor,
      ]
      #expect {
        try Tokenizer(json: try JSONSerialization.data(withJSONObject: file), file: "t.json")
      } throws: { error in
        (error as? TokenizerFileError)?.path == path
      }
    }
  }
}

import Foundation
import GlossaText
import Testing

/// The `post_processor` of tokenizer.json files against HuggingFace's `encode` (special tokens
/// added): Fixtures/post_processor_cases.json, made by make_post_processor_cases.py.
@Suite struct PostProcessorTests {
  @Test func specialTokensAreAddedAsHuggingFaceAddsThem() throws {
    let cases = try HuggingFaceCase.load("post_processor_cases.json")
    #expect(cases.count == 8)
    for expected in cases {
      #expect(expected.encodings.allSatisfy { $0.special_tokens_mask != nil })
      try expected.expectEncodingsAreHuggingFaces()
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

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
      #expect(expected.encodings.allSatisfy { $0.encoding?.special_tokens_mask != nil })
      try expected.expectEncodingsAreHuggingFaces()
    }
  }

  @Test func aTemplateThatCannotBeFollowedIsRefusedByItsPath() throws {
    let missing: [String: Any] = [
      "type": "TemplateProcessing", "single": [["SpecialToken": ["id": "[X]", "type_id": 0]]], "pair": [],
      "special_tokens": [:] as [String: Any],
    ]
    let secondText: [String: Any] = [
      "type": "TemplateProcessing", "single": [["Sequence": ["id": "B", "type_id": 0]]], "pair": [],
      "special_tokens": [:] as [String: Any],
    ]
    let badName: [String: Any] = [
      "type": "TemplateProcessing", "single": [["Sequence": ["id": "C", "type_id": 0]]],
      "special_tokens": [:] as [String: Any],
    ]
    let unequal: [String: Any] = [
      "type": "TemplateProcessing", "single": [["SpecialToken": ["id": "[CLS]", "type_id": 0]]],
      "special_tokens": ["[CLS]": ["id": "[CLS]", "ids": [1, 1], "tokens": ["[CLS]"]]],
    ]
    for (processor, path, reason) in [
      (missing, "post_processor", "missing special tokens [X]"),
      (secondText, "post_processor", "a single text's template can only use $A"),
      (badName, "post_processor.single[0].Sequence.id", "expected A or B"),
      (unequal, "post_processor.special_tokens.[CLS]", "ids and tokens must be as many"),
      (["type": "Unknown"] as [String: Any], "post_processor.type", "unsupported post-processor Unknown"),
      (
        ["type": "BertProcessing", "cls": ["[CLS]", -1], "sep": ["[CLS]", 1]], "post_processor.cls[1]", nil
      ),
    ] {
      let file: [String: Any] = [
        "model": ["type": "WordLevel", "vocab": ["[UNK]": 0, "[CLS]": 1], "unk_token": "[UNK]"],
        "post_processor": processor,
      ]
      #expect {
        try Tokenizer(json: try JSONSerialization.data(withJSONObject: file), file: "t.json")
      } throws: { error in
        let error = error as? TokenizerFileError
        return error?.path == path && (reason == nil || error?.reason == reason)
      }
    }
  }
}

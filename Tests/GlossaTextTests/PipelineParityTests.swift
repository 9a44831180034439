import Foundation
import GlossaText
import Testing

/// Added tokens, pairs, truncation and padding read from tokenizer.json files, against
/// HuggingFace's `encode` and `encode_batch`: Fixtures/pipeline_cases.json, made by
/// make_pipeline_cases.py (BERT-, RoBERTa-, Llama-3- and sentencepiece-like tokenizers).
@Suite struct PipelineParityTests {
  @Test func textsPairsAndBatchesAreEncodedAsHuggingFaceEncodesThem() throws {
    let cases = try HuggingFaceCase.load("pipeline_cases.json")
    #expect(cases.count == 9)
    for expected in cases { try expected.expectEncodingsAreHuggingFaces() }
  }
}

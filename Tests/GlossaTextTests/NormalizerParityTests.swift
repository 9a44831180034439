import Foundation
import GlossaText
import Testing

/// Normalizers read from tokenizer.json against HuggingFace's `normalize_str`:
/// Fixtures/normalizer_cases.json, made by make_normalizer_cases.py.
@Suite struct NormalizerParityTests {
  @Test func normalizedTextsAreHuggingFaces() throws {
    let data = try Data(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/normalizer_cases.json"))
    let cases = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    let texts = try #require(cases["texts"] as? [String])
    let normalizers = try #require(cases["normalizers"] as? [[String: Any]])
    #expect(normalizers.count == 11)
    for entry in normalizers {
      let file: [String: Any] = [
        "model": ["type": "WordLevel", "vocab": ["x": 0], "unk_token": "x"],
        "normalizer": try #require(entry["normalizer"]),
      ]
      let tokenizer = try Tokenizer(json: try JSONSerialization.data(withJSONObject: file), file: "n.json")
      let normalizer = try #require(tokenizer.normalizer)
      for (text, expected) in zip(texts, try #require(entry["normalized"] as? [String])) {
        var normalized = NormalizedText(text)
        normalizer.normalize(&normalized)
        #expect(normalized.text == expected, "\(entry["normalizer"]!): \(text.debugDescription)")
        // Every scalar still points into the original text.
        #expect(normalized.origins.count == normalized.scalars.count)
        #expect(normalized.origins.allSatisfy { $0.upperBound <= text.unicodeScalars.count })
      }
    }
  }
}

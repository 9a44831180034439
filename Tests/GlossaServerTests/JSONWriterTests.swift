import Foundation
import GlossaText
import Testing

@testable import GlossaServer

/// The answer of `/v1/tokenize` parses back to what was written.
@Suite struct JSONWriterTests {
  @Test func aTokenizeAnswerParsesToItsEncodings() throws {
    var encoding = try Tokenizer(
      contentsOf: ServedFixtures.folder.appendingPathComponent("words.tokenizer.json")
    )
    .encode("the cat sat")
    encoding.ids = [7, 0, 12]
    encoding.tokens = ["a\"b", "<unk>", "c"]
    encoding.offsets = [0..<3, 4..<5, 6..<7]
    encoding.attentionMask = [1, 1, 1]
    encoding.specialTokensMask = [0, 1, 0]
    let bytes = GlossaServer.tokenizeAnswer(model: "m", [encoding, encoding])
    let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
    #expect(parsed["model"] as? String == "m")
    let first = (parsed["encodings"] as! [[String: Any]])[1]
    #expect(first["ids"] as? [Int] == [7, 0, 12] && first["tokens"] as? [String] == ["a\"b", "<unk>", "c"])
    #expect(first["offsets"] as? [[Int]] == [[0, 3], [4, 5], [6, 7]])
    #expect(
      first["attention_mask"] as? [Int] == [1, 1, 1] && first["special_tokens_mask"] as? [Int] == [0, 1, 0])
  }
}

import Foundation
import GlossaText
import Testing

/// tiktoken's rank files: Fixtures/small.tiktoken and what tiktoken encodes with it under GPT-2's
/// and cl100k's split patterns (tiktoken_cases.json, made by make_tiktoken_cases.py).
@Suite struct TiktokenTests {
  struct Case: Decodable {
    let name: String
    let pattern: String
    let special_tokens: [String: Int]
    let encodings: [Expected]
    struct Expected: Decodable {
      let text: String
      let ids: [Int]
      let decoded: String
    }
  }

  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")

  @Test func idsAndTextsAreTiktokens() throws {
    let cases = try JSONDecoder().decode(
      [Case].self, from: Data(contentsOf: Self.folder.appendingPathComponent("tiktoken_cases.json")))
    #expect(cases.count == 2)
    for expected in cases {
      let tokenizer = try Tokenizer.tiktoken(
        contentsOf: Self.folder.appendingPathComponent("small.tiktoken"), pattern: expected.pattern,
        specialTokens: expected.special_tokens)
      for encoding in expected.encodings {
        let ids = tokenizer.encode(encoding.text).ids
        #expect(ids == encoding.ids, "\(expected.name): \(encoding.text.debugDescription)")
        #expect(tokenizer.decode(ids, skipSpecialTokens: false) == encoding.decoded)
      }
    }
    #expect(
      cases.first?.pattern == Tokenizer.gpt2SplitPattern
        && cases.last?.pattern == Tokenizer.cl100kSplitPattern)
  }

  @Test func aBrokenRankFileIsRefusedByItsLine() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-\(UUID()).tiktoken")
    defer { try? FileManager.default.removeItem(at: url) }
    for (text, path, reason) in [
      ("IQ== 0\nIg== x\n", "line 2", "expected a rank from 0 to 4294967294"),
      ("IQ== 0\n!!! 1\n", "line 2", "expected a token in base64, a space and its rank"),
      ("IQ== 0\nIg== 0\n", "line 2", "rank 0 is also line 1's"),
      ("IQ== 0\nIQ== 1\n", "line 2", "a token given twice"),
      ("", "", "no tokens"),
    ] {
      try text.write(to: url, atomically: true, encoding: .utf8)
      #expect(throws: TokenizerFileError(file: url.path, path: path, reason: reason)) {
        try Tokenizer.tiktoken(contentsOf: url, pattern: Tokenizer.gpt2SplitPattern)
      }
    }
    try "IQ== 0\n".write(to: url, atomically: true, encoding: .utf8)
    #expect(throws: TokenizerFileError(file: url.path, path: "special token <s>", reason: "id 0 is a rank's"))
    {
      try Tokenizer.tiktoken(contentsOf: url, pattern: Tokenizer.gpt2SplitPattern, specialTokens: ["<s>": 0])
    }
  }
}

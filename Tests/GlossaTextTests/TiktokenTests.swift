import Foundation
import Testing

@testable import GlossaText

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

  /// A rank file written as a tokenizer.json (HF's byte-level BPE form) encodes as tiktoken
  /// does, and gives the same rank file back.
  @Test func aRankFileConvertsToATokenizerJSONAndBack() throws {
    let cases = try JSONDecoder().decode(
      [Case].self, from: Data(contentsOf: Self.folder.appendingPathComponent("tiktoken_cases.json")))
    let file = Self.folder.appendingPathComponent("small.tiktoken")
    for expected in cases {
      let original = try Tokenizer.tiktoken(
        contentsOf: file, pattern: expected.pattern, specialTokens: expected.special_tokens)
      let written = try JSONSerialization.data(withJSONObject: try original.jsonObject())
      let converted = try Tokenizer(json: written, file: "\(expected.name).json")
      let model = try #require(converted.model as? BPEModel)
      #expect(model.ignoresMerges && !model.merges.isEmpty)
      for encoding in expected.encodings {
        #expect(
          converted.encode(encoding.text).ids == encoding.ids,
          "\(expected.name): \(encoding.text.debugDescription)"
        )
        #expect(converted.decode(encoding.ids, skipSpecialTokens: false) == encoding.decoded)
      }
      let ranks = try TiktokenModel(model)
      #expect(ranks.ranks == (original.model as? TiktokenModel)?.ranks)
      #expect(ranks.rankFile == (original.model as? TiktokenModel)?.rankFile)
    }
  }

  /// A BPE whose merges do not make ids in order has no rank file: tiktoken would merge in
  /// another order.
  @Test func aBPEWhoseMergesAreNotInIdOrderHasNoRanks() throws {
    let vocabulary = ["a": 0, "b": 1, "c": 2, "bc": 3, "ab": 4]
    #expect(throws: TiktokenModel.Unconvertible.self) {
      try TiktokenModel(
        BPEModel(
          vocabulary: vocabulary, merges: [.init("a", "b"), .init("b", "c")], endOfWord: .none,
          unknownToken: nil))
    }
    let inOrder = try TiktokenModel(
      BPEModel(
        vocabulary: vocabulary, merges: [.init("b", "c"), .init("a", "b")], endOfWord: .none,
        unknownToken: nil))
    #expect(String(decoding: inOrder.rankFile, as: UTF8.self) == "YQ== 0\nYg== 1\nYw== 2\nYmM= 3\nYWI= 4\n")
    #expect(throws: TiktokenModel.Unconvertible.self) {
      try TiktokenModel(
        BPEModel(vocabulary: ["a": 0, "<unk>": 1], merges: [], endOfWord: .none, unknownToken: "<unk>"))
    }
    // A token that is not written in GPT-2's byte stand-ins (a space is "Ġ" there).
    #expect(throws: TiktokenModel.Unconvertible.self) {
      try TiktokenModel(
        BPEModel(vocabulary: ["a": 0, " ": 1], merges: [], endOfWord: .none, unknownToken: nil))
    }
  }

  @Test func aBrokenRankFileIsRefusedByItsLine() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-\(UUID()).tiktoken")
    defer { try? FileManager.default.removeItem(at: url) }
    for (text, path, reason) in [
      ("IQ== 0\nIg== x\n", "line 2", "expected a rank from 0 to 4294967294"),
      ("IQ== 0\n!!! 1\n", "line 2", "expected a token in base64, a space and its rank"),
      ("IQ== 0 7\n", "line 1", "expected a token in base64, a space and its rank"),
      ("IQ== 0\nIg==\n", "line 2", "expected a token in base64, a space and its rank"),
      ("IQ== 0\nIg== 0\n", "line 2", "rank 0 is also line 1's"),
      ("IQ== 0\nIQ== 1\n", "line 2", "a token given twice"),
      ("", "", "no tokens"),
    ] {
      try text.write(to: url, atomically: true, encoding: .utf8)
      #expect(throws: TokenizerFileError(file: url.path, path: path, reason: reason)) {
        try Tokenizer.tiktoken(contentsOf: url, pattern: Tokenizer.gpt2SplitPattern)
      }
    }
    // Fields between any spaces, a carriage return before the line end, as tiktoken reads them.
    try "IQ==  0\r\nIg==\t1 \n\nIw== 2".write(to: url, atomically: true, encoding: .utf8)
    let lenient = try Tokenizer.tiktoken(contentsOf: url, pattern: Tokenizer.gpt2SplitPattern)
    #expect((lenient.model as? TiktokenModel)?.ranks == [[0x21]: 0, [0x22]: 1, [0x23]: 2])
    try "IQ== 0\n".write(to: url, atomically: true, encoding: .utf8)
    #expect(throws: TokenizerFileError(file: url.path, path: "special token <s>", reason: "id 0 is a rank's"))
    {
      try Tokenizer.tiktoken(contentsOf: url, pattern: Tokenizer.gpt2SplitPattern, specialTokens: ["<s>": 0])
    }
  }

  /// The rank file's own base64 reader reads what Foundation's reads, and refuses what
  /// Python's `b64decode` (tiktoken's) refuses: Foundation's reads "QQ=A" as "A\0".
  @Test func base64IsReadAsTiktokenReadsIt() {
    var random = TestRandom(seed: 11)
    func next(_ n: Int) -> Int { random.next(n) }
    for _ in 0..<200 {
      let text = Data((0..<next(40)).map { _ in UInt8(next(256)) }).base64EncodedString()
      let decoded = Array(text.utf8).withUnsafeBufferPointer(decodeBase64)
      #expect(decoded == Data(base64Encoded: text).map { Array($0) }, "\(text)")
    }
    for text in ["QQ=", "Q===", "QQ=A", "=QQQ", "Q Q=", "QQ-_", "QUJ", "A"] {
      #expect(Array(text.utf8).withUnsafeBufferPointer(decodeBase64) == nil, "\(text)")
    }
  }
}

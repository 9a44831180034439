import Foundation
import Testing

@testable import GlossaText

/// The hand-written JSON of encodings parses back to what was written, whatever the tokens hold.
@Suite struct JSONWriterTests {
  @Test func stringsWithQuotesBackslashesControlsAndEmojiRoundTrip() throws {
    let strings = ["plain", "\"quoted\"", "back\\slash", "tab\tnew\nline\r", "\u{01}\u{1f}", "é 😀 ▁word", ""]
    var writer = JSONWriter()
    writer.array(strings) { $0.string($1) }
    let parsed = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String]
    #expect(parsed == strings)
  }

  @Test func anEncodingParsesBackWithItsWindows() throws {
    var tokenizer = Tokenizer(
      normalizer: nil, preTokenizer: WhitespaceSplit(),
      model: WordLevelModel(vocabulary: ["[UNK]": 0, "a\"b": 1, "é": 2], unknownToken: "[UNK]"))
    tokenizer.truncation = Truncation(maximumLength: 2)
    let encoding = try tokenizer.encode("a\"b é x", pair: "é")
    var writer = JSONWriter()
    writer.encoding(encoding)
    let parsed = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as! [String: Any]
    #expect(parsed["ids"] as? [Int] == encoding.ids && parsed["tokens"] as? [String] == encoding.tokens)
    #expect(parsed["type_ids"] as? [Int] == [0, 1] && parsed["offsets"] as? [[Int]] == [[0, 3], [0, 1]])
    #expect(
      parsed["attention_mask"] as? [Int] == [1, 1] && parsed["special_tokens_mask"] as? [Int] == [0, 0])
    // The first text's first word, the pair's first word (each text counts from 0).
    #expect(parsed["word_ids"] as? [Int] == [0, 0] && parsed["sequence_ids"] as? [Int] == [0, 1])
    var bert = Tokenizer(
      normalizer: nil, preTokenizer: WhitespaceSplit(),
      model: WordLevelModel(vocabulary: ["[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "a": 3], unknownToken: "[UNK]"))
    bert.postProcessor = BertProcessing(classification: ("[CLS]", 1), separator: ("[SEP]", 2))
    var special = JSONWriter()
    special.encoding(bert.encode("a a"))
    let nulls = try JSONSerialization.jsonObject(with: Data(special.bytes)) as! [String: Any]
    #expect((nulls["word_ids"] as? [Any])?.map { $0 as? Int } == [nil, 0, 1, nil])
    #expect((nulls["sequence_ids"] as? [Any])?.map { $0 as? Int } == [nil, 0, 0, nil])
    let windows = parsed["overflowing"] as? [[String: Any]] ?? []
    #expect(windows.map { $0["ids"] as? [Int] } == encoding.overflowing.map(\.ids) && windows.count == 2)
    #expect(windows.allSatisfy { ($0["overflowing"] as? [Any])?.isEmpty == true })
  }
}

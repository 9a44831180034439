import Foundation
import GlossaText
import Testing

/// Added tokens from the API, and the tokenizer.json settings read strictly (the HuggingFace
/// parity of both is PipelineParityTests').
@Suite struct AddedTokenTests {
  func wordLevel() -> Tokenizer {
    Tokenizer(
      normalizer: Lowercase(), preTokenizer: WhitespacePreTokenizer(),
      model: WordLevelModel(vocabulary: ["[UNK]": 0, "ok": 1, "mask": 2], unknownToken: "[UNK]"))
  }

  @Test func addedTokensTakeTheNextIdsAndAreFoundWhole() {
    var tokenizer = wordLevel()
    #expect(tokenizer.add([AddedToken("[MASK]", special: true), AddedToken("ok"), AddedToken("")]) == 2)
    #expect(tokenizer.add([AddedToken("[MASK]", special: true)]) == 0)  // already there
    tokenizer.add([AddedToken("<sep>", special: true, stripsLeft: true)])
    // "ok" keeps its vocabulary id; the others follow the vocabulary.
    #expect(tokenizer.addedTokens.map(\.id) == [3, 1, 4])
    #expect(tokenizer.specialTokenIDs == [3, 4])
    let encoding = tokenizer.encode("OK [MASK]ok   <sep>mask")
    #expect(encoding.tokens == ["ok", "[MASK]", "ok", "   <sep>", "mask"])
    #expect(encoding.ids == [1, 3, 1, 4, 2])
    #expect(encoding.offsets == [0..<2, 3..<9, 9..<11, 11..<19, 19..<23])
    #expect(tokenizer.decode(encoding.ids) == "ok ok mask")
    #expect(tokenizer.decode(encoding.ids, skipSpecialTokens: false) == "ok [MASK] ok <sep> mask")
    // Not normalized: "[mask]" is the text's, split and lowercased by the pipeline.
    #expect(tokenizer.encode("[mask]").ids == [0, 2, 0])
  }

  @Test func aSingleWordTokenNeedsNoWordBesideIt() {
    var tokenizer = wordLevel()
    tokenizer.add([AddedToken("day", singleWord: true)])
    #expect(
      tokenizer.encode("day monday Day today!day").tokens == ["day", "[UNK]", "day", "[UNK]", "[UNK]", "day"])
  }

  @Test func truncationKeepsWindowsThatRepeatTheStride() throws {
    var tokenizer = wordLevel()
    tokenizer.truncation = Truncation(maximumLength: 3, stride: 1)
    let encoding = tokenizer.encode("ok mask ok mask ok mask")
    #expect(encoding.ids == [1, 2, 1])
    #expect(encoding.overflowing.map(\.ids) == [[1, 2, 1], [1, 2]])
    #expect(encoding.overflowing.last?.offsets == [16..<18, 19..<23])
    tokenizer.truncation = Truncation(maximumLength: 3, side: .left)
    #expect(tokenizer.encode("ok mask ok ok").ids == [2, 1, 1])
    // A pair: the longer text is cut first.
    tokenizer.truncation = Truncation(maximumLength: 4)
    let pair = try tokenizer.encode("ok ok ok ok ok", pair: "mask")
    #expect(pair.ids == [1, 1, 1, 2] && pair.typeIDs == [0, 0, 0, 1])
    tokenizer.truncation = Truncation(maximumLength: 2, strategy: .onlySecond)
    #expect(throws: TruncationError.noSecondText) { try tokenizer.encode("ok ok ok", pair: nil) }
    #expect(tokenizer.encode("ok ok ok").ids == [1, 1, 1])  // left whole
    tokenizer.truncation = Truncation(maximumLength: 2, stride: 2)
    #expect(throws: TruncationError.strideTooLong(stride: 2, length: 2)) {
      try tokenizer.encode("ok ok ok", pair: nil)
    }
  }

  @Test func paddingGoesToEitherSideAndToAMultiple() {
    var tokenizer = wordLevel()
    tokenizer.padding = Padding(token: "[UNK]", id: 0, typeID: 1, side: .left, multiple: 4)
    let batch = tokenizer.encode(batch: ["ok", "ok ok ok ok mask"])
    #expect(batch.map(\.ids) == [[0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 1, 1, 1, 2]])
    #expect(
      batch[0].attentionMask == [0, 0, 0, 0, 0, 0, 0, 1] && batch[0].typeIDs == [1, 1, 1, 1, 1, 1, 1, 0])
    #expect(batch[0].specialTokensMask == [1, 1, 1, 1, 1, 1, 1, 0])
    #expect(tokenizer.encode("ok").ids == [0, 0, 0, 1])  // alone: its own length, to a multiple
  }

  /// A Unigram file's scores are read to the last bit: Foundation's JSONSerialization reads
  /// -7.458672640695945 one unit in the last place low, which turned the Viterbi path of "000"
  /// from HuggingFace's 00 0 (the larger sum by that one unit) to 0 00.
  @Test func unigramScoresAreReadExactly() throws {
    let json = #"""
      {"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["▁", -4.789565413542342],
       ["0", -7.458672640695945], ["00", -8.733375936407374]]},
       "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}}
      """#
    let tokenizer = try Tokenizer(json: Data(json.utf8))
    #expect(
      (tokenizer.model as? UnigramModel)?.pieces.map(\.1) == [
        0, -4.789565413542342, -7.458672640695945, -8.733375936407374,
      ])
    #expect(tokenizer.encode("000").tokens == ["▁", "00", "0"])
  }

  /// Settings HuggingFace would refuse, or that are certainly broken, name their JSON path.
  @Test func brokenSettingsAreRefusedByTheirPath() throws {
    let model: [String: Any] = ["type": "WordLevel", "vocab": ["[UNK]": 0, "ok": 1], "unk_token": "[UNK]"]
    let padding: [String: Any] = [
      "strategy": ["Fixed": 4], "direction": "Right", "pad_id": 0, "pad_type_id": 0, "pad_token": "[UNK]",
    ]
    func added(_ content: String, _ id: Any) -> [String: Any] {
      [
        "content": content, "id": id, "special": true, "normalized": false, "single_word": false,
        "lstrip": false, "rstrip": false,
      ]
    }
    let cases: [([String: Any], String, String)] = [
      (
        ["added_tokens": [added("[X]", -2)]], "added_tokens[0].id", "expected an integer from 0 to 4294967295"
      ),
      (
        ["added_tokens": [added("[X]", 2.5)]], "added_tokens[0].id",
        "expected an integer from 0 to 4294967295"
      ),
      (
        ["truncation": ["max_length": 4, "strategy": "Shortest", "stride": 0]], "truncation.strategy",
        "unknown value Shortest (expected LongestFirst, OnlyFirst, OnlySecond)"
      ),
      // Fields HuggingFace requires (it has defaults for the truncation's direction only).
      (
        ["truncation": ["max_length": 4, "strategy": "OnlyFirst"]], "truncation.stride",
        "missing (expected an integer from 0 to 4294967295)"
      ),
      (
        ["padding": ["strategy": "Longest"]], "padding.strategy",
        "expected \"BatchLongest\" or {\"Fixed\": length}"
      ),
      (
        ["padding": padding.merging(["direction": "Up"]) { $1 }], "padding.direction",
        "unknown value Up (expected Left, Right)"
      ),
      (
        ["padding": padding.filter { $0.key != "pad_token" }], "padding.pad_token",
        "missing (expected a string)"
      ),
      (
        ["added_tokens": [added("[X]", 4).filter { $0.key != "lstrip" }]], "added_tokens[0].lstrip",
        "missing (expected true or false)"
      ),
      (["added_tokens": NSNull()], "added_tokens", "expected an array"),
      (["version": "2.0"], "version", "unknown tokenizer.json version (expected 1.0)"),
    ]
    for (settings, path, reason) in cases {
      let file = settings.merging(["model": model]) { $1 }
      #expect {
        try Tokenizer(json: try JSONSerialization.data(withJSONObject: file), file: "t.json")
      } throws: { error in
        (error as? TokenizerFileError) == TokenizerFileError(file: "t.json", path: path, reason: reason)
      }
    }
  }

  /// HuggingFace numbers added tokens itself (a vocabulary token takes its id, a content seen
  /// before keeps its id and takes the later options, an empty one is dropped, any other takes
  /// the next id after the vocabulary), whatever ids the file writes: the encodings of
  /// "a [X] [Y] b c" here are those of HF tokenizers 0.23.3 on the same files.
  @Test func addedTokensAreNumberedAsHuggingFaceNumbersThem() throws {
    let model: [String: Any] = [
      "type": "WordLevel", "vocab": ["a": 0, "b": 1, "[UNK]": 2, "c": 9], "unk_token": "[UNK]",
    ]
    func added(_ content: String, _ id: Int, special: Bool = true) -> [String: Any] {
      [
        "content": content, "id": id, "special": special, "normalized": false, "single_word": false,
        "lstrip": false, "rstrip": false,
      ]
    }
    let cases: [([[String: Any]], [Int])] = [
      ([added("[X]", 10)], [0, 4, 2, 2, 2, 1, 9]),
      ([added("[X]", 4), added("[Y]", 3)], [0, 4, 5, 1, 9]),
      // Found by the tokenizer-json fuzz target: a content given two ids, which Glossa had kept
      // apart (written back, the file then encoded differently).
      ([added("[X]", 4), added("[Y]", 3), added("[X]", 5, special: false)], [0, 4, 5, 1, 9]),
      ([added("", 7), added("[X]", 4)], [0, 4, 2, 2, 2, 1, 9]),
      ([added("c", 1), added("[Y]", 0)], [0, 2, 2, 2, 4, 1, 9]),
    ]
    for (tokens, expected) in cases {
      let file: [String: Any] = [
        "model": model, "added_tokens": tokens, "pre_tokenizer": ["type": "Whitespace"],
      ]
      let tokenizer = try Tokenizer(json: try JSONSerialization.data(withJSONObject: file), file: "t.json")
      #expect(tokenizer.encode("a [X] [Y] b c").ids == expected, "\(tokens)")
      // Written back, the tokenizer has the ids it encodes with.
      let again = try Tokenizer(
        json: try JSONSerialization.data(withJSONObject: try tokenizer.jsonObject()), file: "again.json")
      #expect(again.encode("a [X] [Y] b c").ids == expected)
    }
  }
}

import Foundation
import GlossaText
import Testing

@Suite struct TokenizerTests {
  /// A word-level tokenizer over a tiny vocabulary.
  func wordLevel() -> Tokenizer {
    let vocabulary = ["[UNK]": 0, "[PAD]": 1, "<s>": 2, "</s>": 3, "naïve": 4, "café": 5, "ok": 6]
    return Tokenizer(
      normalizer: Lowercase(), preTokenizer: WhitespacePreTokenizer(),
      model: WordLevelModel(vocabulary: vocabulary, unknownToken: "[UNK]"), specialTokenIDs: [0, 1, 2, 3])
  }

  @Test func offsetsCountScalarsAndBytes() {
    let encoding = wordLevel().encode("Naïve CAFÉ ok?")
    #expect(encoding.tokens == ["naïve", "café", "ok", "[UNK]"])
    #expect(encoding.offsets == [0..<5, 6..<10, 11..<13, 13..<14])
    #expect(encoding.byteOffsets == [0..<6, 7..<12, 13..<15, 15..<16])  // ï and É take two bytes
    // As HuggingFace's: the text's own tokens are not special, its unknown token included.
    #expect(encoding.specialTokensMask == [0, 0, 0, 0])
    #expect(encoding.attentionMask == [1, 1, 1, 1])
  }

  /// Without a normalizer, pieces are cut from the original scalars (the fast path); the
  /// byte offsets are mapped from the scalar offsets.
  @Test func offsetsCountScalarsAndBytesOnTheFastPath() {
    var tokenizer = wordLevel()
    tokenizer.normalizer = nil
    let encoding = tokenizer.encode("naïve café ok?")
    #expect(encoding.tokens == ["naïve", "café", "ok", "[UNK]"])
    #expect(encoding.offsets == [0..<5, 6..<10, 11..<13, 13..<14])
    #expect(encoding.byteOffsets == [0..<6, 7..<12, 13..<15, 15..<16])
    #expect(encoding.specialTokensMask == [0, 0, 0, 0])
  }

  /// Empty texts give empty results, on several threads at once too (an empty array once was
  /// made by writing into the standard library's shared empty-array storage, a data race).
  @Test func emptyTextsGiveNoTokens() {
    #expect(RegexWordTokenizer().words("").isEmpty && RegexWordTokenizer().tokenize("  ").isEmpty)
    #expect(WhitespaceTokenizer().words(" \n ").isEmpty)
    let encodings = wordLevel().encode(batch: Array(repeating: "", count: 256), threads: 2)
    #expect(encodings.count == 256 && encodings.allSatisfy { $0.ids.isEmpty && $0.specialTokensMask.isEmpty })
  }

  /// Masks of one value are shared between encodings of the same length: changing one
  /// encoding's mask leaves the others as they were.
  @Test func sharedMasksStayApart() {
    var tokenizer = wordLevel()
    tokenizer.normalizer = nil
    var first = tokenizer.encode("ok ok")
    let second = tokenizer.encode("ok ok")
    first.attentionMask[0] = 0
    first.specialTokensMask[1] = 1
    #expect(first.attentionMask == [0, 1] && first.specialTokensMask == [0, 1])
    #expect(second.attentionMask == [1, 1] && second.specialTokensMask == [0, 0])
    #expect(tokenizer.encode("ok ok").attentionMask == [1, 1])
    #expect(tokenizer.encode("ok zz").specialTokensMask == [0, 0])  // [UNK] is not special
  }

  @Test func postProcessingFramesTruncatesAndPads() throws {
    var tokenizer = wordLevel()
    tokenizer.postProcessor = try TemplateProcessing(
      single: [.special("<s>", typeID: 0), .text(0, typeID: 0), .special("</s>", typeID: 0)], pair: [],
      specialTokens: ["<s>": [("<s>", 2)], "</s>": [("</s>", 3)]])
    tokenizer.truncation = Truncation(maximumLength: 4)
    tokenizer.padding = Padding(token: "[PAD]", id: 1)
    let batch = tokenizer.encode(batch: ["ok ok ok ok", "ok"])
    #expect(batch[0].ids == [2, 6, 6, 3])  // cut to 4 with the specials
    #expect(batch[1].ids == [2, 6, 3, 1])
    #expect(batch[1].attentionMask == [1, 1, 1, 0])
    #expect(batch[1].specialTokensMask == [1, 0, 1, 1])
    #expect(batch[0].offsets[0] == 0..<0)
    #expect(batch[0].tokens == ["<s>", "ok", "ok", "</s>"])
    #expect(batch[1].tokens == ["<s>", "ok", "</s>", "[PAD]"])
    tokenizer.padding = Padding(.fixed(6), token: "[PAD]", id: 1)
    #expect(tokenizer.encode(batch: ["ok"])[0].ids == [2, 6, 3, 1, 1, 1])
    #expect(tokenizer.decode([2, 6, 3, 1]) == "ok")
    #expect(tokenizer.decode([2, 6, 3], skipSpecialTokens: false) == "<s> ok </s>")
  }

  /// Encodings keep ids and name their tokens by the vocabulary, unless a token is not the
  /// vocabulary's for its id: then they keep the tokens themselves.
  @Test func tokensAreTheVocabularysUnlessGivenOthers() throws {
    var tokenizer = wordLevel()
    tokenizer.postProcessor = try TemplateProcessing(
      single: [.special("<bos>", typeID: 0), .text(0, typeID: 0)], pair: [],
      specialTokens: ["<bos>": [("<bos>", 2)]])
    tokenizer.padding = Padding(.fixed(4), token: "<pad>", id: 1)
    let batch = tokenizer.encode(batch: ["ok ok", "ok café ok"])
    #expect(batch[0].tokens == ["<bos>", "ok", "ok", "<pad>"])
    #expect(batch[1].tokens == ["<bos>", "ok", "café", "ok"])
    // A fixed length pads single texts too.
    #expect(tokenizer.encode("ok").tokens == ["<bos>", "ok", "<pad>", "<pad>"])
    tokenizer.padding = nil
    var renamed = tokenizer.encode("ok")
    #expect(renamed.tokens == ["<bos>", "ok"])
    renamed.tokens[1] = "OK"
    #expect(renamed.tokens == ["<bos>", "OK"] && renamed.ids == [2, 6])
    #expect(renamed != tokenizer.encode("ok") && tokenizer.encode("ok") == tokenizer.encode("ok"))
    // A Unigram model's unknown stretch keeps its own text under the unknown id.
    let unigram = Tokenizer(
      normalizer: nil, preTokenizer: WhitespacePreTokenizer(),
      model: UnigramModel(pieces: [("<unk>", 0), ("a", -1), ("b", -2)], unknownID: 0))
    let encoding = unigram.encode("ab xyz ba")
    #expect(encoding.tokens == ["a", "b", "xyz", "b", "a"])
    #expect(encoding.ids == [1, 2, 0, 2, 1])
    // Kept tokens are cut and padded with the ids.
    var framed = unigram
    framed.truncation = Truncation(maximumLength: 3)
    framed.padding = Padding(.fixed(4), token: "<unk>", id: 0)
    let cut = framed.encode(batch: ["ab xyz ba"])[0]
    #expect(cut.tokens == ["a", "b", "xyz", "<unk>"] && cut.ids == [1, 2, 0, 0])
    #expect(cut.attentionMask == [1, 1, 1, 0])
  }

  @Test func batchEncodingEqualsOneByOne() {
    let tokenizer = wordLevel()
    let texts = (0..<500).map { i in ["naïve ok", "café", "ok ok unknown", ""][i % 4] + " \(i)" }
    #expect(tokenizer.encode(batch: texts) == texts.map(tokenizer.encode))
  }

  /// Each byte's stand-in reads back as the byte; a scalar that stands for no byte (a space, a
  /// no-break space, which GPT-2 shifts, and anything past the table) reads as none.
  @Test func aStandInScalarSpellsItsByte() {
    for (byte, scalar) in ByteLevel.byteToScalar.enumerated() {
      #expect(ByteLevel.byte(of: scalar) == UInt8(byte))
    }
    for scalar: Unicode.Scalar in [" ", "\u{A0}", "\u{144}", "東", "🙂"] {
      #expect(ByteLevel.byte(of: scalar) == nil)
    }
  }

  /// A piece's scalars replaced through the emitting form keep their origins, as through the
  /// array form: none, one, or several scalars for one.
  @Test func scalarsMappedByEmittingKeepTheirOrigins() {
    var emitted = NormalizedText("aé-b")
    emitted.mapScalars { scalar, emit in
      if scalar == "-" { return }
      for byte in String(scalar).utf8 { emit(ByteLevel.byteToScalar[Int(byte)]) }
    }
    var listed = NormalizedText("aé-b")
    listed.mapScalars { scalar in
      scalar == "-" ? [] : String(scalar).utf8.map { ByteLevel.byteToScalar[Int($0)] }
    }
    #expect(emitted.text == "aÃ©b" && emitted.text == listed.text)
    #expect(emitted.origins == [0..<1, 1..<2, 1..<2, 3..<4] && emitted.origins == listed.origins)
  }

  @Test func byteLevelBPERoundTripsAnyText() {
    // With no merges every byte is its own token: decoding must give the text back exactly.
    let vocabulary = Dictionary(
      uniqueKeysWithValues: ByteLevel.byteToScalar.enumerated().map { (String($0.element), $0.offset) })
    let tokenizer = Tokenizer(
      normalizer: nil, preTokenizer: ByteLevel(),
      model: BPEModel(vocabulary: vocabulary, merges: [], endOfWord: .none, unknownToken: nil),
      decoder: ByteLevelDecoder())
    var state: UInt64 = 99
    let alphabet: [String] = [
      "a", "Z", " ", "  ", "\n", "\t", "é", "e\u{301}", "🙂", "👩‍👩‍👧", "東", "'s", "’", "\u{0}", "—", "1", "ß", "🇯🇵",
    ]
    for _ in 0..<300 {
      state = state &* 6_364_136_223_846_793_005 &+ 1
      let length = Int(state >> 59)
      let text = (0..<length).map { k in alphabet[Int((state >> UInt64(k % 50)) % UInt64(alphabet.count))] }
        .joined()
      let encoding = tokenizer.encode(text)
      #expect(tokenizer.decode(encoding.ids) == text, "\(text.debugDescription)")
      #expect(encoding.byteOffsets.last?.upperBound ?? 0 == text.utf8.count || text.isEmpty)
    }
  }

  @Test func malformedTokenizerFilesNameTheJSONPath() {
    let cases: [(String, String)] = [
      ("{", "tok.json: byte 1: not valid JSON (the text ends inside a value)"),
      ("[]", "expected a JSON object"),
      (#"{"model": null}"#, "model: a tokenizer needs a model"),
      (#"{"model": {"type": "Magic"}}"#, "model.type: unsupported model Magic"),
      (
        #"{"model": {"type": "WordLevel", "vocab": {"a": "x"}, "unk_token": "a"}}"#,
        "model.vocab.a: expected an integer id"
      ),
      // Ids are 32-bit: one beyond (once a trap when the memo stored it) or below 0 is refused.
      (
        #"{"model": {"type": "WordLevel", "vocab": {"a": 0, "b": 3000000000}, "unk_token": "a"}}"#,
        "model.vocab.b: expected an integer id from 0 to 2147483646"
      ),
      (
        #"{"model": {"type": "WordLevel", "vocab": {"a": -1}, "unk_token": "a"}}"#,
        "model.vocab.a: expected an integer id from 0 to 2147483646"
      ),
      (
        #"{"normalizer": {"type": "Sequence", "normalizers": [{"type": "Lowercase"}, {"type": "Nope"}]}, "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}}"#,
        "normalizer.normalizers[1].type: unsupported normalizer Nope"
      ),
      (#"{"model": {"type": "BPE", "vocab": {}, "merges": ["a b c"]}}"#, "model.merges[0]: expected a merge"),
      (#"{"model": {"type": "Unigram", "vocab": [["a"]]}}"#, "model.vocab[0]: expected [piece, score]"),
      // What HuggingFace refuses too: a merge outside the vocabulary (HF: "Token `ab` out of
      // vocabulary"), an unknown id beyond it, Metaspace's add_prefix_space false alone.
      (
        #"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}}"#,
        "model.merges[0]: ab is not in the vocabulary"
      ),
      (
        #"{"model": {"type": "BPE", "vocab": {"a": 0, "ab": 1}, "merges": [["a", "c"]]}}"#,
        "model.merges[0]: c is not in the vocabulary"
      ),
      (
        #"{"model": {"type": "WordLevel", "vocab": {"z": 1, "a": 0, "R": 1}, "unk_token": "a"}}"#,
        "model.vocab.z: id 1 is also R's"
      ),
      (
        #"{"model": {"type": "Unigram", "vocab": [["a", -1.0]], "unk_id": 3}}"#,
        "model.unk_id: id 3 is not in the vocabulary of 1 pieces"
      ),
      (
        #"{"pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": false}, "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}}"#,
        "pre_tokenizer.add_prefix_space: add_prefix_space false contradicts prepend_scheme always"
      ),
      (
        #"{"decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes"}, "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}}"#,
        "decoder.prepend_scheme: unknown value sometimes (expected always, first, never)"
      ),
      (
        #"{"pre_tokenizer": {"type": "Metaspace"}, "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}}"#,
        "pre_tokenizer.replacement: missing (expected a string)"
      ),
      // What HuggingFace accepts, then fails on (or panics on) while encoding: an unknown token
      // outside the vocabulary, a merge whose right symbol lacks the continuing prefix, a
      // charsmap that is not one.
      (
        #"{"model": {"type": "WordPiece", "vocab": {"a": 0}, "unk_token": "[UNK]"}}"#,
        "model.unk_token: [UNK] is not in the vocabulary"
      ),
      (
        #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [], "unk_token": "<unk>"}}"#,
        "model.unk_token: <unk> is not in the vocabulary"
      ),
      (
        ###"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"], "continuing_subword_prefix": "##"}}"###,
        "model.merges[0]: b does not start with the continuing-subword prefix ##"
      ),
      (
        #"{"normalizer": {"type": "Precompiled", "precompiled_charsmap": "AAE="}, "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}}"#,
        "normalizer.precompiled_charsmap: 2 bytes, too short for the trie's size"
      ),
      (
        #"{"normalizer": {"type": "Precompiled", "precompiled_charsmap": "EAAAAAAA"}, "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}}"#,
        "normalizer.precompiled_charsmap: a trie of 16 bytes in 2"
      ),
      (
        #"{"normalizer": {"type": "Precompiled", "precompiled_charsmap": "not base64!"}, "model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}}"#,
        "normalizer.precompiled_charsmap: expected base64"
      ),
    ]
    for (json, expected) in cases {
      do {
        _ = try Tokenizer(json: Data(json.utf8), file: "tok.json")
        Issue.record("no error for \(json)")
      } catch let error as TokenizerFileError {
        #expect(error.description.contains(expected), "\(error)")
        #expect(error.description.hasPrefix("tok.json: "))
      } catch {
        Issue.record("unexpected \(error)")
      }
    }
  }

  @Test func savedBPEReloadsAsAHuggingFaceTokenizer() throws {
    let corpus =
      "low low low low low lower lower newest newest newest newest newest newest widest widest widest"
    let model = try BPETrainer(endOfWord: .suffix("</w>"), merges: 6).train(
      words: WhitespaceTokenizer().words(corpus))
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-\(UUID()).json")
    defer { try? FileManager.default.removeItem(at: url) }
    try TokenizerFile.write(model, lowercase: true, to: url)
    let reloaded = try Tokenizer(contentsOf: url)
    let encoding = reloaded.encode("Lowest NEWEST")
    #expect(encoding.tokens == model.encode("lowest newest"))
    #expect(reloaded.decode(encoding.ids) == "lowest newest")
  }
}

@Suite struct UTF8InputTests {
  @Test func invalidBytesAreNamedByOffset() throws {
    #expect(try decodeUTF8(Array("naïve 🙂".utf8), file: "a.txt") == "naïve 🙂")
    #expect(throws: InvalidUTF8Error(file: "a.txt", byteOffset: 3)) {
      try decodeUTF8([0x61, 0x62, 0x63, 0xFF, 0x64], file: "a.txt")
    }
    #expect(throws: InvalidUTF8Error(file: "b.txt", byteOffset: 1)) {
      try decodeUTF8([0x61, 0xC3], file: "b.txt")  // truncated two-byte sequence
    }
    #expect(try decodeUTF8([0x61, 0xFF, 0x62], file: "c.txt", replacingInvalid: true) == "a\u{FFFD}b")
  }
}

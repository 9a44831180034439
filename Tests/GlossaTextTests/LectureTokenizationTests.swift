import GlossaText
import Testing

/// The lecture's tokenization examples, to the letter.
@Suite struct LectureTokenizationTests {
  let sentence = "Hello, world! This is an example of word tokenization."

  @Test func regexWordTokenization() {
    #expect(
      RegexWordTokenizer().words(sentence)
        == ["Hello", "world", "This", "is", "an", "example", "of", "word", "tokenization"])
  }

  @Test func regexTokensCarryScalarOffsets() {
    let tokens = RegexWordTokenizer().tokenize("Pokémon_1 x")
    #expect(tokens == [Token("Pokémon_1", start: 0, end: 9), Token("x", start: 10, end: 11)])
    #expect(RegexWordTokenizer().words("naïve café, 42°C") == ["naïve", "café", "42", "C"])
  }

  @Test func whitespaceTokenization() {
    #expect(WhitespaceTokenizer().words("  Hello,\tworld!\n ") == ["Hello,", "world!"])
    #expect(
      WhitespaceTokenizer().tokenize("a  bc") == [
        Token("a", start: 0, end: 1), Token("bc", start: 3, end: 5),
      ])
  }

  @Test func pokemonCharacterTokens() {
    let expected: [String: [String]] = [
      "Pikachu": ["P", "i", "k", "a", "c", "h", "u"],
      "Charmander": ["C", "h", "a", "r", "m", "a", "n", "d", "e", "r"],
      "Bulbasaur": ["B", "u", "l", "b", "a", "s", "a", "u", "r"],
      "Squirtle": ["S", "q", "u", "i", "r", "t", "l", "e"],
      "Jigglypuff": ["J", "i", "g", "g", "l", "y", "p", "u", "f", "f"],
    ]
    for (name, characters) in expected { #expect(CharacterTokenizer().words(name) == characters) }
    // User-perceived characters: e + combining acute is one token, so is a flag.
    #expect(
      CharacterTokenizer().words("Poke\u{301}mon 🇯🇵") == ["P", "o", "k", "e\u{301}", "m", "o", "n", " ", "🇯🇵"])
    #expect(CharacterTokenizer().tokenize("e\u{301}x").last == Token("x", start: 2, end: 3))
  }

  let corpus =
    "low low low low low lower lower newest newest newest newest newest newest widest widest widest"

  @Test func bpeLearnsTheLecturesMergesAndVocabulary() throws {
    var steps: [BPETrainer.Step] = []
    let model = try BPETrainer(endOfWord: .symbol("_"), merges: 5).train(
      words: WhitespaceTokenizer().words(corpus)
    ) { steps.append($0) }
    #expect(
      model.merges == [
        .init("e", "s"), .init("es", "t"), .init("est", "_"), .init("l", "o"), .init("lo", "w"),
      ])
    #expect(steps.map(\.count) == [9, 9, 9, 7, 7])
    #expect(steps.map(\.vocabularySize) == [13, 14, 15, 16, 17])  // 11 characters, [UNK], merges
    #expect(
      model.tokens.dropLast() == [
        "l", "o", "w", "e", "r", "n", "s", "t", "i", "d", "_", "es", "est", "est_", "lo", "low",
      ])
    #expect(model.tokens.last == "[UNK]")
  }

  @Test func bpeEncodesNewTextWithUnknownSymbols() throws {
    let model = try BPETrainer(merges: 5).train(words: WhitespaceTokenizer().words(corpus))
    #expect(
      model.encode("newest binded lowers")
        == ["n", "e", "w", "est_", "[UNK]", "i", "n", "d", "e", "d", "_", "low", "e", "r", "s", "_"])
  }

  @Test func bpeStopsAtAVocabularySize() throws {
    let model = try BPETrainer(vocabularySize: 14).train(words: WhitespaceTokenizer().words(corpus))
    #expect(model.merges.count == 2)  // 11 characters + 2 merges + [UNK]
    #expect(model.vocabularySize == 14)
    let special = try BPETrainer(vocabularySize: 14, specialTokens: ["[UNK]", "[PAD]"]).train(
      words: WhitespaceTokenizer().words(corpus))
    #expect(special.tokens.prefix(3) == ["[UNK]", "[PAD]", "l"])
    #expect(special.merges.count == 1 && special.vocabularySize == 14)
    #expect(throws: TokenizerTrainingError.emptyCorpus) { try BPETrainer(merges: 3).train(words: []) }
    #expect(throws: TokenizerTrainingError.noLimit) { try BPETrainer().train(words: ["a"]) }
  }

  @Test func huggingFaceStyleSuffixGluesTheMarker() throws {
    let model = try BPETrainer(endOfWord: .suffix("</w>"), merges: 2).train(
      words: WhitespaceTokenizer().words(corpus))
    #expect(model.merges == [.init("e", "s"), .init("es", "t</w>")])
    #expect(model.encode(word: "best") == ["[UNK]", "est</w>"])
  }

  @Test func tokenIDsFollowTheLecture() {
    let vocabulary = Vocabulary(["hello", "world", "this", "is", "a", "test", "<unk>"])
    let ids = vocabulary.encode(["hello", "this", "is", "unknown_word"])
    #expect(ids == [0, 2, 3, 6])
    #expect(vocabulary.decode(ids) == ["hello", "this", "is", "<unk>"])
  }

  @Test func vocabularyFromCountsIsDeterministic() {
    let words = "b a c a b a d".split(separator: " ").map(String.init)
    let vocabulary = Vocabulary(counting: words, specialTokens: ["<pad>", "<unk>"], minimumFrequency: 1)
    // By count, ties by first appearance.
    #expect(vocabulary.tokens == ["<pad>", "<unk>", "a", "b", "c", "d"])
    let frequent = Vocabulary(counting: words, specialTokens: ["<pad>", "<unk>"], minimumFrequency: 2)
    #expect(frequent.tokens == ["<pad>", "<unk>", "a", "b"])
    let small = Vocabulary(counting: words, specialTokens: ["<pad>", "<unk>"], maximumSize: 3)
    #expect(small.tokens == ["<pad>", "<unk>", "a"])
    #expect(small.encode(["a", "zzz"]) == [2, 1])
  }
}

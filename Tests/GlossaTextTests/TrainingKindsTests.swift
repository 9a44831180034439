import Foundation
import GlossaText
import Testing

/// Every trainable kind: trained, written as tokenizer.json, read back, used.
@Suite struct TrainingKindsTests {
  let corpus = [
    "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs away quickly.\n"
      + "Quickly, quietly, the foxes jumped. Naïve dogs don't chase foxes!\n"
  ]

  func roundTrip(_ training: TokenizerTraining) throws -> Tokenizer {
    let model = try training.train(corpus)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-\(UUID()).json")
    defer { try? FileManager.default.removeItem(at: url) }
    try TokenizerFile.write(
      model, pipeline: training.pipeline, lowercase: training.lowercase,
      specialTokens: training.specialTokens, to: url)
    return try Tokenizer(contentsOf: url)
  }

  @Test func byteLevelBPEHasNoUnknownsAndRoundTrips() throws {
    var training = TokenizerTraining(kind: .byteBPE)
    training.vocabularySize = 300
    let tokenizer = try roundTrip(training)
    let text = "Quick foxes — 東京 🙂 don't stop"
    let encoding = tokenizer.encode(text)
    #expect(tokenizer.decode(encoding.ids) == text)
    #expect(encoding.tokens.contains("Ġfoxes"))  // learned from the corpus
    #expect(tokenizer.model.vocabularySize == 300)
  }

  @Test func wordPieceLearnsContinuations() throws {
    var training = TokenizerTraining(kind: .wordPiece)
    training.vocabularySize = 120
    training.specialTokens = ["[UNK]", "[PAD]"]
    training.lowercase = true
    let tokenizer = try roundTrip(training)
    let encoding = tokenizer.encode("Foxy dogs")
    #expect(encoding.tokens.contains { $0.hasPrefix("##") }, "\(encoding.tokens)")
    #expect(tokenizer.decode(encoding.ids) == "foxy dogs")
    #expect(tokenizer.encode("zebra").tokens == ["[UNK]"])
    #expect(tokenizer.model.token(for: 0) == "[UNK]")
  }

  @Test func wordLevelKeepsTheMostFrequentWords() throws {
    var training = TokenizerTraining(kind: .wordLevel)
    training.vocabularySize = 6
    training.specialTokens = ["[UNK]"]
    let tokenizer = try roundTrip(training)
    // [UNK], then by count: the (3), . (2)… ties by first appearance.
    #expect(tokenizer.model.vocabularySize == 6)
    #expect(tokenizer.encode("the zebra").tokens == ["the", "[UNK]"])
  }

  @Test func unigramLearnsWholeFrequentWordsAndRoundTrips() throws {
    var training = TokenizerTraining(kind: .unigram)
    training.vocabularySize = 60
    let tokenizer = try roundTrip(training)
    #expect(tokenizer.model.vocabularySize == 60)
    #expect(tokenizer.model.token(for: 0) == "[UNK]")
    let encoding = tokenizer.encode("the fox runs")
    #expect(encoding.tokens.contains("▁the"), "\(encoding.tokens)")
    #expect(tokenizer.decode(encoding.ids) == "the fox runs")
    // A character never seen is the unknown id, keeping its text.
    #expect(tokenizer.encode("fox 東").ids.last == 0)
  }

  @Test func unigramSegmentationIsTheBestPath() {
    // Pieces a, b, ab: "ab" (log 0.5) beats a + b (2 · log 0.1).
    let trainer = UnigramTrainer(vocabularySize: 10)
    let lattice: [[(end: Int, id: Int)]] = [[(1, 0), (2, 2)], [(2, 1)]]
    #expect(trainer.segment(lattice, [log(0.1), log(0.1), log(0.5)]) == [2])
    #expect(trainer.segment(lattice, [log(0.5), log(0.5), log(0.1)]) == [0, 1])
  }
}

import Foundation
import GlossaData
import GlossaTensor
import TestSupport
import Testing

@testable import GlossaEmbeddings

/// Word2Vec, FastText and GloVe: their parts against plain definitions, determinism, and
/// quality on real text.
@Suite struct TrainingTests {

  let small = Corpus(
    sources: [
      .text(
        String(
          repeating:
            "the king rules the kingdom and the queen rules the land\nthe man walks and the woman walks\n",
          count: 40))
    ], lowercase: true)

  @Test func everyLineIsReadOnceWhateverTheSharesAndFiles() throws {
    // Line 150 is longer than a small share's first buffer (4 KB), which must grow for it.
    let lines = (0..<300).map { "line \($0) " + String(repeating: "x", count: $0 == 150 ? 10_000 : $0 % 37) }
    let text = lines.joined(separator: "\n")
    let cut = text.utf8.count / 3
    let first = String(decoding: Array(text.utf8)[..<cut], as: UTF8.self)
    let second = String(decoding: Array(text.utf8)[cut...], as: UTF8.self)
    let corpus = Corpus(sources: [.text(first), .text(second)])
    // The line cut between the two sources is two lines, as in two files.
    let expected =
      first.split(separator: "\n", omittingEmptySubsequences: false)
      + second.split(separator: "\n", omittingEmptySubsequences: false)
    // More shares than lines too: most are then empty (a line belongs to the share it starts in).
    for count in [1, 2, 3, 4, 5, 6, 7, 64, 1_000] {
      var seen: [String] = []
      for share in try corpus.shares(count) {
        try corpus.forEachLine(in: share) { seen.append(String(decoding: $0, as: UTF8.self)) }
      }
      #expect(seen == expected.map(String.init), "\(count) shares")
    }
  }

  @Test func longLinesAreCutIntoSentencesOfTheMaximumLengthBeforeUnknownWordsGo() throws {
    // x, y and z are not in the vocabulary; they count towards the length all the same.
    var corpus = Corpus(sources: [.text("a x b c d e f g\ny z\n\nh")])
    corpus.maximumSentenceLength = 3
    let vocabulary = WordCounts(
      words: ["a", "b", "c", "d", "e", "f", "g", "h"], counts: [1, 1, 1, 1, 1, 1, 1, 1])
    var sentences: [[Int32]] = []
    for share in try corpus.shares(1) {
      try corpus.forEachSentence(in: share, vocabulary: vocabulary.vocabulary) { sentences.append(Array($0)) }
    }
    #expect(sentences == [[0, 1], [2, 3, 4], [5, 6], [], [7]])
    // Counting the words counts the same sentences (the empty line is none).
    let counted = try WordCounts(counting: corpus, minimumCount: 1)
    #expect(counted.corpusSentences == sentences.count && counted.corpusWords == 11)
  }

  /// Records the learning rate of every sentence it is given.
  final class RateRecorder: SentenceTrainer, @unchecked Sendable {
    var seen: [(words: Int, rate: Float)] = []
    func train(_ sentence: UnsafeBufferPointer<Int32>, learningRate: Float) {
      seen.append((sentence.count, learningRate))
    }
  }

  /// Records the sentences it is given, sleeping after each if asked.
  final class SentenceRecorder: SentenceTrainer, @unchecked Sendable {
    var seen: [[Int32]] = []
    let pause: TimeInterval
    init(pause: TimeInterval = 0) { self.pause = pause }
    func train(_ sentence: UnsafeBufferPointer<Int32>, learningRate: Float) {
      seen.append(Array(sentence))
      if pause > 0 { Thread.sleep(forTimeInterval: pause) }
    }
  }

  /// One sentence per line, numbered: "w0 w1", "w1 w2", …
  func numberedLines(_ count: Int) throws -> (Corpus, WordCounts, [[Int32]]) {
    let corpus = Corpus(sources: [.text((0..<count).map { "w\($0) w\($0 + 1)" }.joined(separator: "\n"))])
    let vocabulary = try WordCounts(counting: corpus, minimumCount: 1)
    let ids = (0..<count).map { line in
      [line, line + 1].map { Int32(vocabulary.vocabulary.id(of: "w\($0)")!) }
    }
    return (corpus, vocabulary, ids)
  }

  @Test func oneThreadTrainsOnTheCorpusInOrderEveryEpochWhateverIsKept() throws {
    let (corpus, vocabulary, lines) = try numberedLines(500)
    // No ids kept, a few portions kept (the rest read again), all kept.
    for limit in [0, 300, 1 << 20] {
      var loop = TrainingLoop(epochs: 3, threads: 1, learningRate: 0.1, minimumLearningRate: 0)
      loop.idLimit = limit
      let recorder = SentenceRecorder()
      try loop.run(corpus: corpus, vocabulary: vocabulary, progress: nil) { _ in recorder }
      #expect(recorder.seen == lines + lines + lines, "limit \(limit)")
    }
  }

  @Test func threadsTrainOnEverySentenceOnceAnEpochWhateverIsKept() throws {
    let (corpus, vocabulary, lines) = try numberedLines(400)
    let key = { (ids: [Int32]) in ids.map(String.init).joined(separator: " ") }
    for limit in [0, 500, 1 << 20] {
      var loop = TrainingLoop(epochs: 3, threads: 3, learningRate: 0.1, minimumLearningRate: 0)
      loop.idLimit = limit
      // One thread slower than the others, so that they take its portions as they come.
      let recorders = [SentenceRecorder(pause: 0.000_5), SentenceRecorder(), SentenceRecorder()]
      try loop.run(corpus: corpus, vocabulary: vocabulary, progress: nil) { recorders[$0] }
      let seen = recorders.flatMap(\.seen)
      #expect(seen.map(key).sorted() == (lines + lines + lines).map(key).sorted(), "limit \(limit)")
    }
  }

  @Test func learningRateFallsLinearlyByWordsOrBySentences() throws {
    // One sentence of nine words, then nine of one word: 18 words, 10 sentences an epoch.
    let corpus = Corpus(
      sources: [.text((["a b c d e f g h i"] + Array(repeating: "a", count: 9)).joined(separator: "\n"))])
    let vocabulary = try WordCounts(counting: corpus, minimumCount: 1)
    for decay in LearningRateDecay.allCases {
      var loop = TrainingLoop(
        epochs: 2, threads: 1, learningRate: 0.5, minimumLearningRate: 0.1, decay: decay)
      loop.batch = 1
      let recorder = RateRecorder()
      try loop.run(corpus: corpus, vocabulary: vocabulary, progress: nil) { _ in recorder }
      #expect(recorder.seen.count == 20)
      // Each sentence trains at the rate left after those before it, in both epochs.
      var (words, sentences) = (0, 0)
      for (count, rate) in recorder.seen {
        let done = decay == .words ? Float(words) / 36 : Float(sentences) / 20
        #expect(abs(rate - (0.5 - 0.4 * done)) < 1e-6, "\(decay) after \(sentences) sentences")
        words += count
        sentences += 1
      }
    }
  }

  @Test func vocabularyIsSortedByCountThenFirstAppearance() throws {
    let vocabulary = try WordCounts(
      counting: Corpus(sources: [.text("b a c a b d a\nc e")]), minimumCount: 2)
    #expect(
      vocabulary.words == ["a", "b", "c"] && vocabulary.counts == [3, 2, 2] && vocabulary.corpusWords == 9)
  }

  @Test func subsamplingKeepsWordsWithWord2VecsProbability() {
    let vocabulary = WordCounts(words: ["the", "rare"], counts: [9_000, 1_000])
    let keep = vocabulary.keepThresholds(sample: 1e-3).map { Double($0) / 4_294_967_296 }
    for (count, kept) in zip([9_000.0, 1_000], keep) {
      let z = count / (1e-3 * 10_000)
      #expect(abs(kept - min(1, (z.squareRoot() + 1) / z)) < 1e-6)
    }
    #expect(vocabulary.keepThresholds(sample: 0).allSatisfy { $0 == .max })
  }

  @Test func noiseFollowsTheUnigramDistributionToThePower075() {
    let counts = [1000, 300, 50, 7, 1]
    let noise = NoiseDistribution(counts: counts)
    var random = SeededGenerator(seed: 3)
    var drawn = [Int](repeating: 0, count: counts.count)
    let draws = 400_000
    for _ in 0..<draws { drawn[Int(noise.sample(random.next()))] += 1 }
    let weights = counts.map { pow(Double($0), 0.75) }
    let total = weights.reduce(0, +)
    for (k, weight) in weights.enumerated() {
      #expect(abs(Double(drawn[k]) / Double(draws) - weight / total) < 0.004, "word \(k)")
    }
  }

  @Test func noiseOfWordsWithoutCountsIsUniform() {
    // A model file's counts may all be 0 (once a trap: every weight was 0/0).
    let noise = NoiseDistribution(counts: [0, 0, 0, 0])
    var random = SeededGenerator(seed: 3)
    var drawn = [Int](repeating: 0, count: 4)
    for _ in 0..<40_000 { drawn[Int(noise.sample(random.next()))] += 1 }
    #expect(drawn.allSatisfy { abs(Double($0) / 40_000 - 0.25) < 0.01 }, "\(drawn)")
  }

  @Test func huffmanCodesArePrefixFreeAndShortForFrequentWords() {
    let counts = [500, 200, 100, 90, 40, 10, 5, 1]
    let tree = HuffmanTree(counts: counts)
    let codes = counts.indices.map { w in
      (Int(tree.start[w])..<Int(tree.start[w + 1])).map { tree.codes[$0] }
    }
    for a in codes.indices {
      for b in codes.indices where a != b { #expect(!codes[b].starts(with: codes[a])) }
    }
    // A full binary tree: Kraft's sum is exactly 1. Paths start at the root.
    #expect(codes.reduce(0.0) { $0 + pow(2, -Double($1.count)) } == 1)
    #expect(counts.indices.allSatisfy { tree.nodes[Int(tree.start[$0])] == Int32(counts.count - 2) })
    #expect(codes[0].count <= codes[7].count && codes[0].count == 1)
  }

  @Test func sigmoidTableAgreesWithTheFunctionAndSaturatesOutsideItsRange() {
    for range: Float in [6, 8] {
      let sigmoid = SigmoidTable(range: range)
      for x in stride(from: Float(-10), through: 10, by: 0.37) {
        if abs(x) >= range {
          #expect(sigmoid(x) == (x > 0 ? 1 : 0), "σ(\(x)) with range \(range)")
        } else {
          #expect(abs(sigmoid(x) - 1 / (1 + Foundation.exp(-x))) < 0.01, "σ(\(x)) with range \(range)")
        }
      }
    }
  }

  @Test func kernelsMatchPlainLoops() {
    var random = SeededGenerator(seed: 9)
    for n in [1, 15, 16, 17, 100, 300] {
      let x = (0..<n).map { _ in random.nextNormal() }
      var y = (0..<n).map { _ in random.nextNormal() }
      let plainDot = zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 }
      #expect(abs(VectorKernels.dot(x, y, n) - plainDot) < 1e-4 * Float(n))
      let plainAxpy = zip(x, y).map { 0.5 * $0 + $1 }
      y.withUnsafeMutableBufferPointer { VectorKernels.axpy(0.5, x, $0.baseAddress!, n) }
      #expect(zip(y, plainAxpy).allSatisfy { abs($0 - $1) < 1e-6 })
      // The output step: the gradient takes the row as it was, then the row moves.
      var (row, gradient) = (y, x.map { $0 * 0.25 })
      let plainGradient = zip(gradient, row).map { $0 + -0.3 * $1 }
      let plainRow = zip(row, x).map { $0 + -0.3 * $1 }
      row.withUnsafeMutableBufferPointer { row in
        gradient.withUnsafeMutableBufferPointer {
          VectorKernels.outputStep(-0.3, row.baseAddress!, x, $0.baseAddress!, n)
        }
      }
      #expect(zip(gradient, plainGradient).allSatisfy { abs($0 - $1) < 1e-6 }, "n \(n)")
      #expect(zip(row, plainRow).allSatisfy { abs($0 - $1) < 1e-6 }, "n \(n)")
    }
  }

  @Test(arguments: [Word2Vec.Architecture.skipGram, .cbow])
  func oneThreadIsDeterministicBitForBit(architecture: Word2Vec.Architecture) throws {
    for output in [Word2Vec.OutputLayer.negativeSampling(5), .hierarchicalSoftmax] {
      let word2vec = Word2Vec(
        architecture: architecture, dimension: 20, output: output, minimumCount: 1, epochs: 3, seed: 7)
      let (first, second) = (try word2vec.train(small), try word2vec.train(small))
      #expect(first.vectors == second.vectors)
      var other = word2vec
      other.seed = 8
      #expect(try other.train(small).vectors != first.vectors)
    }
  }

  @Test(arguments: [Word2Vec.Architecture.skipGram, .cbow])
  func bothOutputLayersLearnWhichWordsShareContexts(architecture: Word2Vec.Architecture) throws {
    // king and queen both "rule the …"; man and woman both "walk".
    for output in [Word2Vec.OutputLayer.negativeSampling(5), .hierarchicalSoftmax] {
      let vectors = try Word2Vec(
        architecture: architecture, dimension: 20, window: 2, output: output, minimumCount: 1, sample: 0,
        epochs: 20, seed: 3
      ).train(small)
      let what = "\(architecture) \(output)"
      #expect(try vectors.similarity("king", "queen") > vectors.similarity("king", "walks"), "\(what)")
      #expect(try vectors.similarity("man", "woman") > vectors.similarity("man", "rules"), "\(what)")
    }
  }

  @Test func epochsFromKeptIDsEqualEpochsReadAgain() throws {
    var word2vec = Word2Vec(dimension: 16, minimumCount: 1, epochs: 3, seed: 2)
    let kept = try word2vec.train(small)
    word2vec.idLimit = 0
    #expect(try word2vec.train(small).vectors == kept.vectors)
  }

  @Test func skipGramOnRealTextPutsSensibleNeighboursClose() throws {
    let corpus = Corpus(files: [Fixtures.austen], lowercase: true)
    // One thread: the same vectors every run (two threads race, as Hogwild does).
    let vectors = try Word2Vec(epochs: 3, threads: 1).train(corpus)
    let family: Set<String> = [
      "father", "mother", "brother", "sister", "son", "daughter", "wife", "husband", "aunt", "uncle", "niece",
      "nephew",
    ]
    let expectations: [String: Set<String>] = [
      "three": ["two", "four", "five", "six", "seven", "ten"], "mother": family, "daughter": family,
    ]
    for (word, relatives) in expectations {
      let neighbours = try vectors.mostSimilar(positive: [word], top: 5).map(\.word)
      #expect(Set(neighbours).intersection(relatives).count >= 2, "\(word): \(neighbours)")
    }
  }

  @Test func characterNGramsHashAsFastTextDoes() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/fasttext_subwords.json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    let ngrams = CharacterNGrams(
      minimum: json["minn"] as? Int ?? 0, maximum: json["maxn"] as? Int ?? 0,
      buckets: json["buckets"] as? Int ?? 0)
    let words = json["words"] as? [String: [String: Any]] ?? [:]
    #expect(words.count >= 4)
    for (word, expected) in words {
      #expect(ngrams.buckets(of: word) == expected["buckets"] as? [Int], "\(word)")
    }
  }

  @Test func fastTextGivesAnUnseenWordAVectorNearItsRelatives() throws {
    // "sisters" never appears in training; "sister" does.
    let text = try String(contentsOf: Fixtures.austen, encoding: .utf8)
    let filtered = text.split(separator: "\n").filter { !$0.lowercased().contains("sisters") }
    let training = Corpus(sources: [.text(filtered.joined(separator: "\n"))], lowercase: true)
    // On a corpus this small, fastText's subsampling (1e-4) would drop most of "sister".
    let fastText = try FastText(sample: 1e-3, epochs: 3, threads: 2).train(training)
    #expect(!fastText.keyedVectors.contains("sisters"))
    // Among all training words, "sister" is one of the closest to the unseen word.
    let scores = fastText.keyedVectors.cosineSimilarities(to: fastText.vector("sisters"))
    let sister = try #require(fastText.keyedVectors.index(of: "sister"))
    let closer = scores.filter { $0 > scores[sister] }.count
    #expect(closer < scores.count / 100, "\(closer) words of \(scores.count) are closer")
    #expect(fastText.similarity("sisters", "sister") > fastText.similarity("sisters", "carriage"))
    // Saved and loaded, the model still builds the unseen word's vector.
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-ft-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: file) }
    try fastText.write(to: file)
    let loaded = try FastTextVectors(contentsOf: file)
    #expect(loaded.vector("kingdoms") == fastText.vector("kingdoms") && loaded.ngrams == fastText.ngrams)
    #expect(loaded.keyedVectors.words == fastText.keyedVectors.words)
    #expect(loaded.keyedVectors.vectors == fastText.keyedVectors.vectors)
  }

  @Test func cooccurrencesWeighByInverseDistanceAndSurviveSpilling() throws {
    let corpus = Corpus(sources: [.text("a b c\nc a")])
    let vocabulary = WordCounts(words: ["a", "b", "c"], counts: [2, 1, 2])
    func dense(_ counts: Cooccurrences) -> [Float] {
      var matrix = [Float](repeating: 0, count: 9)
      for k in 0..<counts.count {
        matrix[Int(counts.rows[k]) * 3 + Int(counts.columns[k])] += counts.values[k]
      }
      return matrix
    }
    let counts = try Cooccurrences(corpus: corpus, vocabulary: vocabulary, window: 2)
    // a–b at distance 1, b–c at 1, a–c at 2 (line 1) and c–a at 1 (line 2); symmetric.
    #expect(dense(counts) == [0, 1, 1.5, 1, 0, 1, 1.5, 1, 0])
    let spilled = try Cooccurrences(corpus: corpus, vocabulary: vocabulary, window: 2, maximumPairs: 2)
    #expect(
      spilled.rows == counts.rows && spilled.columns == counts.columns && spilled.values == counts.values)
  }

  @Test func gloveTrainsOnACorpusAsItFitsItsCounts() throws {
    let glove = GloVe(dimension: 8, window: 3, minimumCount: 1, epochs: 3, seed: 5)
    let vocabulary = try WordCounts(counting: small, minimumCount: 1)
    let counts = try Cooccurrences(corpus: small, vocabulary: vocabulary, window: 3)
    let trained = try glove.train(small)
    #expect(trained.words == vocabulary.words)
    #expect(trained.vectors == glove.fit(counts, words: vocabulary.words).vectors)
  }

  @Test func gloveFitsTheLogCounts() throws {
    let vocabulary = try WordCounts(counting: small, minimumCount: 1)
    let counts = try Cooccurrences(corpus: small, vocabulary: vocabulary, window: 3)
    func cost(epochs: Int) -> Double {
      let glove = GloVe(dimension: 10, epochs: epochs, seed: 4)
      let (main, context) = glove.parameters(counts, words: vocabulary.count)
      return glove.cost(counts, main, context)
    }
    // J falls by orders of magnitude, and the same seed gives the same vectors.
    #expect(cost(epochs: 200) < cost(epochs: 0) / 100, "\(cost(epochs: 0)) → \(cost(epochs: 200))")
    let glove = GloVe(dimension: 10, epochs: 5, seed: 4)
    #expect(
      glove.fit(counts, words: vocabulary.words).vectors == glove.fit(counts, words: vocabulary.words).vectors
    )
  }
}

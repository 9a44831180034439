import GlossaData
import GlossaTensor
import GlossaText

/// The words of a corpus counted for training embeddings: the `Vocabulary` of every word
/// seen at least `minimumCount` times, most frequent first (ties in order of first
/// appearance) with its count, so that a word's id is its rank; and the corpus's size, which
/// the learning rate's decay and the progress report follow (as gensim keeps `corpus_count`
/// and `corpus_total_words` beside its vocabulary).
public struct WordCounts: Sendable, Equatable {
  /// The words kept, with their counts.
  public let vocabulary: Vocabulary
  /// Every word read, kept or not.
  public let corpusWords: Int
  /// The corpus's sentences: its non-empty lines, long ones cut as training cuts them (0
  /// when not counted).
  public let corpusSentences: Int

  /// Counts the words of `corpus` and keeps those seen at least `minimumCount` times.
  public init(counting corpus: Corpus, minimumCount: Int = 5) throws {
    let counter = TokenCounter()
    var total = 0
    let sentences = try corpus.forEachWord { word in
      counter.add(word)
      total += 1
    }
    self.init(
      vocabulary: Vocabulary(
        counts: counter.counted, specialTokens: [], unknownToken: nil, minimumFrequency: minimumCount),
      corpusWords: total, corpusSentences: sentences)
  }

  /// A vocabulary of given words and counts (ids in the given order).
  public init(words: [String], counts: [Int], corpusWords: Int? = nil, corpusSentences: Int = 0) {
    self.init(
      vocabulary: Vocabulary(words, counts: counts, unknownToken: nil), corpusWords: corpusWords,
      corpusSentences: corpusSentences)
  }

  /// Counts already made: `vocabulary` must carry a count for every word.
  public init(vocabulary: Vocabulary, corpusWords: Int? = nil, corpusSentences: Int = 0) {
    require(
      vocabulary.counts.count == vocabulary.count,
      "WordCounts: the vocabulary has \(vocabulary.counts.count) counts for \(vocabulary.count) words")
    self.vocabulary = vocabulary
    self.corpusWords = corpusWords ?? vocabulary.totalCount
    self.corpusSentences = corpusSentences
  }

  /// The words, by id (most frequent first when counted).
  public var words: [String] { vocabulary.tokens }

  /// How often each word occurs in the corpus, by id.
  public var counts: [Int] { vocabulary.counts }

  /// The number of words.
  public var count: Int { vocabulary.count }

  /// How many times the kept words occur in all.
  public var totalCount: Int { vocabulary.totalCount }

  /// The probability of keeping each occurrence of a word when frequent words are
  /// subsampled with threshold `t` (word2vec's formula, as gensim applies it): with
  /// z = count / (t · total), keep with probability (√z + 1) / z, at most 1. As 32-bit
  /// thresholds for a random `UInt32`; no subsampling when `t` is 0.
  func keepThresholds(sample t: Double) -> [UInt32] {
    let threshold = t * Double(totalCount)
    return counts.map { count in
      guard t > 0 else { return .max }
      let z = Double(count) / threshold
      let keep = min(1, ((z).squareRoot() + 1) / z)
      return UInt32(min(keep * 4_294_967_296, 4_294_967_295))
    }
  }
}

import GlossaText

/// The words an embedding is trained for: every word seen at least `minimumCount` times,
/// most frequent first (ties in order of first appearance), with their counts. Word ids
/// are ranks, so id 0 is the most frequent word.
public struct WordVocabulary: Sendable {
  /// The words, most frequent first.
  public let words: [String]
  /// How often each word occurs in the corpus.
  public let counts: [Int]
  /// Every word read, kept or not.
  public let corpusWords: Int
  /// The corpus's sentences: its non-empty lines, long ones cut as training cuts them (0
  /// when not counted).
  public let corpusSentences: Int
  /// Looks words up by their bytes.
  let table: TermTable

  /// Counts the words of `corpus` and keeps those seen at least `minimumCount` times.
  public init(counting corpus: Corpus, minimumCount: Int = 5) throws {
    let seen = TermTable()
    var counts: [Int] = []
    var total = 0
    let sentences = try corpus.forEachWord { word in
      let id = Int(seen.id(word.baseAddress!, count: word.count))
      if id == counts.count { counts.append(0) }
      counts[id] += 1
      total += 1
    }
    let kept = counts.indices.filter { counts[$0] >= minimumCount }
      .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
    self.init(
      words: kept.map { seen.terms[$0] }, counts: kept.map { counts[$0] }, corpusWords: total,
      corpusSentences: sentences)
  }

  /// A vocabulary of given words and counts (ids in the given order).
  public init(words: [String], counts: [Int], corpusWords: Int? = nil, corpusSentences: Int = 0) {
    self.words = words
    self.counts = counts
    self.corpusWords = corpusWords ?? counts.reduce(0, +)
    self.corpusSentences = corpusSentences
    let table = TermTable()
    for word in words { _ = table.id(word) }
    self.table = table
  }

  /// The number of words.
  public var count: Int { words.count }

  /// How many times the kept words occur in all.
  public var totalCount: Int { counts.reduce(0, +) }

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

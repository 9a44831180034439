#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Learns a Unigram language model (SentencePiece's algorithm, simplified): start from many
/// candidate pieces (every character, and the most frequent substrings of the words), then
/// alternate EM — segment every word with the current log-probabilities (Viterbi), re-estimate
/// each piece's probability from its counts — with pruning of the pieces whose removal costs
/// the corpus likelihood least, until the vocabulary has the requested size.
public struct UnigramTrainer: Sendable {
  /// The vocabulary size to reach (special and unknown tokens included).
  public var vocabularySize: Int
  /// The longest piece, in characters.
  public var maximumPieceLength = 16
  /// Candidates kept before EM starts, as a multiple of the vocabulary size.
  public var seedFactor = 8
  /// The share of the pieces kept at each pruning round.
  public var shrinking = 0.75
  /// EM iterations between pruning rounds.
  public var iterations = 2
  /// The unknown token, put first in the vocabulary unless a special token.
  public var unknownToken = "<unk>"
  /// Tokens put first in the vocabulary.
  public var specialTokens: [String] = []

  public init(vocabularySize: Int) { self.vocabularySize = vocabularySize }

  /// Trains on distinct words with counts (words as Metaspace pieces, e.g. "▁the").
  public func train(wordCounts: [(word: String, count: Int)]) throws -> UnigramModel {
    guard !wordCounts.isEmpty else { throw TokenizerTrainingError.emptyCorpus }
    let words = wordCounts.map { Array($0.word) }
    let weights = wordCounts.map { Double($0.count) }
    // Seed: every character (never pruned) and the most frequent longer substrings.
    var frequency: [String: Double] = [:]
    var characters = Set<String>()
    for (word, count) in zip(words, weights) {
      for start in word.indices {
        characters.insert(String(word[start]))
        for end in (start + 1)...min(word.count, start + maximumPieceLength) {
          frequency[String(word[start..<end]), default: 0] += count
        }
      }
    }
    let reserved = Set(specialTokens + [unknownToken]).count
    let target = max(vocabularySize - reserved, characters.count)
    let seeds = frequency.filter { $0.key.count > 1 && $0.value >= 2 }
      .sorted { ($0.value * Double($0.key.count), $1.key) > ($1.value * Double($1.key.count), $0.key) }
      .prefix(target * seedFactor).map(\.key)
    let candidates = characters.sorted() + seeds
    let index = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($0.element, $0.offset) })
    let protected = candidates.indices.map { $0 < characters.count }
    // Each word's lattice, built once: the candidate pieces starting at each position.
    let lattices = words.map { lattice(of: $0, index) }
    var scores = normalized(candidates.map { frequency[$0] ?? 1 })
    var alive = candidates.count
    while true {
      for _ in 0..<iterations { scores = normalized(counts(scores, lattices, weights)) }
      guard alive > target, alive > characters.count else { break }
      let keep = max(target, Int(Double(alive) * shrinking))
      scores = prune(scores, lattices, weights, candidates, index, protected, keep: keep)
      alive = scores.filter { $0 > -.infinity }.count
    }
    // The vocabulary: specials and the unknown token first, then pieces by score.
    let ordered = candidates.indices.filter { scores[$0] > -.infinity }
      .sorted { (scores[$0], candidates[$1]) > (scores[$1], candidates[$0]) }
    var entries: [(String, Double)] = specialTokens.map { ($0, 0) }
    if !specialTokens.contains(unknownToken) { entries.append((unknownToken, 0)) }
    entries += ordered.map { (candidates[$0], scores[$0]) }
    let unknownID = entries.firstIndex { $0.0 == unknownToken }!
    return UnigramModel(pieces: entries, unknownID: unknownID)
  }

  /// For each position of `word`, the candidate pieces starting there: (end, piece id).
  private func lattice(of word: [Character], _ index: [String: Int]) -> [[(end: Int, id: Int)]] {
    word.indices.map { start in
      ((start + 1)...min(word.count, start + maximumPieceLength)).compactMap { end in
        index[String(word[start..<end])].map { (end, $0) }
      }
    }
  }

  /// Log-probabilities from counts; pieces with no count are removed (−∞).
  private func normalized(_ counts: [Double]) -> [Double] {
    let total = counts.filter { $0 > 0 }.reduce(0, +)
    return counts.map { $0 > 0 ? log($0 / total) : -.infinity }
  }

  /// Hard-EM counts: how often each piece is used by the Viterbi segmentations.
  private func counts(_ scores: [Double], _ lattices: [[[(end: Int, id: Int)]]], _ weights: [Double])
    -> [Double]
  {
    var counts = [Double](repeating: 0, count: scores.count)
    for (lattice, weight) in zip(lattices, weights) {
      for id in segment(lattice, scores) { counts[id] += weight }
    }
    // A surviving piece never chosen keeps a tiny count rather than vanishing mid-round.
    return zip(counts, scores).map { count, score in score > -.infinity ? max(count, 1e-3) : 0 }
  }

  /// The ids of the best segmentation (Viterbi) of a word's lattice under `scores`.
  public func segment(_ lattice: [[(end: Int, id: Int)]], _ scores: [Double]) -> [Int] {
    let n = lattice.count
    var best = [(score: Double, start: Int, id: Int)](repeating: (-.infinity, -1, -1), count: n + 1)
    best[0] = (0, 0, -1)
    for start in 0..<n where best[start].score > -.infinity {
      for (end, id) in lattice[start] where scores[id] > -.infinity {
        let score = best[start].score + scores[id]
        if score > best[end].score { best[end] = (score, start, id) }
      }
    }
    var result: [Int] = []
    var end = n
    while end > 0, best[end].start >= 0 {
      result.append(best[end].id)
      end = best[end].start
    }
    return result.reversed()
  }

  /// Keeps the `keep` pieces whose removal would lose the most likelihood: a piece's loss is
  /// its count times how much worse its own best split into other pieces scores.
  private func prune(
    _ scores: [Double], _ lattices: [[[(end: Int, id: Int)]]], _ weights: [Double], _ candidates: [String],
    _ index: [String: Int], _ protected: [Bool], keep: Int
  ) -> [Double] {
    var used = [Double](repeating: 0, count: scores.count)
    for (lattice, weight) in zip(lattices, weights) {
      for id in segment(lattice, scores) { used[id] += weight }
    }
    var without = scores
    var loss: [(id: Int, loss: Double)] = []
    for id in scores.indices where scores[id] > -.infinity && !protected[id] {
      without[id] = -.infinity  // restored below: no copy of the table per piece
      let alternative = segment(lattice(of: Array(candidates[id]), index), without).reduce(0) {
        $0 + without[$1]
      }
      without[id] = scores[id]
      loss.append((id, used[id] * (scores[id] - alternative)))
    }
    let protectedCount = protected.filter { $0 }.count
    let kept = Set(
      loss.sorted { ($0.loss, candidates[$1.id]) > ($1.loss, candidates[$0.id]) }
        .prefix(max(0, keep - protectedCount)).map(\.id))
    return scores.indices.map { protected[$0] || kept.contains($0) ? scores[$0] : -.infinity }
  }
}

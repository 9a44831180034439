import GlossaTensor
import GlossaText

/// A word that a query needs is not among the vectors.
public struct UnknownWordError: Error, CustomStringConvertible, Equatable {
  /// The missing word.
  public let word: String
  public var description: String { "'\(word)' is not in the vocabulary" }
}

/// Words and their vectors, apart from whatever trained them (gensim's `KeyedVectors`): lookup,
/// cosine similarity, nearest neighbours and analogies. Queries score every word at once with
/// one matrix–vector product over the unit-length vectors.
public struct KeyedVectors: Sendable {
  /// The words, most frequent first when a trainer made them.
  public let words: [String]
  /// The length of each vector.
  public let dimension: Int
  /// The vectors, row-major: word `i` is `vectors[i * dimension ..< (i + 1) * dimension]`.
  public let vectors: [Float]
  /// The vectors scaled to unit length (a zero vector stays zero).
  public let unitVectors: [Float]
  /// Word → row (the first row of a word listed twice).
  private let index: Vocabulary

  /// Vectors for `words`, `dimension` numbers each, row after row. When a word appears twice
  /// the first row is the one looked up.
  public init(words: [String], dimension: Int, vectors: [Float]) {
    require(dimension > 0, "KeyedVectors: the dimension must be positive, not \(dimension)")
    require(
      vectors.count == words.count * dimension,
      "KeyedVectors: \(words.count) words × \(dimension) dimensions need \(words.count * dimension) numbers, not \(vectors.count)"
    )
    self.words = words
    self.dimension = dimension
    self.vectors = vectors
    var rows: [String: Int] = [:]
    rows.reserveCapacity(words.count)
    for (i, word) in words.enumerated() where rows[word] == nil { rows[word] = i }
    index = Vocabulary(ids: rows, unknownToken: nil)
    var unit = vectors
    unit.withUnsafeMutableBufferPointer { rows in
      for i in 0..<words.count { normalize(rows.baseAddress! + i * dimension, dimension) }
    }
    unitVectors = unit
  }

  /// The number of words.
  public var count: Int { words.count }

  /// The row of `word`, or nil when it has no vector.
  public func index(of word: String) -> Int? { index.id(of: word) }

  /// Whether `word` has a vector.
  public func contains(_ word: String) -> Bool { index.contains(word) }

  /// The vector of `word`.
  public func vector(_ word: String) throws -> [Float] {
    let row = try row(of: word)
    return Array(vectors[row * dimension..<(row + 1) * dimension])
  }

  /// The unit-length vector of `word`.
  public func unitVector(_ word: String) throws -> [Float] {
    let row = try row(of: word)
    return Array(unitVectors[row * dimension..<(row + 1) * dimension])
  }

  func row(of word: String) throws -> Int {
    guard let row = index.id(of: word) else { throw UnknownWordError(word: word) }
    return row
  }

  /// The cosine similarity of two words: u·v / (‖u‖‖v‖).
  public func similarity(_ first: String, _ second: String) throws -> Float {
    let (a, b) = (try row(of: first), try row(of: second))
    return unitVectors.withUnsafeBufferPointer {
      BLAS.dot(count: dimension, x: $0.baseAddress! + a * dimension, y: $0.baseAddress! + b * dimension)
    }
  }

  /// The cosine similarity of two vectors, u·v / (‖u‖‖v‖) (0 when either is zero).
  public static func cosineSimilarity(_ u: [Float], _ v: [Float]) -> Float {
    require(u.count == v.count, "cosineSimilarity: vectors of \(u.count) and \(v.count) numbers")
    let (nu, nv) = (BLAS.nrm2(count: u.count, x: u), BLAS.nrm2(count: v.count, x: v))
    guard nu > 0 && nv > 0 else { return 0 }
    return BLAS.dot(count: u.count, x: u, y: v) / (nu * nv)
  }

  /// The cosine similarity of `vector` with each of the first `limit` words (all by default).
  public func cosineSimilarities(to vector: [Float], limit: Int? = nil) -> [Float] {
    require(vector.count == dimension, "cosineSimilarities: a vector of \(vector.count), not \(dimension)")
    var query = vector
    query.withUnsafeMutableBufferPointer { normalize($0.baseAddress!, dimension) }
    let rows = Swift.min(limit ?? count, count)
    var scores = [Float](repeating: 0, count: rows)
    guard rows > 0 else { return scores }
    unitVectors.withUnsafeBufferPointer { matrix in
      BLAS.gemv(
        transpose: false, rows: rows, columns: dimension, a: matrix.baseAddress!, lda: dimension,
        x: query, y: &scores)
    }
    return scores
  }

  /// The `top` words most similar to the mean of the positive words' unit vectors minus the
  /// negative words' (gensim's `most_similar`; for analogies this is 3CosAdd:
  /// b − a + c), leaving out the query words. `limit` restricts the candidates to the first
  /// `limit` words.
  public func mostSimilar(
    positive: [String], negative: [String] = [], top: Int = 10, limit: Int? = nil
  ) throws -> [(word: String, score: Float)] {
    try mostSimilar(
      positive: positive.map(row(of:)), negative: negative.map(row(of:)), top: top, limit: limit)
  }

  /// ``mostSimilar(positive:negative:top:limit:)`` for words given by row.
  func mostSimilar(positive: [Int], negative: [Int], top: Int, limit: Int?) -> [(word: String, score: Float)]
  {
    require(!(positive + negative).isEmpty, "mostSimilar: give at least one word")
    let mean = sumOfUnitRows(positive, minus: negative)
    return best(cosineSimilarities(to: mean, limit: limit), top: top, excluding: Set(positive + negative))
  }

  /// Σ of the positive rows' unit vectors minus the negative rows' (a mean up to its length,
  /// which cosine similarity ignores).
  private func sumOfUnitRows(_ positive: [Int], minus negative: [Int] = []) -> [Float] {
    var sum = [Float](repeating: 0, count: dimension)
    for (rows, weight) in [(positive, Float(1)), (negative, -1)] {
      for row in rows { for d in 0..<dimension { sum[d] += weight * unitVectors[row * dimension + d] } }
    }
    return sum
  }

  /// The `top` words nearest to a vector, by cosine similarity.
  public func mostSimilar(to vector: [Float], top: Int = 10, limit: Int? = nil) -> [(
    word: String, score: Float
  )] {
    best(cosineSimilarities(to: vector, limit: limit), top: top, excluding: [])
  }

  /// 3CosMul (Levy & Goldberg 2014, eq. 4): the words maximising
  /// ∏ cos′(w, p) / (∏ cos′(w, n) + ε), with cos′ = (1 + cos) / 2 so every factor is positive
  /// and ε = 10⁻⁶ (gensim's `most_similar_cosmul`).
  public func mostSimilarCosMul(
    positive: [String], negative: [String] = [], top: Int = 10, limit: Int? = nil
  ) throws -> [(word: String, score: Float)] {
    try mostSimilarCosMul(
      positive: positive.map(row(of:)), negative: negative.map(row(of:)), top: top, limit: limit)
  }

  /// ``mostSimilarCosMul(positive:negative:top:limit:)`` for words given by row.
  func mostSimilarCosMul(positive: [Int], negative: [Int], top: Int, limit: Int?) -> [(
    word: String, score: Float
  )] {
    let rows = Swift.min(limit ?? count, count)
    var numerator = [Float](repeating: 1, count: rows)
    var denominator = [Float](repeating: 1, count: rows)
    func shifted(_ word: Int) -> [Float] {
      cosineSimilarities(to: Array(unitVectors[word * dimension..<(word + 1) * dimension]), limit: limit)
        .map { (1 + $0) / 2 }
    }
    for word in positive { for (i, s) in shifted(word).enumerated() { numerator[i] *= s } }
    for word in negative { for (i, s) in shifted(word).enumerated() { denominator[i] *= s } }
    let scores = (0..<rows).map { numerator[$0] / (denominator[$0] + 1e-6) }
    return best(scores, top: top, excluding: Set(positive + negative))
  }

  /// How an analogy a : b :: c : ? is answered.
  public enum AnalogyMethod: String, Sendable, CaseIterable {
    /// 3CosAdd: the word nearest to b − a + c.
    case cosAdd = "cosadd"
    /// 3CosMul: cos(w, b) · cos(w, c) / cos(w, a), on similarities shifted to [0, 1].
    case cosMul = "cosmul"
  }

  /// The answers to "negative is to positive[0] as positive[1] is to ?" (king − man + woman).
  public func analogy(
    positive: [String], negative: [String], method: AnalogyMethod = .cosAdd, top: Int = 5, limit: Int? = nil
  ) throws -> [(word: String, score: Float)] {
    try analogy(
      positive: positive.map(row(of:)), negative: negative.map(row(of:)), method: method, top: top,
      limit: limit)
  }

  /// ``analogy(positive:negative:method:top:limit:)`` for words given by row.
  func analogy(positive: [Int], negative: [Int], method: AnalogyMethod, top: Int, limit: Int?) -> [(
    word: String, score: Float
  )] {
    switch method {
    case .cosAdd: mostSimilar(positive: positive, negative: negative, top: top, limit: limit)
    case .cosMul: mostSimilarCosMul(positive: positive, negative: negative, top: top, limit: limit)
    }
  }

  /// The word that fits least with the others: the one farthest from their mean unit vector.
  public func doesntMatch(_ words: [String]) throws -> String {
    require(!words.isEmpty, "doesntMatch: give at least one word")
    let rows = try words.map(row(of:))
    // Ranking by the dot product with the sum ranks by cosine with the mean.
    let sum = sumOfUnitRows(rows)
    let scores = unitVectors.withUnsafeBufferPointer { unit in
      rows.map { BLAS.dot(count: dimension, x: unit.baseAddress! + $0 * dimension, y: sum) }
    }
    return words[scores.indices.min { scores[$0] < scores[$1] }!]
  }

  /// The `top` highest scores with their words, best first (ties: the more frequent word), skipping `excluded` rows.
  private func best(_ scores: [Float], top: Int, excluding excluded: Set<Int>) -> [(
    word: String, score: Float
  )] {
    var kept: [Int] = []
    kept.reserveCapacity(top + 1)
    for (i, score) in scores.enumerated() where !excluded.contains(i) && score.isFinite {
      if kept.count == top, let last = kept.last, scores[last] >= score { continue }
      var position = kept.count
      while position > 0 && scores[kept[position - 1]] < score { position -= 1 }
      kept.insert(i, at: position)
      if kept.count > top { kept.removeLast() }
    }
    return kept.map { (words[$0], scores[$0]) }
  }
}

/// Scales a vector to unit length in place (a zero vector stays zero).
@inline(__always)
func normalize(_ vector: UnsafeMutablePointer<Float>, _ count: Int) {
  let norm = BLAS.nrm2(count: count, x: vector)
  guard norm > 0 else { return }
  for d in 0..<count { vector[d] /= norm }
}

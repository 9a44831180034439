import GlossaTensor

/// FastText (Bojanowski et al. 2017): skip-gram or CBOW where a word's input vector is the
/// mean of its own row and its character n-grams' rows, so words sharing pieces share
/// strength, and a word never seen in training gets a vector from its n-grams. Defaults
/// are fastText's, except the n-gram rows: only the buckets that training words use get a
/// row (fastText allocates all 2M), so an unseen word is built from the n-grams it shares
/// with training words.
public struct FastText: Sendable {
  /// Skip-gram (fastText's `skipgram`) or CBOW.
  public var architecture: Word2Vec.Architecture
  /// The length of the vectors.
  public var dimension: Int
  /// The largest distance between a word and a context word.
  public var window: Int
  /// Noise words per prediction (negative sampling).
  public var negatives: Int
  /// Words seen fewer times are left out.
  public var minimumCount: Int
  /// The character n-grams: lengths and hash buckets.
  public var ngrams: CharacterNGrams
  /// The subsampling threshold t (fastText's `-t`).
  public var sample: Double
  /// Passes over the corpus.
  public var epochs: Int
  /// The starting learning rate; it falls linearly to zero.
  public var learningRate: Float
  /// Training threads; one is deterministic (see ``Word2Vec/threads``).
  public var threads: Int
  /// The seed of every random choice.
  public var seed: UInt64

  /// FastText with the given settings (fastText's defaults otherwise).
  public init(
    architecture: Word2Vec.Architecture = .skipGram, dimension: Int = 100, window: Int = 5,
    negatives: Int = 5,
    minimumCount: Int = 5, ngrams: CharacterNGrams = CharacterNGrams(), sample: Double = 1e-4,
    epochs: Int = 5,
    learningRate: Float = 0.05, threads: Int = 1, seed: UInt64 = 1
  ) {
    self.architecture = architecture
    self.dimension = dimension
    self.window = window
    self.negatives = negatives
    self.minimumCount = minimumCount
    self.ngrams = ngrams
    self.sample = sample
    self.epochs = epochs
    self.learningRate = learningRate
    self.threads = threads
    self.seed = seed
  }

  /// Counts the corpus's words, then trains on it.
  public func train(
    _ corpus: Corpus, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> FastTextVectors {
    try train(
      corpus, vocabulary: WordVocabulary(counting: corpus, minimumCount: minimumCount), progress: progress)
  }

  /// Trains on `corpus` for the words of `vocabulary`.
  public func train(
    _ corpus: Corpus, vocabulary: WordVocabulary, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> FastTextVectors {
    require(
      dimension > 0 && window > 0 && negatives > 0,
      "FastText: dimension, window and negatives must be positive")
    // Each word's units: its own row, then its n-grams' rows (a new row for each new bucket).
    var bucketRows: [Int: Int32] = [:]
    var unitStart: [Int32] = [0]
    var units: [Int32] = []
    for (id, word) in vocabulary.words.enumerated() {
      units.append(Int32(id))
      for bucket in ngrams.buckets(of: word) {
        let row = bucketRows[bucket] ?? Int32(vocabulary.count + bucketRows.count)
        bucketRows[bucket] = row
        units.append(row)
      }
      unitStart.append(Int32(units.count))
    }
    let model = PredictionModel(
      PredictionModel.Settings(
        architecture: architecture, dimension: dimension, window: window, negatives: negatives,
        sample: sample,
        noisePower: 0.5, initialization: 1 / Float(dimension), centerPredictsContext: true, seed: seed),
      vocabulary: vocabulary, inputRows: vocabulary.count + bucketRows.count, unitStart: unitStart,
      units: units)
    let loop = TrainingLoop(
      epochs: epochs, threads: threads, learningRate: learningRate, minimumLearningRate: 0)
    try loop.run(corpus: corpus, vocabulary: vocabulary, progress: progress) { thread in
      PredictionTrainer(model, seed: seed &+ UInt64(thread) &* 0x9E37_79B9_7F4A_7C15)
    }
    return FastTextVectors(
      words: vocabulary.words, dimension: dimension, ngrams: ngrams, rows: model.input.array(),
      unitStart: unitStart, units: units, bucketRows: bucketRows)
  }
}

/// FastText's word vectors: any word's vector is the mean of its rows (its own, when it was
/// a training word, and its n-grams' that training saw).
public struct FastTextVectors: Sendable {
  /// The n-gram settings the vectors were trained with.
  public let ngrams: CharacterNGrams
  /// The training words' vectors, for similarity queries and for saving as `.vec`.
  public let keyedVectors: KeyedVectors
  private let rows: [Float]
  private let bucketRows: [Int: Int32]
  private let wordCount: Int

  init(
    words: [String], dimension: Int, ngrams: CharacterNGrams, rows: [Float], unitStart: [Int32],
    units: [Int32],
    bucketRows: [Int: Int32]
  ) {
    (self.ngrams, self.rows, self.bucketRows, wordCount) = (ngrams, rows, bucketRows, words.count)
    var vectors = [Float](repeating: 0, count: words.count * dimension)
    for w in words.indices {
      let span = Int(unitStart[w])..<Int(unitStart[w + 1])
      for k in span {
        let r = Int(units[k])
        for d in 0..<dimension { vectors[w * dimension + d] += rows[r * dimension + d] }
      }
      for d in 0..<dimension { vectors[w * dimension + d] /= Float(span.count) }
    }
    keyedVectors = KeyedVectors(words: words, dimension: dimension, vectors: vectors)
  }

  /// The length of the vectors.
  public var dimension: Int { keyedVectors.dimension }

  /// The vector of any word: a training word's own, or the mean of the rows of its known
  /// n-grams; zero when it shares no n-gram with the training words.
  public func vector(_ word: String) -> [Float] {
    if let row = keyedVectors.index(of: word) {
      return Array(keyedVectors.vectors[row * dimension..<(row + 1) * dimension])
    }
    let found = ngrams.buckets(of: word).compactMap { bucketRows[$0] }
    var vector = [Float](repeating: 0, count: dimension)
    for r in found { for d in 0..<dimension { vector[d] += rows[Int(r) * dimension + d] } }
    return found.isEmpty ? vector : vector.map { $0 / Float(found.count) }
  }

  /// Cosine similarity of any two words.
  public func similarity(_ first: String, _ second: String) -> Float {
    var (a, b) = (vector(first), vector(second))
    normalizeInPlace(&a)
    normalizeInPlace(&b)
    return zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
  }

  /// The training words nearest to any word, the word itself left out.
  public func mostSimilar(_ word: String, top: Int = 10) -> [(word: String, score: Float)] {
    Array(keyedVectors.mostSimilar(to: vector(word), top: top + 1).filter { $0.word != word }.prefix(top))
  }
}

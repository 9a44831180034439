import Foundation
import GlossaData
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
  /// What that fall follows: words, as fastText does (the default), or sentences.
  public var decay: LearningRateDecay
  /// Training threads; one is deterministic (see ``Word2Vec/threads``).
  public var threads: Int
  /// The seed of every random choice.
  public var seed: UInt64
  /// Processes that train together by model averaging (see ``Word2Vec/processGroup``).
  public var processGroup: (any ProcessGroup)? = nil
  /// About how many words a process trains on between two averagings.
  public var averageEvery = 100_000

  /// FastText with the given settings (fastText's defaults otherwise).
  public init(
    architecture: Word2Vec.Architecture = .skipGram, dimension: Int = 100, window: Int = 5,
    negatives: Int = 5,
    minimumCount: Int = 5, ngrams: CharacterNGrams = CharacterNGrams(), sample: Double = 1e-4,
    epochs: Int = 5,
    learningRate: Float = 0.05, decay: LearningRateDecay = .words, threads: Int = 1, seed: UInt64 = 1
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
    self.decay = decay
    self.threads = threads
    self.seed = seed
  }

  /// Counts the corpus's words, then trains on it.
  public func train(
    _ corpus: Corpus, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> FastTextVectors {
    try train(
      corpus, vocabulary: WordCounts(counting: corpus, minimumCount: minimumCount), progress: progress)
  }

  /// Trains on `corpus` for the words of `vocabulary`.
  public func train(
    _ corpus: Corpus, vocabulary: WordCounts, progress: (@Sendable (TrainingProgress) -> Void)? = nil
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
        noisePower: 0.5, sigmoidRange: 8, initialization: 1 / Float(dimension), centerPredictsContext: true,
        seed: seed),
      vocabulary: vocabulary, inputRows: vocabulary.count + bucketRows.count, unitStart: unitStart,
      units: units)
    var loop = TrainingLoop(
      epochs: epochs, threads: threads, learningRate: learningRate, minimumLearningRate: 0, decay: decay)
    (loop.processGroup, loop.averageEvery) = (processGroup, averageEvery)
    try loop.run(
      corpus: corpus, vocabulary: vocabulary, averaged: [model.input, model.output], progress: progress
    ) { thread in
      PredictionTrainer(model, thread: thread)
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
  /// The n-grams' rows, and which row each bucket has.
  private let ngramRows: [Float]
  private let bucketRows: [Int: Int]

  /// The vectors of a trained model: `rows` holds the words' rows, then the n-grams' (the
  /// row of bucket b is `bucketRows[b]`); word w's units are `units[unitStart[w] ..< unitStart[w + 1]]`.
  init(
    words: [String], dimension: Int, ngrams: CharacterNGrams, rows: [Float], unitStart: [Int32],
    units: [Int32],
    bucketRows: [Int: Int32]
  ) {
    var vectors = [Float](repeating: 0, count: words.count * dimension)
    for w in words.indices {
      let span = Int(unitStart[w])..<Int(unitStart[w + 1])
      for k in span {
        let r = Int(units[k])
        for d in 0..<dimension { vectors[w * dimension + d] += rows[r * dimension + d] }
      }
      for d in 0..<dimension { vectors[w * dimension + d] /= Float(span.count) }
    }
    self.init(
      keyedVectors: KeyedVectors(words: words, dimension: dimension, vectors: vectors), ngrams: ngrams,
      ngramRows: Array(rows[(words.count * dimension)...]),
      bucketRows: bucketRows.mapValues { Int($0) - words.count })
  }

  private init(
    keyedVectors: KeyedVectors, ngrams: CharacterNGrams, ngramRows: [Float], bucketRows: [Int: Int]
  ) {
    (self.keyedVectors, self.ngrams, self.ngramRows, self.bucketRows) = (
      keyedVectors, ngrams, ngramRows, bucketRows
    )
  }

  /// The length of the vectors.
  public var dimension: Int { keyedVectors.dimension }

  /// The vector of any word: a training word's own, or the mean of the rows of its known
  /// n-grams; zero when it shares no n-gram with the training words.
  public func vector(_ word: String) -> [Float] {
    if let own = try? keyedVectors.vector(word) { return own }
    let found = ngrams.buckets(of: word).compactMap { bucketRows[$0] }
    var vector = [Float](repeating: 0, count: dimension)
    for r in found { for d in 0..<dimension { vector[d] += ngramRows[r * dimension + d] } }
    return found.isEmpty ? vector : vector.map { $0 / Float(found.count) }
  }

  /// Cosine similarity of any two words.
  public func similarity(_ first: String, _ second: String) -> Float {
    KeyedVectors.cosineSimilarity(vector(first), vector(second))
  }

  /// The training words nearest to any word, the word itself left out.
  public func mostSimilar(_ word: String, top: Int = 10) -> [(word: String, score: Float)] {
    Array(keyedVectors.mostSimilar(to: vector(word), top: top + 1).filter { $0.word != word }.prefix(top))
  }
}

extension FastTextVectors {
  /// Saves the whole model as safetensors, so that unseen words still get vectors after
  /// loading it: tensors `vectors` (words × dimension), `ngram_vectors` (n-gram rows ×
  /// dimension) and `ngram_buckets` (I64, each row's bucket); the words and n-gram settings
  /// in the metadata. Written to a temporary file and renamed.
  public func write(to url: URL) throws {
    let buckets = bucketRows.sorted { $0.value < $1.value }.map(\.key)
    var file = SafeTensors(
      stateDict: [
        "vectors": Tensor(keyedVectors.vectors, shape: [keyedVectors.count, dimension]),
        "ngram_vectors": Tensor(ngramRows, shape: [buckets.count, dimension]),
      ],
      metadata: [
        "format": Self.format, "minn": String(ngrams.minimum), "maxn": String(ngrams.maximum),
        "buckets": String(ngrams.buckets),
        "words": String(
          decoding: try JSONSerialization.data(withJSONObject: keyedVectors.words), as: UTF8.self),
      ])
    file.set("ngram_buckets", integers: buckets, shape: [buckets.count])
    try file.write(to: url)
  }

  static let format = "glossa-fasttext"

  /// Loads a model saved by ``write(to:)``.
  public init(contentsOf url: URL) throws {
    let file = try SafeTensors(contentsOf: url)
    func fail(_ reason: String) -> EmbeddingModelFileError {
      EmbeddingModelFileError(path: url.path, reason: reason)
    }
    guard file.metadata["format"] == Self.format else {
      throw fail("no 'format: \(Self.format)' metadata")
    }
    guard let minimum = file.metadata["minn"].flatMap(Int.init),
      let maximum = file.metadata["maxn"].flatMap(Int.init),
      let bucketCount = file.metadata["buckets"].flatMap(Int.init)
    else { throw fail("the n-gram settings (minn, maxn, buckets) are missing") }
    guard minimum >= 1, maximum >= minimum, bucketCount >= 1 else {
      throw fail(
        "the n-gram settings minn \(minimum), maxn \(maximum), buckets \(bucketCount): expected 1 ≤ minn ≤ maxn and buckets ≥ 1"
      )
    }
    guard let json = file.metadata["words"],
      let words = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
    else { throw fail("the 'words' metadata is not a JSON list of strings") }
    guard let vectors = try file.tensor("vectors"), vectors.shape.count == 2, vectors.shape[0] == words.count,
      vectors.shape[1] > 0,
      let rows = try file.tensor("ngram_vectors"), rows.shape.count == 2, rows.shape[1] == vectors.shape[1],
      let buckets = try file.integers("ngram_buckets"), buckets.count == rows.shape[0]
    else { throw fail("expected vectors [\(words.count), d], ngram_vectors [r, d] and ngram_buckets [r]") }
    var bucketRows: [Int: Int] = [:]
    for (row, bucket) in buckets.enumerated() { bucketRows[bucket] = row }
    self.init(
      keyedVectors: KeyedVectors(words: words, dimension: vectors.shape[1], vectors: vectors.scalars),
      ngrams: CharacterNGrams(minimum: minimum, maximum: maximum, buckets: bucketCount),
      ngramRows: rows.scalars,
      bucketRows: bucketRows)
  }
}

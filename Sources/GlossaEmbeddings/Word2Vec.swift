import GlossaTensor

/// Word2Vec (Mikolov et al. 2013), the lecture's two architectures: CBOW predicts a word from
/// the mean of its context's vectors; skip-gram predicts each context word from the word. The
/// output layer is negative sampling or hierarchical softmax. Frequent words are subsampled,
/// the window shrinks at random (nearer words count more), and the learning rate decays
/// linearly. Defaults are gensim's.
public struct Word2Vec: Sendable {
  /// Which way the prediction goes.
  public enum Architecture: String, Sendable, CaseIterable {
    /// Target word → each context word.
    case skipGram = "skipgram"
    /// Mean of the context words → target word.
    case cbow
  }

  /// How the softmax over the vocabulary is avoided.
  public enum OutputLayer: Sendable, Equatable {
    /// Tell the true word from `k` noise words drawn from unigram^0.75 (eq. 4 of Mikolov et
    /// al. 2013b): log σ(v′_w · h) + Σ log σ(−v′_n · h).
    case negativeSampling(Int)
    /// Walk the Huffman tree to the word: a product of binary decisions.
    case hierarchicalSoftmax
  }

  public var architecture: Architecture
  /// The length of the vectors.
  public var dimension: Int
  /// The largest distance between a word and a context word.
  public var window: Int
  public var output: OutputLayer
  /// Words seen fewer times are left out.
  public var minimumCount: Int
  /// The subsampling threshold t (0: none).
  public var sample: Double
  public var epochs: Int
  /// The starting learning rate and its floor.
  public var learningRate: Float
  public var minimumLearningRate: Float
  /// Training threads. With more than one, threads update the vectors without locks
  /// (Hogwild) and results vary from run to run; one thread is deterministic: the same seed
  /// gives the same vectors, bit for bit.
  public var threads: Int
  public var seed: UInt64

  public init(
    architecture: Architecture = .skipGram, dimension: Int = 100, window: Int = 5,
    output: OutputLayer = .negativeSampling(5), minimumCount: Int = 5, sample: Double = 1e-3,
    epochs: Int = 5, learningRate: Float = 0.025, minimumLearningRate: Float = 0.0001, threads: Int = 1,
    seed: UInt64 = 1
  ) {
    self.architecture = architecture
    self.dimension = dimension
    self.window = window
    self.output = output
    self.minimumCount = minimumCount
    self.sample = sample
    self.epochs = epochs
    self.learningRate = learningRate
    self.minimumLearningRate = minimumLearningRate
    self.threads = threads
    self.seed = seed
  }

  /// Counts the corpus's words, then trains on it.
  public func train(
    _ corpus: Corpus, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> KeyedVectors {
    try train(corpus, vocabulary: WordVocabulary(counting: corpus, minimumCount: minimumCount), progress: progress)
  }

  /// Trains on `corpus` for the words of `vocabulary`.
  public func train(
    _ corpus: Corpus, vocabulary: WordVocabulary, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> KeyedVectors {
    require(dimension > 0 && window > 0, "Word2Vec: dimension and window must be positive")
    let state = Word2VecState(self, vocabulary: vocabulary)
    let loop = TrainingLoop(
      epochs: epochs, threads: threads, learningRate: learningRate, minimumLearningRate: minimumLearningRate)
    try loop.run(corpus: corpus, vocabulary: vocabulary, progress: progress) { thread in
      Word2VecTrainer(state, seed: seed &+ UInt64(thread) &* 0x9E37_79B9_7F4A_7C15)
    }
    return KeyedVectors(words: vocabulary.words, dimension: dimension, vectors: state.input.array())
  }
}

/// The weights all threads share: input vectors (the embeddings), output vectors (one per
/// word for negative sampling, one per inner tree node for hierarchical softmax).
final class Word2VecState: Sendable {
  let settings: Word2Vec
  let input: SharedMatrix
  let output: SharedMatrix
  let noise: NoiseDistribution
  let tree: HuffmanTree
  let keep: [UInt32]

  init(_ settings: Word2Vec, vocabulary: WordVocabulary) {
    self.settings = settings
    let (words, d) = (vocabulary.count, settings.dimension)
    input = SharedMatrix(rows: words, columns: d)
    output = SharedMatrix(rows: words, columns: d)
    // Input vectors start uniform in [−0.5, 0.5) / d, output vectors at zero (word2vec).
    var random = SeededGenerator(seed: settings.seed)
    for i in 0..<words * d { input.base[i] = (random.nextUnitFloat() - 0.5) / Float(d) }
    let negativeSampling = settings.output != .hierarchicalSoftmax
    noise = NoiseDistribution(counts: negativeSampling ? vocabulary.counts : [])
    tree = HuffmanTree(counts: negativeSampling ? [] : vocabulary.counts)
    keep = vocabulary.keepThresholds(sample: settings.sample)
  }
}

/// One thread's trainer: its random generator and scratch rows.
final class Word2VecTrainer: SentenceTrainer {
  let state: Word2VecState
  let input: UnsafeMutablePointer<Float>
  let output: UnsafeMutablePointer<Float>
  let noise: NoiseDistribution
  let tree: HuffmanTree
  let sigmoid = SigmoidTable()
  var random: SeededGenerator
  let dimension: Int
  let window: Int
  let negatives: Int
  /// The hidden layer h (CBOW: the context mean) and the gradient gathered for it.
  let hidden: UnsafeMutablePointer<Float>
  let gradient: UnsafeMutablePointer<Float>
  /// The output rows of one prediction and their labels.
  let targets: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
  let labels: UnsafeMutablePointer<Float>
  let scores: UnsafeMutablePointer<Float>
  var kept: [Int32] = []

  init(_ state: Word2VecState, seed: UInt64) {
    self.state = state
    (input, output, noise, tree) = (state.input.base, state.output.base, state.noise, state.tree)
    random = SeededGenerator(seed: seed)
    (dimension, window) = (state.settings.dimension, state.settings.window)
    if case .negativeSampling(let k) = state.settings.output { negatives = k } else { negatives = 0 }
    hidden = .allocate(capacity: dimension)
    gradient = .allocate(capacity: dimension)
    let longestPath = zip(tree.start.dropFirst(), tree.start).map { Int($0 - $1) }.max() ?? 0
    targets = .allocate(capacity: max(negatives + 1, longestPath))
    labels = .allocate(capacity: max(negatives + 1, longestPath))
    scores = .allocate(capacity: max(negatives + 1, longestPath))
  }

  deinit {
    hidden.deallocate()
    gradient.deallocate()
    targets.deallocate()
    labels.deallocate()
    scores.deallocate()
  }

  @inline(__always)
  private func row(_ matrix: UnsafeMutablePointer<Float>, _ i: Int32) -> UnsafeMutablePointer<Float> {
    matrix + Int(i) * dimension
  }

  func train(_ sentence: UnsafeBufferPointer<Int32>, learningRate alpha: Float) {
    var random = self.random
    defer { self.random = random }
    // Subsampling: drop each occurrence of a frequent word with probability 1 − keep.
    kept.removeAll(keepingCapacity: true)
    state.keep.withUnsafeBufferPointer { keep in
      for word in sentence where UInt32(truncatingIfNeeded: random.next()) <= keep[Int(word)] { kept.append(word) }
    }
    kept.withUnsafeBufferPointer { words in
      for i in 0..<words.count {
        // A random window in 1 ... window around position i.
        let reach = window - Int(random.next() % UInt64(window))
        let context = max(0, i - reach)..<min(words.count, i + reach + 1)
        switch state.settings.architecture {
        case .skipGram:
          for j in context where j != i {
            let h = row(input, words[j])
            gradient.initialize(repeating: 0, count: dimension)
            predict(words[i], from: h, alpha, &random)
            VectorKernels.axpy(1, gradient, h, dimension)
          }
        case .cbow:
          let count = context.count - 1
          guard count > 0 else { continue }
          hidden.initialize(repeating: 0, count: dimension)
          for j in context where j != i { VectorKernels.axpy(1, row(input, words[j]), hidden, dimension) }
          VectorKernels.scale(1 / Float(count), hidden, hidden, dimension)
          gradient.initialize(repeating: 0, count: dimension)
          predict(words[i], from: hidden, alpha, &random)
          // Each context word gets the whole gradient of the mean (as word2vec and gensim do).
          for j in context where j != i { VectorKernels.axpy(1, gradient, row(input, words[j]), dimension) }
        }
      }
    }
  }

  /// One gradient step on the output layer for predicting `word` from hidden vector `h`;
  /// the step for `h` is added to `gradient`. For an output row v with label ℓ (1 for the
  /// true word or branch), ∂ log-likelihood / ∂(v·h) = ℓ − σ(v·h).
  @inline(__always)
  private func predict(
    _ word: Int32, from h: UnsafeMutablePointer<Float>, _ alpha: Float, _ random: inout SeededGenerator
  ) {
    var count = 0
    if negatives > 0 {
      (targets[0], labels[0]) = (row(output, word), 1)
      count = 1
      for _ in 0..<negatives {
        let noiseWord = noise.sample(random.next())
        guard noiseWord != word else { continue }
        (targets[count], labels[count]) = (row(output, noiseWord), 0)
        count += 1
      }
    } else {
      for p in Int(tree.start[Int(word)])..<Int(tree.start[Int(word) + 1]) {
        (targets[count], labels[count]) = (row(output, tree.nodes[p]), 1 - Float(tree.codes[p]))
        count += 1
      }
    }
    // All the dot products first: independent reads, whose memory latencies overlap. (Only a
    // noise word drawn twice sees its first update late.)
    for k in 0..<count { VectorKernels.prefetch(targets[k], dimension) }
    for k in 0..<count { scores[k] = VectorKernels.dot(targets[k], h, dimension) }
    for k in 0..<count {
      let v = targets[k]
      let g = (labels[k] - sigmoid(scores[k])) * alpha
      VectorKernels.axpy(g, v, gradient, dimension)
      VectorKernels.axpy(g, h, v, dimension)
    }
  }
}

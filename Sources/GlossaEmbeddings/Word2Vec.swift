import GlossaData
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

  /// Skip-gram or CBOW.
  public var architecture: Architecture
  /// The length of the vectors.
  public var dimension: Int
  /// The largest distance between a word and a context word.
  public var window: Int
  /// Negative sampling or hierarchical softmax.
  public var output: OutputLayer
  /// Words seen fewer times are left out.
  public var minimumCount: Int
  /// The subsampling threshold t (0: none).
  public var sample: Double
  /// Passes over the corpus.
  public var epochs: Int
  /// The starting learning rate and its floor.
  public var learningRate: Float
  public var minimumLearningRate: Float
  /// What the linear decay of the learning rate follows: sentences, as gensim does (the
  /// default), or words, as word2vec's C tool does.
  public var decay: LearningRateDecay
  /// Training threads. With more than one, threads update the vectors without locks
  /// (Hogwild) and results vary from run to run; one thread is deterministic: the same seed
  /// gives the same vectors, bit for bit.
  public var threads: Int
  /// The seed of every random choice.
  public var seed: UInt64
  /// Processes that train together (e.g. under `mpirun`, GlossaDistributed's
  /// `MPICommunicator`): each trains on its share of the corpus, and their models are averaged
  /// after about every ``averageEvery`` words a process trains on, and at the end, so that all
  /// end with the same vectors. nil: this process alone.
  public var processGroup: (any ProcessGroup)? = nil
  /// About how many words a process trains on between two averagings.
  public var averageEvery = 100_000
  /// Word ids kept in memory for the epochs after the first (see ``TrainingLoop/idLimit``).
  var idLimit = TrainingLoop.defaultIDLimit

  /// Word2Vec with the given settings (gensim's defaults otherwise).
  public init(
    architecture: Architecture = .skipGram, dimension: Int = 100, window: Int = 5,
    output: OutputLayer = .negativeSampling(5), minimumCount: Int = 5, sample: Double = 1e-3,
    epochs: Int = 5, learningRate: Float = 0.025, minimumLearningRate: Float = 0.0001,
    decay: LearningRateDecay = .sentences, threads: Int = 1, seed: UInt64 = 1
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
    self.decay = decay
    self.threads = threads
    self.seed = seed
  }

  /// Counts the corpus's words, then trains on it; the vectors.
  public func train(
    _ corpus: Corpus, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> KeyedVectors {
    try fit(corpus, progress: progress).vectors
  }

  /// Trains on `corpus` for the words of `vocabulary`; the vectors.
  public func train(
    _ corpus: Corpus, vocabulary: WordCounts, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> KeyedVectors {
    try fit(corpus, vocabulary: vocabulary, progress: progress).vectors
  }

  /// Counts the corpus's words, then trains on it; the whole model, which can be saved and
  /// trained further.
  public func fit(
    _ corpus: Corpus, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> Word2VecModel {
    try fit(corpus, vocabulary: WordCounts(counting: corpus, minimumCount: minimumCount), progress: progress)
  }

  /// Trains on `corpus` for the words of `vocabulary`; the whole model.
  public func fit(
    _ corpus: Corpus, vocabulary: WordCounts, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> Word2VecModel {
    let model = Word2VecModel(settings: self, words: vocabulary)
    try model.train(corpus, progress: progress)
    return model
  }

  /// The prediction network's settings.
  var networkSettings: PredictionModel.Settings {
    require(dimension > 0 && window > 0, "Word2Vec: dimension and window must be positive")
    var negatives = 0
    if case .negativeSampling(let k) = output { negatives = k }
    return PredictionModel.Settings(
      architecture: architecture, dimension: dimension, window: window, negatives: negatives, sample: sample,
      initialization: 1 / Float(dimension), seed: seed)
  }
}

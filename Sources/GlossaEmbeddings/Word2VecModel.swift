import Foundation
import GlossaData
import GlossaTensor
import GlossaText

/// A Word2Vec model, as gensim's `Word2Vec` keeps it beside the `KeyedVectors` it produces:
/// the settings it was trained with, the words it knows with their counts and the corpus's
/// size, the input vectors (the embeddings) and the output layer (a row per word for negative
/// sampling, per inner node of the Huffman tree for hierarchical softmax). It can be saved
/// whole (``write(to:)``, as safetensors) and trained further on more text
/// (``train(_:epochs:progress:)``); ``vectors`` are what queries use.
public final class Word2VecModel: @unchecked Sendable {
  /// The settings.
  public let settings: Word2Vec
  /// The words the model knows, with their counts and the corpus's size.
  public let words: WordCounts
  let network: PredictionModel

  /// An untrained model for `words` (input rows random, output rows zero), or one with the
  /// given weights.
  init(settings: Word2Vec, words: WordCounts, weights: (input: [Float], output: [Float])? = nil) {
    self.settings = settings
    self.words = words
    network = PredictionModel(settings.networkSettings, vocabulary: words, weights: weights)
  }

  /// The word vectors (the input layer), for queries and for vector files.
  public var vectors: KeyedVectors {
    KeyedVectors(words: words.words, dimension: settings.dimension, vectors: network.input.array())
  }

  /// Trains on `corpus` for the model's words (others are skipped, as gensim's `train` does
  /// without a vocabulary update), for `epochs` passes (the settings' by default), the
  /// learning rate falling again from its start to its floor. One thread gives the same
  /// result every time.
  public func train(
    _ corpus: Corpus, epochs: Int? = nil, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws {
    var loop = TrainingLoop(
      epochs: epochs ?? settings.epochs, threads: settings.threads, learningRate: settings.learningRate,
      minimumLearningRate: settings.minimumLearningRate, decay: settings.decay, idLimit: settings.idLimit)
    (loop.processGroup, loop.averageEvery) = (settings.processGroup, settings.averageEvery)
    try loop.run(
      corpus: corpus, vocabulary: words, averaged: [network.input, network.output], progress: progress
    ) { [network] thread in
      PredictionTrainer(network, thread: thread)
    }
  }

  /// Saves the whole model as safetensors: tensors `input` and `output` (words × dimension)
  /// and `counts` (I64, each word's count); the words, the corpus's size and the settings in
  /// the metadata. Written to a temporary file and renamed.
  public func write(to url: URL) throws {
    let d = settings.dimension
    var file = SafeTensors(
      stateDict: [
        "input": Tensor(network.input.array(), shape: [words.count, d]),
        "output": Tensor(network.output.array(), shape: [words.count, d]),
      ],
      metadata: try Self.metadata(settings, words))
    file.set("counts", integers: words.counts, shape: [words.count])
    try file.write(to: url)
  }

  /// Loads a model saved by ``write(to:)``.
  public convenience init(contentsOf url: URL) throws {
    let file = try SafeTensors(contentsOf: url)
    func fail(_ reason: String) -> EmbeddingModelFileError {
      EmbeddingModelFileError(path: url.path, reason: reason)
    }
    guard file.metadata["format"] == Self.format else { throw fail("no 'format: \(Self.format)' metadata") }
    let meta = file.metadata
    func integer(_ key: String) throws -> Int {
      guard let value = meta[key].flatMap(Int.init) else {
        throw fail("the metadata '\(key)' is not an integer")
      }
      return value
    }
    func number(_ key: String) throws -> Double {
      guard let value = meta[key].flatMap(Double.init) else {
        throw fail("the metadata '\(key)' is not a number")
      }
      return value
    }
    guard let architecture = meta["architecture"].flatMap(Word2Vec.Architecture.init(rawValue:)) else {
      throw fail("the metadata 'architecture' is not skipgram or cbow")
    }
    guard let decay = meta["decay"].flatMap(LearningRateDecay.init(rawValue:)) else {
      throw fail("the metadata 'decay' is not words or sentences")
    }
    let negatives = try integer("negatives")
    for (key, value) in [
      ("dimension", try integer("dimension")), ("window", try integer("window")),
      ("epochs", try integer("epochs")), ("threads", try integer("threads")),
    ]
    where value <= 0 {
      throw fail("the metadata '\(key)' is \(value), expected a positive number")
    }
    guard negatives >= 0 else { throw fail("the metadata 'negatives' is \(negatives), expected 0 or more") }
    guard let seed = meta["seed"].flatMap(UInt64.init) else {
      throw fail("the metadata 'seed' is not an integer")
    }
    let settings = Word2Vec(
      architecture: architecture, dimension: try integer("dimension"), window: try integer("window"),
      output: negatives > 0 ? .negativeSampling(negatives) : .hierarchicalSoftmax,
      minimumCount: try integer("min_count"), sample: try number("sample"), epochs: try integer("epochs"),
      learningRate: Float(try number("learning_rate")),
      minimumLearningRate: Float(try number("min_learning_rate")),
      decay: decay, threads: try integer("threads"), seed: seed)
    guard let json = meta["words"],
      let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
    else { throw fail("the 'words' metadata is not a JSON list of strings") }
    let d = settings.dimension
    guard d > 0, let input = try file.tensor("input"), input.shape == [list.count, d],
      let output = try file.tensor("output"), output.shape == [list.count, d],
      let counts = try file.integers("counts"), counts.count == list.count
    else { throw fail("expected input and output [\(list.count), \(d)] and counts [\(list.count)]") }
    // Counts are summed (for subsampling): each must be 0 or more, and their sum an Int.
    var total = 0
    for count in counts {
      let (sum, overflow) = total.addingReportingOverflow(count)
      guard count >= 0, !overflow else { throw fail("the word counts are negative or sum past \(Int.max)") }
      total = sum
    }
    guard Set(list).count == list.count else { throw fail("the 'words' metadata lists a word twice") }
    let words = WordCounts(
      words: list, counts: counts, corpusWords: try integer("corpus_words"),
      corpusSentences: try integer("corpus_sentences"))
    self.init(settings: settings, words: words, weights: (input.scalars, output.scalars))
  }

  static let format = "glossa-word2vec"

  private static func metadata(_ s: Word2Vec, _ words: WordCounts) throws -> [String: String] {
    var negatives = 0
    if case .negativeSampling(let k) = s.output { negatives = k }
    return [
      "format": format, "architecture": s.architecture.rawValue, "dimension": String(s.dimension),
      "window": String(s.window), "negatives": String(negatives), "min_count": String(s.minimumCount),
      "sample": String(s.sample), "epochs": String(s.epochs), "learning_rate": String(s.learningRate),
      "min_learning_rate": String(s.minimumLearningRate), "decay": s.decay.rawValue,
      "threads": String(s.threads), "seed": String(s.seed), "corpus_words": String(words.corpusWords),
      "corpus_sentences": String(words.corpusSentences),
      "words": String(decoding: try JSONSerialization.data(withJSONObject: words.words), as: UTF8.self),
    ]
  }
}

/// A saved embedding model (Word2Vec or FastText) that cannot be read.
public struct EmbeddingModelFileError: Error, CustomStringConvertible, Equatable {
  /// The file.
  public let path: String
  /// What is wrong with it.
  public let reason: String
  public var description: String { "\(path): not a Glossa embedding model: \(reason)" }
}

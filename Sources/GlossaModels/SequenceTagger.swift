import Foundation
import GlossaData
import GlossaNN
import GlossaTensor
import GlossaText

/// A sequence tagger's architecture, as its `config.json` holds it.
public struct SequenceTaggerConfiguration: Codable, Sendable, Equatable {
  /// The tags; output k is tag `tags[k]`.
  public var tags: [String]
  /// The recurrent unit.
  public var cell: RecurrentKind = .lstm
  /// Stacked bidirectional layers.
  public var layers = 1
  /// Units per layer and direction.
  public var hidden = 128
  /// The length of a word's vector.
  public var embeddingDimension = 100
  /// The dropout after the embeddings, between layers and before the output layer.
  public var dropout: Float = 0.3
  /// Whether a CRF scores whole tag sequences (otherwise each token's tag is chosen alone).
  public var crf = false
  /// Whether each word also gets features from its characters (a bidirectional LSTM over
  /// them), for rare and unseen words.
  public var characterFeatures = false
  /// The character embedding's length and the character LSTM's units per direction.
  public var characterDimension = 25
  public var characterHidden = 25
  /// Whether words are lowercased before they are looked up (characters keep their case).
  public var lowercase = true
  /// The characters the character features know (index + 2: 0 pads, 1 is unknown).
  public var characters: [String] = []

  /// A configuration for these tags.
  public init(tags: [String]) { self.tags = tags }

  enum CodingKeys: String, CodingKey {
    case tags, cell, layers, hidden, dropout, crf, lowercase, characters
    case embeddingDimension = "embedding_dim"
    case characterFeatures = "char_features"
    case characterDimension = "char_dim"
    case characterHidden = "char_hidden"
  }
}

/// The lecture's many-to-many network, aligned: a sentence's tokens → word embeddings (and
/// character features) → a bidirectional RNN / LSTM / GRU, so that each token's tag sees its
/// right-hand context too → a linear layer per token → each token's tag, or the best whole
/// sequence under a `CRF`. Part-of-speech tagging and named entities (BIO / IOB2 / BIOES).
public final class SequenceTagger: Module {
  /// The architecture.
  public let configuration: SequenceTaggerConfiguration
  /// The words, as a word-level tokenizer.json (id 0 pads, 1 is unknown).
  public let tokenizerFile: Data
  /// Word → id.
  public let words: Vocabulary
  let characterIDs: [String: Int]
  /// The word vectors.
  public let embedding: Embedding
  /// The character vectors and the character LSTM, with character features.
  let characterEmbedding: Embedding?
  let characterRNN: RecurrentNetwork?
  /// The sentence network.
  public let rnn: RecurrentNetwork
  /// From each token's outputs to its tags' scores.
  public let output: Linear
  /// The CRF, when the configuration has one.
  public let crf: CRF?
  private let dropout: Dropout

  /// A new tagger of `configuration` over the words of `tokenizerFile` (a word-level
  /// tokenizer.json whose id 0 pads and 1 is unknown), initialised from `seed`.
  public init(configuration: SequenceTaggerConfiguration, tokenizerFile: Data, seed: UInt64 = 0) throws {
    let c = configuration
    self.configuration = c
    self.tokenizerFile = tokenizerFile
    words = try Tokenizer(json: tokenizerFile, file: "tokenizer.json").model.vocabulary
    characterIDs = Dictionary(uniqueKeysWithValues: c.characters.enumerated().map { ($1, $0 + 2) })
    embedding = Embedding(count: words.count, dimension: c.embeddingDimension, paddingIndex: 0, seed: seed)
    var inputSize = c.embeddingDimension
    if c.characterFeatures {
      characterEmbedding = Embedding(
        count: c.characters.count + 2, dimension: c.characterDimension, paddingIndex: 0, seed: seed &+ 4)
      characterRNN = RecurrentNetwork(
        kind: c.cell, inputSize: c.characterDimension, hiddenSize: c.characterHidden, bidirectional: true,
        seed: seed &+ 5)
      inputSize += 2 * c.characterHidden
    } else {
      (characterEmbedding, characterRNN) = (nil, nil)
    }
    rnn = RecurrentNetwork(
      kind: c.cell, inputSize: inputSize, hiddenSize: c.hidden, layers: c.layers, bidirectional: true,
      dropout: c.layers > 1 ? c.dropout : 0, seed: seed &+ 1)
    output = Linear(rnn.outputSize, c.tags.count, seed: seed &+ 2)
    crf = c.crf ? CRF(tags: c.tags.count, seed: seed &+ 3) : nil
    dropout = Dropout(c.dropout, seed: seed &+ 6)
  }

  public var children: [(name: String, value: Any)] {
    var result: [(name: String, value: Any)] = [("embedding", embedding)]
    if let characterEmbedding, let characterRNN {
      result += [("char_embedding", characterEmbedding), ("char_rnn", characterRNN)]
    }
    result += [("rnn", rnn), ("output", output), ("dropout", dropout)]
    if let crf { result.append(("crf", crf)) }
    return result
  }

  /// A word's id (lowercased first when the configuration says so); 1 when unknown.
  public func id(of word: String) -> Int {
    words.id(of: configuration.lowercase ? word.lowercased() : word) ?? 1
  }

  /// The tag scores of each token of a batch of sentences, `[steps, batch, tags]` (time-first),
  /// and the sentences' lengths.
  public func emissions(_ sentences: [[String]]) -> (scores: Tensor, lengths: [Int]) {
    let batch = PaddedBatch(sentences.map { $0.map(id) }, paddingID: 0)
    let out = rnn(dropout(recurrentInputs(sentences, batch)), lengths: batch.lengths).output
    return (output(dropout(out)), batch.lengths)
  }

  /// What the sentence network reads: each token's word vector, followed by its character
  /// features when the configuration has them, `[steps, batch, features]`.
  func recurrentInputs(_ sentences: [[String]], _ batch: PaddedBatch) -> Tensor {
    let x = embedding(batch.ids, shape: [batch.steps, batch.batch])
    guard let characterEmbedding, let characterRNN else { return x }
    return Tensor.concatenate(
      [x, characterFeatures(sentences, batch, characterEmbedding, characterRNN)], axis: 2)
  }

  /// Each token's character features: the final states of a bidirectional LSTM over its
  /// characters, for the distinct words of the batch, `[steps, batch, 2 · characterHidden]`
  /// (zero at padding).
  private func characterFeatures(
    _ sentences: [[String]], _ batch: PaddedBatch, _ characterEmbedding: Embedding,
    _ characterRNN: RecurrentNetwork
  ) -> Tensor {
    var distinct: [String: Int] = [:]
    var order: [String] = []
    for word in sentences.joined() where distinct[word] == nil {
      distinct[word] = order.count
      order.append(word)
    }
    let spelled = PaddedBatch(order.map { $0.map { characterIDs[String($0)] ?? 1 } }, paddingID: 0)
    let characters = characterEmbedding(spelled.ids, shape: [spelled.steps, spelled.batch])
    let state = characterRNN(characters, lengths: spelled.lengths).state.hidden  // [2, words, H]
    let features = Tensor.concatenate(
      [0, 1].map {
        state.slice(axis: 0, range: $0..<($0 + 1)).reshaped([order.count, configuration.characterHidden])
      },
      axis: 1)
    // One extra row of zeros for the padded positions.
    let padded = Tensor.concatenate(
      [features, Tensor.zeros([1, 2 * configuration.characterHidden])], axis: 0)
    var rows = [Int](repeating: order.count, count: batch.steps * batch.batch)
    for (b, sentence) in sentences.enumerated() {
      for (t, word) in sentence.enumerated() { rows[t * batch.batch + b] = distinct[word]! }
    }
    return padded.indexSelect(axis: 0, indices: rows).reshaped([
      batch.steps, batch.batch, 2 * configuration.characterHidden,
    ])
  }

  /// The mean loss of a batch: the negative log-likelihood of the true tag sequences under the
  /// CRF, or the tokens' cross-entropy.
  func loss(_ sentences: [[String]], tags: [[Int]]) -> Tensor {
    let (scores, lengths) = emissions(sentences)
    let (steps, batch) = (scores.shape[0], scores.shape[1])
    var flat = [Int](repeating: -100, count: steps * batch)
    for (b, sequence) in tags.enumerated() {
      for (t, tag) in sequence.enumerated() { flat[t * batch + b] = tag }
    }
    if let crf {
      return -crf.logLikelihood(scores, tags: flat.map { max($0, 0) }, lengths: lengths).mean()
    }
    return crossEntropy(
      scores.reshaped([steps * batch, configuration.tags.count]), targets: flat, ignoreIndex: -100)
  }

  /// The tag ids of each sentence (evaluation mode; Viterbi under the CRF).
  func tagIDs(_ sentences: [[String]]) -> [[Int]] {
    let (scores, lengths) = withoutGradients { emissions(sentences) }
    if let crf { return crf.decode(scores, lengths: lengths) }
    let best = scores.argmax(axis: 2)
    let batch = sentences.count
    return sentences.indices.map { b in (0..<lengths[b]).map { best[$0 * batch + b] } }
  }

  /// The tags of each sentence's tokens, in batches of `batchSize` (in evaluation mode).
  public func tag(_ sentences: [[String]], batchSize: Int = 64) -> [[String]] {
    let wasTraining = rnn.isTraining
    eval()
    defer { train(wasTraining) }
    return stride(from: 0, to: sentences.count, by: batchSize).flatMap { start -> [[String]] in
      let chunk = Array(sentences[start..<min(start + batchSize, sentences.count)])
      // An empty sentence has no tags; the network reads the others.
      let nonEmpty = chunk.filter { !$0.isEmpty }
      var tagged = nonEmpty.isEmpty ? [] : tagIDs(nonEmpty).map { $0.map { configuration.tags[$0] } }
      return chunk.map { $0.isEmpty ? [] : tagged.removeFirst() }
    }
  }

  static let task = "sequence-tagging"

  /// Saves the tagger as a model directory (see ``ModelDirectory``).
  public func save(to directory: URL) throws {
    try ModelDirectory.write(
      configuration: ModelDirectory.SavedConfiguration(task: Self.task, model: configuration),
      tokenizer: tokenizerFile, model: self, to: directory)
  }

  /// Loads a tagger saved by ``save(to:)``.
  public convenience init(contentsOf directory: URL) throws {
    let saved = try ModelDirectory.architecture(
      SequenceTaggerConfiguration.self, task: Self.task, in: directory)
    guard !saved.tags.isEmpty, Set(saved.tags).count == saved.tags.count,
      Set(saved.characters).count == saved.characters.count
    else {
      throw ModelFileError(
        file: directory.appendingPathComponent("config.json").path, field: "model",
        message: "no tags, or a tag or character listed twice")
    }
    var sizes =
      [
        ModelDirectory.ExpectedSize(
          field: "embedding_dim", value: saved.embeddingDimension, tensor: "embedding.weight", axis: 1)
      ]
      + ModelDirectory.recurrentSizes(
        "rnn", hidden: ("hidden", saved.hidden), layers: ("layers", saved.layers))
    if saved.characterFeatures {
      sizes.append(
        .init(field: "char_dim", value: saved.characterDimension, tensor: "char_embedding.weight", axis: 1))
      sizes += ModelDirectory.recurrentSizes("char_rnn", hidden: ("char_hidden", saved.characterHidden))
    }
    try ModelDirectory.check(sizes, dropout: saved.dropout, in: directory)
    let tokenizerURL = try ModelDirectory.file("tokenizer.json", in: directory)
    do {
      try self.init(configuration: saved, tokenizerFile: try Data(contentsOf: tokenizerURL))
    } catch { throw ModelDirectory.located(error, in: directory) }
    try ModelDirectory.loadWeights(into: self, from: directory)
    eval()
  }
}

import Foundation
import GlossaData
import GlossaNN
import GlossaTensor
import GlossaText

/// How a sequence's recurrent outputs become one vector for the classifier.
public enum Pooling: String, Sendable, Codable, CaseIterable {
  /// The final state (for a bidirectional network, the forward direction's at each sequence's
  /// end and the backward one's at its start, side by side).
  case last
  /// The mean of the outputs over the sequence's steps.
  case mean
  /// Their largest value, feature by feature.
  case max
}

/// A text classifier's architecture, as its `config.json` holds it.
public struct TextClassifierConfiguration: Codable, Sendable, Equatable {
  /// The class names; the model's output k is class `labels[k]`.
  public var labels: [String]
  /// The recurrent unit.
  public var cell: RecurrentKind = .lstm
  /// Whether the network also reads each text backwards.
  public var bidirectional = true
  /// Stacked recurrent layers.
  public var layers = 1
  /// Units per layer and direction.
  public var hidden = 128
  /// The length of a token's vector.
  public var embeddingDimension = 100
  /// The dropout after the embedding, between layers and before the output layer.
  public var dropout: Float = 0.3
  /// How the outputs are pooled.
  public var pooling: Pooling = .last
  /// Texts are cut to this many tokens.
  public var maximumLength = 100
  /// The embedding's rows: the tokenizer's vocabulary, and a padding row when it has none.
  public var vocabularySize = 0
  /// The id that pads shorter texts.
  public var paddingID = 0

  /// A configuration for these classes.
  public init(labels: [String]) { self.labels = labels }

  enum CodingKeys: String, CodingKey {
    case labels, cell, bidirectional, layers, hidden, dropout, pooling
    case embeddingDimension = "embedding_dim"
    case maximumLength = "max_length"
    case vocabularySize = "vocab_size"
    case paddingID = "pad_id"
  }
}

/// The lecture's many-to-one recurrent network for sentiment and any other text classes:
/// tokens → embedding → RNN / LSTM / GRU (uni- or bidirectional, stacked) → pooled into one
/// vector → a linear layer → softmax over the classes. Parameter names are PyTorch's for the
/// same module (`embedding.weight`, `rnn.weight_ih_l0`, `output.weight`, …).
public final class TextClassifier: Module {
  /// The architecture.
  public let configuration: TextClassifierConfiguration
  /// The tokenizer that turns a text into the embedding's ids.
  public let tokenizer: Tokenizer
  /// Its tokenizer.json, as saved with the model.
  public let tokenizerFile: Data
  /// The token vectors.
  public let embedding: Embedding
  /// The recurrent network.
  public let rnn: RecurrentNetwork
  /// The output layer, from the pooled vector to one score per class.
  public let output: Linear
  private let dropout: Dropout

  /// A new classifier of `configuration` over the tokenizer of `tokenizerFile` (a
  /// tokenizer.json), initialised from `seed`.
  public init(configuration: TextClassifierConfiguration, tokenizerFile: Data, seed: UInt64 = 0) throws {
    self.configuration = configuration
    tokenizer = try Tokenizer(json: tokenizerFile, file: "tokenizer.json")
    self.tokenizerFile = tokenizerFile
    let c = configuration
    embedding = Embedding(
      count: c.vocabularySize, dimension: c.embeddingDimension, paddingIndex: c.paddingID, seed: seed)
    rnn = RecurrentNetwork(
      kind: c.cell, inputSize: c.embeddingDimension, hiddenSize: c.hidden, layers: c.layers,
      bidirectional: c.bidirectional, dropout: c.layers > 1 ? c.dropout : 0, seed: seed &+ 1)
    output = Linear(rnn.outputSize, c.labels.count, seed: seed &+ 2)
    dropout = Dropout(c.dropout, seed: seed &+ 3)
  }

  public var children: [(name: String, value: Any)] {
    [("embedding", embedding), ("rnn", rnn), ("output", output), ("dropout", dropout)]
  }

  /// The token ids of `text`, cut to the maximum length (at least one: an empty text is one
  /// padding token).
  public func ids(_ text: String) -> [Int] {
    Array(tokenizer.encode(text).ids.prefix(configuration.maximumLength))
  }

  /// The class scores (logits) of a batch, `[batch, classes]`.
  public func logits(_ batch: PaddedBatch) -> Tensor {
    let x = dropout(embedding(batch.ids, shape: [batch.steps, batch.batch]))
    let pooled: Tensor
    switch configuration.pooling {
    case .last:
      let hidden = rnn.finalState(x, lengths: batch.lengths).hidden
      let last = hidden.shape[0] - rnn.directions
      pooled = Tensor.concatenate(
        (last..<hidden.shape[0]).map {
          hidden.slice(axis: 0, range: $0..<($0 + 1)).reshaped([batch.batch, rnn.hiddenSize])
        },
        axis: 1)
    case .mean, .max:
      let result = rnn(x, lengths: batch.lengths)
      let mask = Tensor(
        (0..<(batch.steps * batch.batch)).map { $0 / batch.batch < batch.lengths[$0 % batch.batch] ? 1 : 0 },
        shape: [batch.steps, batch.batch, 1])
      if configuration.pooling == .mean {
        let lengths = Tensor(batch.lengths.map(Float.init), shape: [batch.batch, 1])
        pooled = (result.output * mask).sum(axis: 0) / lengths
      } else {
        // Padded steps are pushed far below any output (tanh outputs lie in [−1, 1]).
        pooled = (result.output + (mask - 1) * 1e4).max(axis: 0)
      }
    }
    return output(dropout(pooled))
  }

  /// What the classifier says of one text.
  public struct Prediction: Sendable, Equatable, Encodable {
    /// The most likely class.
    public var label: String
    /// Its probability.
    public var probability: Float
    /// Every class's probability, most likely first.
    public var ranked: [RankedLabel]
  }

  /// A class and its probability.
  public struct RankedLabel: Sendable, Equatable, Encodable {
    /// The class.
    public var label: String
    /// Its probability.
    public var probability: Float
  }

  /// The class probabilities of `texts` (in evaluation mode, without gradients), in batches
  /// of `batchSize`.
  public func predict(_ texts: [String], batchSize: Int = 64) -> [Prediction] {
    let wasTraining = rnn.isTraining
    eval()
    defer { train(wasTraining) }
    return withoutGradients {
      stride(from: 0, to: texts.count, by: batchSize).flatMap { start -> [Prediction] in
        let chunk = Array(texts[start..<min(start + batchSize, texts.count)])
        let probabilities = logits(PaddedBatch(chunk.map(ids), paddingID: configuration.paddingID)).softmax()
        let classes = configuration.labels.count
        return probabilities.withUnsafeBufferPointer { p in
          (0..<chunk.count).map { b in
            let ranked = (0..<classes).map {
              RankedLabel(label: configuration.labels[$0], probability: p[b * classes + $0])
            }
            .sorted { $0.probability > $1.probability }
            return Prediction(label: ranked[0].label, probability: ranked[0].probability, ranked: ranked)
          }
        }
      }
    }
  }

  /// The header of a classifier's `config.json`.
  static let task = "text-classification"

  /// Saves the classifier as a model directory (see ``ModelDirectory``).
  public func save(to directory: URL) throws {
    try ModelDirectory.write(
      configuration: ModelDirectory.SavedConfiguration(task: Self.task, model: configuration),
      tokenizer: tokenizerFile, model: self, to: directory)
  }

  /// Loads a classifier saved by ``save(to:)``.
  public convenience init(contentsOf directory: URL) throws {
    let saved = try ModelDirectory.architecture(
      TextClassifierConfiguration.self, task: Self.task, in: directory)
    let tokenizerURL = try ModelDirectory.file("tokenizer.json", in: directory)
    let tokenizerFile = try Data(contentsOf: tokenizerURL)
    try saved.check(against: try Tokenizer(json: tokenizerFile, file: tokenizerURL.path), in: directory)
    try ModelDirectory.check(
      [
        .init(field: "vocab_size", value: saved.vocabularySize, tensor: "embedding.weight", axis: 0),
        .init(field: "embedding_dim", value: saved.embeddingDimension, tensor: "embedding.weight", axis: 1),
      ]
        + ModelDirectory.recurrentSizes(
          "rnn", hidden: ("hidden", saved.hidden), layers: ("layers", saved.layers)),
      in: directory)
    do {
      try self.init(configuration: saved, tokenizerFile: tokenizerFile)
    } catch { throw ModelDirectory.located(error, in: directory) }
    try ModelDirectory.loadWeights(into: self, from: directory)
    eval()
  }
}

extension TextClassifierConfiguration {
  /// Refuses a configuration that cannot go with its tokenizer or its own numbers.
  func check(against tokenizer: Tokenizer, in directory: URL) throws {
    let file = directory.appendingPathComponent("config.json").path
    func fail(_ field: String, _ message: String) -> ModelFileError {
      ModelFileError(file: file, field: "model.\(field)", message: message)
    }
    guard labels.count >= 2 else { throw fail("labels", "\(labels.count) classes, expected at least 2") }
    for (field, value) in [
      ("layers", layers), ("hidden", hidden), ("embedding_dim", embeddingDimension),
      ("max_length", maximumLength),
    ]
    where value <= 0 {
      throw fail(field, "\(value), expected a positive number")
    }
    guard vocabularySize >= tokenizer.model.vocabularySize else {
      throw fail(
        "vocab_size", "\(vocabularySize), but tokenizer.json has \(tokenizer.model.vocabularySize) tokens")
    }
    guard paddingID >= 0 && paddingID < vocabularySize else {
      throw fail("pad_id", "\(paddingID), expected an id below vocab_size \(vocabularySize)")
    }
    guard dropout >= 0 && dropout < 1 else { throw fail("dropout", "\(dropout), expected a value in [0, 1)") }
  }
}

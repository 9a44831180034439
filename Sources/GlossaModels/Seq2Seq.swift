import Foundation
import GlossaData
import GlossaNN
import GlossaTensor
import GlossaText

/// A sequence-to-sequence model's architecture, as its `config.json` holds it.
public struct Seq2SeqConfiguration: Codable, Sendable, Equatable {
  /// The recurrent unit of the encoder and the decoder.
  public var cell: RecurrentKind = .gru
  /// Stacked layers of each.
  public var layers = 1
  /// The decoder's units, and the encoder's output features (split between the directions of a
  /// bidirectional encoder, as OpenNMT does, so that each final state is the decoder's first).
  public var hidden = 256
  /// The length of a token's vector, on either side.
  public var embeddingDimension = 256
  /// Whether the encoder also reads each sentence backwards.
  public var bidirectional = true
  /// How the decoder attends to the encoder's outputs (nil: it does not, and reads only the
  /// encoder's final state).
  public var attention: AttentionKind? = .bahdanau
  /// The dropout after the embeddings, between layers and before the output layer.
  public var dropout: Float = 0.2
  /// Whether the output layer's weights are the decoder's embedding (needs `embedding_dim` =
  /// `hidden`).
  public var tieEmbeddings = false
  /// Whether source and target share one tokenizer (saved as `tokenizer.json`; otherwise
  /// `source_tokenizer.json` and `target_tokenizer.json`).
  public var sharedTokenizer = false
  /// The vocabularies' sizes.
  public var sourceVocabularySize = 0
  public var targetVocabularySize = 0
  /// The longest source, in tokens, the model reads; a longer one is an error or is cut, as the
  /// caller chooses.
  public var maximumSourceLength = 200

  /// The defaults.
  public init() {}

  enum CodingKeys: String, CodingKey {
    case cell, layers, hidden, bidirectional, attention, dropout
    case embeddingDimension = "embedding_dim"
    case tieEmbeddings = "tie_embeddings"
    case sharedTokenizer = "shared_tokenizer"
    case sourceVocabularySize = "source_vocab_size"
    case targetVocabularySize = "target_vocab_size"
    case maximumSourceLength = "max_source_length"
  }
}

/// The lecture's sequence-to-sequence network (many-to-many, unaligned): an encoder RNN reads
/// the source sentence, a decoder RNN writes the translation one token at a time from the
/// encoder's final state, and at each step attention lets it look back at every source
/// position. With Bahdanau attention the context is computed from the decoder's previous state
/// and fed in with the previous token; with Luong attention it is computed from the new state,
/// and the attentional state h̃ = tanh(W_c [c; s]) is fed to the next step (input feeding).
/// Parameter names follow PyTorch modules of the same parts (`encoder.rnn.weight_ih_l0`,
/// `decoder.attention.key_layer.weight`, `generator.weight`).
public final class Seq2Seq: Module {
  /// The architecture.
  public let configuration: Seq2SeqConfiguration
  /// The tokenizers (the same one when shared) and their files.
  public let sourceTokenizer: Tokenizer, targetTokenizer: Tokenizer
  public let sourceTokenizerFile: Data, targetTokenizerFile: Data
  /// The special target ids: padding, start and end of a translation.
  public let paddingID: Int, startID: Int, endID: Int
  let sourcePaddingID: Int

  let sourceEmbedding: Embedding
  let encoder: RecurrentNetwork
  let targetEmbedding: Embedding
  let decoder: RecurrentNetwork
  /// The decoder's layers, one step at a time (sharing the decoder's weights).
  let decoderCells: [RecurrentCell]
  /// The attention, and W_c of the attentional state.
  public let attention: Attention?
  let combine: Linear?
  /// Scores over the target vocabulary.
  let generator: LanguageModel.Decoder
  let dropout: Dropout

  /// The special tokens every tokenizer of a translation model starts with.
  public static let specialTokens = ["<pad>", "<unk>", "<s>", "</s>"]

  /// A new model of `configuration` over the two tokenizer files (the same data when shared),
  /// initialised from `seed`. Each tokenizer must know `<pad>`; the target's `<s>` and `</s>`.
  public init(
    configuration: Seq2SeqConfiguration, sourceTokenizer sourceFile: Data, targetTokenizer targetFile: Data,
    seed: UInt64 = 0
  ) throws {
    var c = configuration
    let names = Self.tokenizerNames(shared: c.sharedTokenizer)
    sourceTokenizer = try Tokenizer(json: sourceFile, file: names[0])
    targetTokenizer =
      c.sharedTokenizer ? sourceTokenizer : try Tokenizer(json: targetFile, file: names[names.count - 1])
    (sourceTokenizerFile, targetTokenizerFile) = (sourceFile, c.sharedTokenizer ? sourceFile : targetFile)
    func special(_ token: String, _ tokenizer: Tokenizer, _ file: String) throws -> Int {
      guard let id = tokenizer.model.id(of: token) else {
        throw ModelFileError(
          file: file, message: "no '\(token)' token (a translation model needs \(Self.specialTokens))")
      }
      return id
    }
    sourcePaddingID = try special("<pad>", sourceTokenizer, names[0])
    paddingID = try special("<pad>", targetTokenizer, names[names.count - 1])
    startID = try special("<s>", targetTokenizer, names[names.count - 1])
    endID = try special("</s>", targetTokenizer, names[names.count - 1])
    c.sourceVocabularySize = sourceTokenizer.model.vocabularySize
    c.targetVocabularySize = targetTokenizer.model.vocabularySize
    guard c.hidden > 0, c.layers > 0, c.embeddingDimension > 0, c.maximumSourceLength > 0 else {
      throw ModelFileError(file: "config.json", field: "model", message: "a size that is not positive")
    }
    guard !c.bidirectional || c.hidden % 2 == 0 else {
      throw ModelFileError(
        file: "config.json", field: "model.hidden",
        message: "a bidirectional encoder splits hidden (\(c.hidden)) between its directions: it must be even"
      )
    }
    guard !c.tieEmbeddings || c.embeddingDimension == c.hidden else {
      throw ModelFileError(
        file: "config.json", field: "model.tie_embeddings",
        message: "tied embeddings need embedding_dim (\(c.embeddingDimension)) equal to hidden (\(c.hidden))")
    }
    self.configuration = c
    let (e, h) = (c.embeddingDimension, c.hidden)
    sourceEmbedding = Embedding(
      count: c.sourceVocabularySize, dimension: e, paddingIndex: sourcePaddingID, seed: seed)
    encoder = RecurrentNetwork(
      kind: c.cell, inputSize: e, hiddenSize: c.bidirectional ? h / 2 : h, layers: c.layers,
      bidirectional: c.bidirectional, dropout: c.layers > 1 ? c.dropout : 0, seed: seed &+ 1)
    targetEmbedding = Embedding(
      count: c.targetVocabularySize, dimension: e, paddingIndex: paddingID, seed: seed &+ 2)
    decoder = RecurrentNetwork(
      kind: c.cell, inputSize: c.attention == nil ? e : e + h, hiddenSize: h, layers: c.layers,
      seed: seed &+ 3)
    decoderCells = (0..<c.layers).map { [decoder] in RecurrentCell(decoder, layer: $0) }
    attention = c.attention.map { Attention(kind: $0, queryDimension: h, keyDimension: h, seed: seed &+ 4) }
    combine = c.attention == nil ? nil : Linear(2 * h, h, bias: false, seed: seed &+ 5)
    var generator = SeededGenerator(seed: seed &+ 6)
    self.generator = LanguageModel.Decoder(
      h, c.targetVocabularySize, tiedTo: c.tieEmbeddings ? targetEmbedding : nil, generator: &generator)
    dropout = Dropout(c.dropout, seed: seed &+ 7)
  }

  public var children: [(name: String, value: Any)] {
    var result: [(name: String, value: Any)] = [
      ("encoder.embedding", sourceEmbedding), ("encoder.rnn", encoder),
      ("decoder.embedding", targetEmbedding),
      ("decoder.rnn", decoder),
    ]
    if let attention, let combine {
      result += [("decoder.attention", attention), ("decoder.combine", combine)]
    }
    return result + [("generator", generator), ("dropout", dropout)]
  }

  /// A source sentence's token ids, at most the model's limit: a longer sentence is cut when
  /// `truncate` is set, an error otherwise.
  public func sourceIDs(_ sentence: String, truncate: Bool = false) throws -> [Int] {
    let ids = sourceTokenizer.encode(sentence).ids
    guard ids.count <= configuration.maximumSourceLength else {
      if truncate { return Array(ids.prefix(configuration.maximumSourceLength)) }
      throw TranslationInputError.sourceTooLong(tokens: ids.count, limit: configuration.maximumSourceLength)
    }
    return ids
  }

  /// A target sentence's token ids (without the start and end tokens).
  public func targetIDs(_ sentence: String) -> [Int] { targetTokenizer.encode(sentence).ids }

  /// What the decoder carries from step to step: each layer's state, and (Luong) the last
  /// attentional state h̃.
  struct DecoderState {
    var layers: [RecurrentState]
    var feed: Tensor?
  }

  /// The encoder over a batch of source sentences (ids, each non-empty): the attention's memory
  /// and the decoder's first state (each layer's final encoder state, the two directions side
  /// by side).
  func encode(_ sources: [[Int]]) -> (memory: Attention.Memory?, state: DecoderState) {
    let batch = PaddedBatch(sources, paddingID: sourcePaddingID)
    let x = dropout(sourceEmbedding(batch.ids, shape: [batch.steps, batch.batch]))
    let out = encoder(x, lengths: batch.lengths)
    let memory = attention.map { $0.memory(out.output.transposed(0, 1), lengths: batch.lengths) }
    func perLayer(_ states: Tensor) -> [Tensor] {
      let directions = encoder.directions
      return (0..<configuration.layers).map { l in
        let parts = (0..<directions).map {
          states.slice(axis: 0, range: (l * directions + $0)..<(l * directions + $0 + 1)).reshaped([
            batch.batch, encoder.hiddenSize,
          ])
        }
        return directions == 1 ? parts[0] : Tensor.concatenate(parts, axis: 1)
      }
    }
    let hidden = perLayer(out.state.hidden)
    let cells = out.state.cell.map(perLayer)
    let layers = hidden.indices.map { RecurrentState(hidden: hidden[$0], cell: cells?[$0]) }
    let feed =
      configuration.attention == .some(.bahdanau) || attention == nil
      ? nil : Tensor.zeros([batch.batch, configuration.hidden])
    return (memory, DecoderState(layers: layers, feed: feed))
  }

  /// One decoder step from the embedded previous tokens `[batch, E]`: the attentional state h̃
  /// `[batch, H]` (the top layer's state without attention), the state after, and the attention
  /// weights `[batch, source steps]`.
  func step(_ embedded: Tensor, state: DecoderState, memory: Attention.Memory?) -> (
    output: Tensor, state: DecoderState, weights: Tensor?
  ) {
    var input = embedded
    var context: Tensor?
    var weights: Tensor?
    let bahdanau = configuration.attention == .bahdanau
    if let attention, let memory {
      if bahdanau {
        // Bahdanau: the context of the previous state goes in with the previous token.
        (context, weights) = attention(state.layers[state.layers.count - 1].hidden, memory: memory)
        input = Tensor.concatenate([embedded, context!], axis: 1)
      } else {
        // Luong: the previous attentional state goes in (input feeding).
        input = Tensor.concatenate([embedded, state.feed!], axis: 1)
      }
    }
    var layers: [RecurrentState] = []
    for (l, cell) in decoderCells.enumerated() {
      layers.append(cell(l == 0 ? input : dropout(layers[l - 1].hidden), state: state.layers[l]))
    }
    let top = layers[layers.count - 1].hidden
    guard let attention, let memory, let combine else { return (top, DecoderState(layers: layers), nil) }
    if !bahdanau { (context, weights) = attention(top, memory: memory) }
    // The attentional state h̃ = tanh(W_c [c; s]).
    let attentional = combine(Tensor.concatenate([context!, top], axis: 1)).tanh()
    return (attentional, DecoderState(layers: layers, feed: bahdanau ? nil : attentional), weights)
  }
}

/// A source sentence the model cannot read as it is.
public enum TranslationInputError: Error, CustomStringConvertible, Equatable {
  /// More tokens than the model's limit.
  case sourceTooLong(tokens: Int, limit: Int)
  /// Nothing to translate.
  case emptySource

  public var description: String {
    switch self {
    case .sourceTooLong(let tokens, let limit):
      "the source has \(tokens) tokens, more than the model's limit of \(limit) (cut it with --truncate)"
    case .emptySource: "the source sentence is empty"
    }
  }
}

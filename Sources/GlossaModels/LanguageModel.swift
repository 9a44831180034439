import Foundation
import GlossaData
import GlossaNN
import GlossaTensor
import GlossaText

/// A language model's architecture, as its `config.json` holds it.
public struct LanguageModelConfiguration: Codable, Sendable, Equatable {
  /// The recurrent unit.
  public var cell: RecurrentKind = .lstm
  /// Stacked layers.
  public var layers = 2
  /// Units per layer.
  public var hidden = 200
  /// The length of a token's vector.
  public var embeddingDimension = 200
  /// The dropout after the embedding, between layers and before the output layer.
  public var dropout: Float = 0.2
  /// Whether the output layer's weights are the embedding's (Press & Wolf 2017; needs the
  /// embedding as long as the hidden state).
  public var tieWeights = false
  /// The vocabulary's size (the embedding's rows and the output layer's).
  public var vocabularySize = 0
  /// The token that ends each line (a sentence or paragraph).
  public var endToken = "<eos>"

  /// The defaults (PyTorch's word language model, small).
  public init() {}

  enum CodingKeys: String, CodingKey {
    case cell, layers, hidden, dropout
    case embeddingDimension = "embedding_dim"
    case tieWeights = "tie_weights"
    case vocabularySize = "vocab_size"
    case endToken = "end_token"
  }
}

/// The lecture's language model: it reads a sequence of tokens and predicts each next one
/// (many-to-many), tokens → embedding → stacked RNN / LSTM / GRU → a linear layer over the
/// vocabulary. It generates text one token at a time from a prompt, and gives the
/// distribution of the next word. Parameter names are those of PyTorch's word language model
/// (`encoder.weight`, `rnn.weight_ih_l0`, `decoder.weight`, `decoder.bias`).
public final class LanguageModel: Module {
  /// The architecture.
  public let configuration: LanguageModelConfiguration
  /// The tokenizer, and its tokenizer.json.
  public let tokenizer: Tokenizer
  public let tokenizerFile: Data
  /// The token vectors.
  public let encoder: Embedding
  /// The recurrent network.
  public let rnn: RecurrentNetwork
  /// The output layer (its weight is the encoder's when tied).
  public let decoder: Decoder
  private let dropout: Dropout
  /// The id of the end-of-line token.
  public let endID: Int

  /// The output layer: scores over the vocabulary, from the encoder's weights when tied.
  public final class Decoder: Module {
    let weight: Tensor?
    let bias: Tensor
    let tied: Embedding?

    init(_ inputs: Int, _ outputs: Int, tiedTo embedding: Embedding?, generator: inout SeededGenerator) {
      tied = embedding
      weight =
        embedding == nil
        ? Tensor.uniform([outputs, inputs], low: -0.1, high: 0.1, generator: &generator, requiresGrad: true)
        : nil
      bias = Tensor.zeros([outputs], requiresGrad: true)
    }

    public var children: [(name: String, value: Any)] {
      (weight.map { [("weight", $0 as Any)] } ?? []) + [("bias", bias)]
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
      Tensor.linear(x, weight: weight ?? tied!.weight, bias: bias)
    }

    /// The most rows whose scores come from packed weights; beyond, BLAS's GEMM (whose packing
    /// then costs less than the arithmetic) is as fast or faster (measured at 64).
    static let packedRows = 32

    /// The scores h Wᵀ + b of `rows` rows of h (`[rows, inputs]`) into `scores`
    /// (`[rows, outputs]`), for inference, nothing recorded: a matrix–vector product for one
    /// row, the weights packed once for a few (`packed`, made at the first such call: a
    /// snapshot, for a model not being trained, its product split over `threads`), a GEMM for
    /// more.
    func scores(
      of h: UnsafePointer<Float>, rows: Int, into scores: UnsafeMutablePointer<Float>,
      packed: inout PackedMatrix?, threads: Int = BLAS.threads
    ) {
      let w = weight ?? tied!.weight
      let (outputs, inputs) = (w.shape[0], w.shape[1])
      withExtendedLifetime((w, bias)) {
        for r in 0..<rows { (scores + r * outputs).update(from: bias.baseAddress, count: outputs) }
        if rows > 1 && rows <= Self.packedRows {
          if packed == nil { packed = PackedMatrix(w) }
          packed!.multiplyAdd(h, rows: rows, into: scores, threads: threads)
        } else {
          BLAS.gemm(
            transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: h, lda: inputs,
            b: w.baseAddress, ldb: inputs, beta: 1, c: scores, ldc: outputs)
        }
      }
    }
  }

  /// A new model of `configuration` over the tokenizer of `tokenizerFile`, initialised as
  /// PyTorch's word language model (embedding and output weights from U(−0.1, 0.1)).
  public init(configuration: LanguageModelConfiguration, tokenizerFile: Data, seed: UInt64 = 0) throws {
    let c = configuration
    self.configuration = c
    tokenizer = try Tokenizer(json: tokenizerFile, file: "tokenizer.json")
    self.tokenizerFile = tokenizerFile
    guard let end = tokenizer.model.id(of: c.endToken) else {
      throw ModelFileError(
        file: "config.json", field: "model.end_token",
        message: "'\(c.endToken)' is not in tokenizer.json's vocabulary")
    }
    endID = end
    guard !c.tieWeights || c.embeddingDimension == c.hidden else {
      throw ModelFileError(
        file: "config.json", field: "model.tie_weights",
        message: "tied weights need embedding_dim (\(c.embeddingDimension)) equal to hidden (\(c.hidden))")
    }
    var generator = SeededGenerator(seed: seed)
    encoder = Embedding(count: c.vocabularySize, dimension: c.embeddingDimension, seed: seed)
    encoder.weight.assign(Tensor.uniform(encoder.weight.shape, low: -0.1, high: 0.1, generator: &generator))
    rnn = RecurrentNetwork(
      kind: c.cell, inputSize: c.embeddingDimension, hiddenSize: c.hidden, layers: c.layers,
      dropout: c.layers > 1 ? c.dropout : 0, seed: seed &+ 1)
    decoder = Decoder(c.hidden, c.vocabularySize, tiedTo: c.tieWeights ? encoder : nil, generator: &generator)
    dropout = Dropout(c.dropout, seed: seed &+ 2)
  }

  public var children: [(name: String, value: Any)] {
    [("encoder", encoder), ("rnn", rnn), ("decoder", decoder), ("dropout", dropout)]
  }

  /// The scores of the next token after each input, `[steps · batch, vocabulary]`, for ids laid
  /// out time-first (`ids[t · batch + b]`), from `state` (zeros when nil); and the state after.
  public func callAsFunction(_ ids: [Int], steps: Int, batch: Int, state: RecurrentState?) -> (
    logits: Tensor, state: RecurrentState
  ) {
    let x = dropout(encoder(ids, shape: [steps, batch]))
    let out = rnn(x, state: state)
    return (decoder(dropout(out.output).reshaped([steps * batch, configuration.hidden])), out.state)
  }

  /// The token ids of one line of text, followed by the end token.
  public func ids(line: String) -> [Int] { tokenizer.encode(line).ids + [endID] }

  /// The mean loss per token (cross-entropy, nats) and the perplexity e^loss over `corpus`, read as
  /// the model reads a stream (in `columns` parallel columns, `steps` at a time, the state
  /// carried between windows), in evaluation mode.
  public func perplexity(of corpus: Corpus, columns: Int = 10, steps: Int = 35) throws -> (
    loss: Double, perplexity: Double, tokens: Int
  ) {
    let wasTraining = rnn.isTraining
    eval()
    defer { train(wasTraining) }
    let stream = try TokenStream(corpus: corpus, columns: columns) { [self] line in
      ids(line: String(decoding: line, as: UTF8.self))
    }
    var (total, tokens) = (0.0, 0)
    var state: RecurrentState?
    try withoutGradients {
      while let window = try stream.next(steps: steps) {
        let (logits, next) = self(window.inputs, steps: window.steps, batch: columns, state: state)
        total += Double(crossEntropy(logits, targets: window.targets, reduction: .sum).item)
        tokens += window.targets.count
        state = next
      }
    }
    let loss = total / Double(max(tokens, 1))
    return (loss, Foundation.exp(loss), tokens)
  }

  /// The `top` most likely next tokens after `prompt`, with their probabilities.
  public func nextTokens(after prompt: String, top: Int = 10) -> [(token: String, probability: Float)] {
    let probabilities = withoutGradients { finalLogits(of: promptIDs(prompt)).logits.softmax().scalars }
    return probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(top).map {
      (tokenizer.model.token(for: $0) ?? "?", probabilities[$0])
    }
  }

  /// What ``generate(from:sampling:onToken:)`` produced.
  public struct Generation: Sendable {
    /// The generated text (the prompt not included).
    public var text: String
    /// The generated tokens' ids.
    public var ids: [Int]
    /// Generated tokens per second.
    public var tokensPerSecond: Double
    /// Why it ended.
    public var finish: FinishReason
  }

  /// Text continuing `prompt`, one token at a time: each is chosen by `sampling` from the
  /// model's scores and fed back in (through a ``Stepper``, which pays for one token per step). `onToken` sees each token's text as it comes (return
  /// false to stop). The same seed gives the same text.
  public func generate(
    from prompt: String, sampling: Sampling, onToken: ((String) -> Bool)? = nil
  ) -> Generation {
    let wasTraining = rnn.isTraining
    eval()
    defer { train(wasTraining) }
    let start = Date()
    var stream = GenerationStream(prompt: prompt, sampling: sampling, promptIDs: promptIDs(prompt))
    let stepper = Stepper(model: self)
    stepper.append(prompt: stream.previous)
    var finish: FinishReason
    while true {
      let step = stream.advance(logits: stepper.logits(row: 0), model: self)
      if onToken?(step.piece) == false {
        finish = .cancelled
        break
      }
      if let end = step.finish {
        finish = end
        break
      }
      stepper.step([step.id])
    }
    let seconds = Date().timeIntervalSince(start)
    return Generation(
      text: stream.text, ids: stream.generated,
      tokensPerSecond: Double(stream.generated.count) / max(seconds, 1e-9), finish: finish)
  }

  /// Whether a generated word-level `token` follows `previous` without a space: closing
  /// punctuation (`. , ; : ! ? ) ] }`), and both sides of an apostrophe (the tokenizer cuts
  /// "elizabeth's" into elizabeth, ', s), and whatever follows an opening bracket or Spanish's
  /// opening ¿ and ¡.
  static func joinsWithoutSpace(_ token: String, after previous: String) -> Bool {
    (!token.isEmpty && token.allSatisfy { ".,;:!?)]}".contains($0) }) || token == "'" || previous == "'"
      || ["(", "[", "{", "¿", "¡"].contains(previous)
  }

  /// A prompt's ids: its tokens, after the end token of a previous line (so that an empty
  /// prompt starts a line).
  func promptIDs(_ prompt: String) -> [Int] { [endID] + tokenizer.encode(prompt).ids }

  /// The scores after the last of `ids` (in evaluation mode) and the state there. The
  /// recurrent network reads every id, but only the last step's output goes through the
  /// output layer: the scores after the earlier ids are not needed.
  func finalLogits(of ids: [Int]) -> (logits: Tensor, state: RecurrentState) {
    eval()
    let out = rnn(encoder(ids, shape: [ids.count, 1]), state: nil)
    let last = out.output.slice(axis: 0, range: (ids.count - 1)..<ids.count).reshaped([
      1, configuration.hidden,
    ])
    return (decoder(last).reshaped([configuration.vocabularySize]), out.state)
  }

  /// The header of a language model's `config.json`.
  static let task = "language-model"

  /// Saves the model as a model directory (see ``ModelDirectory``).
  public func save(to directory: URL) throws {
    try ModelDirectory.write(
      configuration: ModelDirectory.SavedConfiguration(task: Self.task, model: configuration),
      tokenizer: tokenizerFile, model: self, to: directory)
  }

  /// Loads a model saved by ``save(to:)``.
  public convenience init(contentsOf directory: URL) throws {
    let saved = try ModelDirectory.architecture(
      LanguageModelConfiguration.self, task: Self.task, in: directory)
    let tokenizerURL = try ModelDirectory.file("tokenizer.json", in: directory)
    let file = try Data(contentsOf: tokenizerURL)
    let vocabulary = try Tokenizer(json: file, file: tokenizerURL.path).model.vocabularySize
    guard saved.vocabularySize >= vocabulary, saved.layers > 0, saved.hidden > 0 else {
      throw ModelFileError(
        file: directory.appendingPathComponent("config.json").path, field: "model.vocab_size",
        message:
          "\(saved.vocabularySize) (layers \(saved.layers), hidden \(saved.hidden)) for a tokenizer of \(vocabulary) tokens"
      )
    }
    try ModelDirectory.check(
      [
        .init(field: "vocab_size", value: saved.vocabularySize, tensor: "encoder.weight", axis: 0),
        .init(field: "embedding_dim", value: saved.embeddingDimension, tensor: "encoder.weight", axis: 1),
      ]
        + ModelDirectory.recurrentSizes(
          "rnn", hidden: ("hidden", saved.hidden), layers: ("layers", saved.layers)),
      dropout: saved.dropout, in: directory)
    do {
      try self.init(configuration: saved, tokenizerFile: file)
    } catch { throw ModelDirectory.located(error, in: directory) }
    try ModelDirectory.loadWeights(into: self, from: directory)
    eval()
  }
}

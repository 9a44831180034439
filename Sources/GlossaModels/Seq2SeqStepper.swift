import GlossaNN
import GlossaTensor

extension Seq2Seq {
  /// The decoder run one step at a time for inference, over the sentences of one encoded batch:
  /// what greedy decoding and beam search step through.
  ///
  /// The training path (``Seq2Seq/step(_:state:memory:)``) builds a tensor for every part of a
  /// step: the embedded tokens, their concatenation with the context, each layer's state, the
  /// attention's scores, the attentional state, the log-probabilities; and beam search then
  /// copied the states and the encoder's memory into new tensors for each step's hypotheses.
  /// The stepper keeps a step's numbers in buffers reused from step to step: the token's
  /// embedding row and its context side by side as the decoder's input, every layer's state in
  /// a ``RecurrentStepper``, the attention computed per row over its own sentence of the memory
  /// (each row names its sentence: the memory is never copied), h̃ = tanh(W_c [c; s]), and the
  /// output layer's scores turned into log-probabilities in place. Rows are reordered, repeated
  /// and dropped between steps (``keep(rows:)``): beam search's hypotheses extend their parents.
  /// Its log-probabilities are the training path's to float rounding (tested); a row's numbers
  /// do not depend on the other rows. Needs a model in evaluation mode (no dropout).
  final class DecoderStepper {
    let model: Seq2Seq
    private let recurrence: RecurrentStepper
    private let memory: Attention.Memory?
    /// The encoded batch's longest source, in tokens: the width of a row of ``weights``.
    let sourceSteps: Int
    /// Each row's sentence, by its place in the encoded batch.
    private(set) var sentences: [Int]
    /// Each row's log-probabilities of its next token, `[rows, vocabulary]`, after ``step(_:)``.
    private(set) var logProbabilities: [Float] = []
    /// Each row's attention weights over its sentence, `[rows, sourceSteps]` (zero past the
    /// sentence's end), after ``step(_:)``, when the model attends.
    private(set) var weights: [Float] = []
    /// The decoder's input, `[rows, E]`, or `[rows, E + H]`: each token's embedding, then the
    /// context (Bahdanau) or the previous attentional state (Luong's input feeding).
    private var inputs: [Float] = []
    /// [c; s] of each row, `[rows, 2H]`, and h̃ = tanh(W_c [c; s]), `[rows, H]` (Luong feeds it
    /// to the next step: it is reordered with the rows).
    private var joined: [Float] = []
    private var attentional: [Float] = []
    private var reordering: [Float] = []
    private var workspace: [Float] = []
    private var packed: PackedMatrix?

    /// Encodes `sources` (token ids, each non-empty): row b starts as sentence b's decoder.
    init(model: Seq2Seq, sources: [[Int]]) {
      self.model = model
      let (memory, state) = withoutGradients { model.encode(sources) }
      self.memory = memory
      sourceSteps = sources.map(\.count).max() ?? 0
      sentences = Array(sources.indices)
      let (B, H) = (sources.count, model.configuration.hidden)
      func stacked(_ layers: [Tensor]) -> Tensor {
        Tensor.concatenate(layers.map { $0.reshaped([1, B, H]) }, axis: 0)
      }
      recurrence = RecurrentStepper(
        model.decoder,
        state: RecurrentState(
          hidden: stacked(state.layers.map(\.hidden)),
          cell: state.layers[0].cell == nil ? nil : stacked(state.layers.map { $0.cell! })))
      if model.attention != nil { attentional = [Float](repeating: 0, count: B * H) }
    }

    /// The rows stepped together.
    var rows: Int { sentences.count }

    /// Keeps the rows at `rows`, in that order: a row may be kept more than once and in any
    /// order; the others leave.
    func keep(rows kept: [Int]) {
      recurrence.keep(rows: kept)
      sentences = kept.map { sentences[$0] }
      guard model.attention != nil else { return }
      let H = model.configuration.hidden
      reordering.removeAll(keepingCapacity: true)
      reordering.append(contentsOf: attentional)
      if attentional.count < kept.count * H { attentional = [Float](repeating: 0, count: kept.count * H) }
      reordering.withUnsafeBufferPointer { from in
        attentional.withUnsafeMutableBufferPointer { to in
          for (target, row) in kept.enumerated() {
            (to.baseAddress! + target * H).update(from: from.baseAddress! + row * H, count: H)
          }
        }
      }
    }

    /// Feeds each row its previous token (`previous[r]` for row r) and computes the
    /// log-probabilities of the next.
    func step(_ previous: [Int]) {
      let c = model.configuration
      let (R, E, H, V, S) = (rows, c.embeddingDimension, c.hidden, c.targetVocabularySize, sourceSteps)
      require(previous.count == R, "Seq2Seq.DecoderStepper: \(previous.count) tokens for \(R) rows")
      let width = model.attention == nil ? E : E + H
      let bahdanau = c.attention == .bahdanau
      grow(&inputs, R * width)
      grow(&logProbabilities, R * V)
      let table = model.targetEmbedding.weight
      withExtendedLifetime(table) {
        inputs.withUnsafeMutableBufferPointer { x in
          let x = x.baseAddress!
          for (r, id) in previous.enumerated() {
            (x + r * width).update(from: table.baseAddress + id * E, count: E)
          }
          // The output layer's scores of each row's top state, made log-probabilities in place.
          func predict(from top: UnsafePointer<Float>) {
            logProbabilities.withUnsafeMutableBufferPointer { p in
              let p = p.baseAddress!
              model.generator.scores(of: top, rows: R, into: p, packed: &packed)
              for r in 0..<R { VectorMath.logSoftmax(p + r * V, count: V, output: p + r * V) }
            }
          }
          guard let attention = model.attention, let memory, let combine = model.combine else {
            predict(from: recurrence.step(x))
            return
          }
          grow(&weights, R * S)
          grow(&joined, R * 2 * H)
          weights.withUnsafeMutableBufferPointer { w in
            joined.withUnsafeMutableBufferPointer { j in
              attentional.withUnsafeMutableBufferPointer { a in
                let (w, j, a) = (w.baseAddress!, j.baseAddress!, a.baseAddress!)
                if bahdanau {
                  // The context of the previous state goes in with the previous token.
                  attention.attend(
                    recurrence.output, sentences: sentences, memory: memory, contexts: x + E,
                    contextStride: width, weights: w, workspace: &workspace)
                  for r in 0..<R { (j + r * 2 * H).update(from: x + r * width + E, count: H) }
                } else {
                  // Input feeding: the previous attentional state goes in.
                  for r in 0..<R { (x + r * width + E).update(from: a + r * H, count: H) }
                }
                let s = recurrence.step(x)
                if !bahdanau {
                  attention.attend(
                    s, sentences: sentences, memory: memory, contexts: j, contextStride: 2 * H, weights: w,
                    workspace: &workspace)
                }
                // h̃ = tanh(W_c [c; s])
                for r in 0..<R { (j + r * 2 * H + H).update(from: s + r * H, count: H) }
                withExtendedLifetime(combine.weight) {
                  BLAS.gemm(
                    transposeA: false, transposeB: true, m: R, n: H, k: 2 * H, a: j, lda: 2 * H,
                    b: combine.weight.baseAddress, ldb: 2 * H, c: a, ldc: H)
                }
                VectorMath.tanh(a, count: R * H)
                predict(from: a)
              }
            }
          }
        }
      }
    }

    /// Makes `buffer` hold at least `count` elements.
    private func grow(_ buffer: inout [Float], _ count: Int) {
      if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
    }
  }
}

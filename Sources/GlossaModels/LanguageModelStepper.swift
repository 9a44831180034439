import GlossaNN
import GlossaTensor

extension LanguageModel {
  /// The language model read one token at a time, for generation: each step takes one token
  /// per sequence and gives the scores of the next, `[batch, vocabulary]`.
  ///
  /// A prompt is read whole by the model's recurrent network (one GEMM per layer for all its
  /// steps), and only its last step goes through the output layer; after that each token goes
  /// through a `RecurrentStepper` (GlossaNN) and the output layer into buffers reused from
  /// step to step: the embedding's row, one step of every layer, and the scores (a
  /// matrix–vector product for one sequence, the weights packed once for a few), with nothing
  /// recorded and nothing allocated once the buffers have grown to the batch.
  /// The scores are those of the model's call over the whole sequence to float rounding
  /// (tested). Sequences join (``append(prompt:)``) and leave (``keep(rows:)``) between steps,
  /// as ``GenerationBatch``'s streams do. Not thread-safe; the model may be shared with
  /// other readers.
  public final class Stepper {
    /// The model.
    public let model: LanguageModel
    private let recurrence: RecurrentStepper
    /// Each sequence's scores for its next token, row by row.
    private var scores: [Float] = []
    /// The embedding rows of a step's tokens, `[batch, embedding]`.
    private var inputs: [Float] = []
    /// The output layer's weights packed for a few rows (``PackedMatrix``), made at the first
    /// step of more than one sequence.
    private var packed: PackedMatrix?
    /// The threads the output layer's product for a few rows may use.
    public let threads: Int

    /// A stepper over `model` (switched to evaluation mode) with no sequences yet, whose
    /// output layer's product for a few rows may use `threads` (those BLAS may use, unless
    /// told: a server whose requests each run BLAS on one thread gives its generation thread
    /// the cores). The scores are the same for any count.
    public init(model: LanguageModel, threads: Int = BLAS.threads) {
      self.model = model
      self.threads = threads
      model.eval()
      recurrence = RecurrentStepper(model.rnn, batch: 0)
    }

    /// The sequences stepped together.
    public var batch: Int { recurrence.batch }

    private var vocabulary: Int { model.configuration.vocabularySize }

    /// Adds a sequence after the others: reads `ids` (at least one) and keeps the scores
    /// after the last.
    public func append(prompt ids: [Int]) {
      require(!ids.isEmpty, "LanguageModel.Stepper: an empty prompt (start from the end token)")
      let (last, state) = withoutGradients { model.finalLogits(of: ids) }
      recurrence.append(state)
      scores += last.scalars
    }

    /// Keeps the sequences at `rows` (increasing), in that order; the others leave.
    public func keep(rows: [Int]) {
      require(
        zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 },
        "LanguageModel.Stepper.keep: rows \(rows) are not increasing")
      recurrence.keep(rows: rows)
      let V = vocabulary
      scores.withUnsafeMutableBufferPointer { all in
        for (k, row) in rows.enumerated() where k != row {
          (all.baseAddress! + k * V).update(from: all.baseAddress! + row * V, count: V)
        }
      }
      scores.removeLast(scores.count - rows.count * V)
    }

    /// The scores of the next token of the sequence at `row`.
    public func logits(row: Int) -> [Float] {
      require((0..<batch).contains(row), "LanguageModel.Stepper: row \(row) of \(batch)")
      return Array(scores[(row * vocabulary)..<((row + 1) * vocabulary)])
    }

    /// Feeds each sequence its next token (`ids[b]` for the sequence at row b) and computes
    /// the scores of the token after it.
    public func step(_ ids: [Int]) {
      let (B, V, E) = (batch, vocabulary, model.configuration.embeddingDimension)
      require(ids.count == B, "LanguageModel.Stepper: \(ids.count) tokens for \(B) sequences")
      require(
        ids.allSatisfy { (0..<V).contains($0) },
        "LanguageModel.Stepper: a token id outside 0..<\(V) in \(ids)")
      if inputs.count < B * E { inputs = [Float](repeating: 0, count: B * E) }
      let table = model.encoder.weight
      withExtendedLifetime(table) {
        inputs.withUnsafeMutableBufferPointer { x in
          for (b, id) in ids.enumerated() {
            (x.baseAddress! + b * E).update(from: table.baseAddress + id * E, count: E)
          }
          let h = recurrence.step(x.baseAddress!)
          scores.withUnsafeMutableBufferPointer { s in
            model.decoder.scores(of: h, rows: B, into: s.baseAddress!, packed: &packed, threads: threads)
          }
        }
      }
    }
  }
}

import Foundation
import GlossaNN
import GlossaTensor

/// Why a generated text ended.
public enum FinishReason: String, Sendable, Codable {
  /// It reached the sampling's ``Sampling/maximumTokens``.
  case length
  /// It ended with one of the sampling's ``Sampling/stop`` strings.
  case stop
  /// Its reader stopped it (``LanguageModel/generate(from:sampling:onToken:)``'s `onToken`
  /// returned false, or ``GenerationBatch/remove(_:)``).
  case cancelled
}

/// One text being generated: the tokens so far, the text they make and the draws that chose
/// them. ``LanguageModel/generate(from:sampling:onToken:)`` runs one alone and
/// ``GenerationBatch`` many at once; both give the same text for the same prompt and seed.
struct GenerationStream {
  let prompt: String
  let sampling: Sampling
  var generator: SeededGenerator
  /// The prompt's ids (after the end token) and then the generated ones.
  var previous: [Int]
  var generated: [Int] = []
  var text = ""

  init(prompt: String, sampling: Sampling, promptIDs: [Int]) {
    self.prompt = prompt
    self.sampling = sampling
    generator = SeededGenerator(seed: sampling.seed)
    previous = promptIDs
  }

  /// Chooses the next token from `logits` (the model's scores after ``previous``) and
  /// appends it: its id, the text it adds, and the reason the generation ends there (nil: go on).
  mutating func advance(logits: [Float], model: LanguageModel) -> (
    id: Int, piece: String, finish: FinishReason?
  ) {
    let next = sampling.choose(logits: logits, previous: previous, generator: &generator)
    generated.append(next)
    previous.append(next)
    // The end token ends a line; words follow the prompt and each other after a space,
    // except where punctuation attaches (see ``LanguageModel/joinsWithoutSpace(_:after:)``).
    let before = text.isEmpty ? prompt : text
    let token = model.tokenizer.model.token(for: next) ?? ""
    let previousToken = model.tokenizer.model.token(for: previous[previous.count - 2]) ?? ""
    let attached =
      before.isEmpty || before.hasSuffix("\n") || LanguageModel.joinsWithoutSpace(token, after: previousToken)
    let piece = next == model.endID ? "\n" : (attached ? "" : " ") + token
    text += piece
    if sampling.stop.contains(where: { !$0.isEmpty && text.hasSuffix($0) }) { return (next, piece, .stop) }
    if generated.count >= sampling.maximumTokens { return (next, piece, .length) }
    return (next, piece, nil)
  }
}

/// Many generations from one language model at once, one forward pass per step for all of
/// them (continuous batching): a stream joins with ``add(prompt:sampling:)`` and leaves when
/// it finishes or is removed, between steps, without stopping the others. Each stream's text
/// is the one ``LanguageModel/generate(from:sampling:onToken:)`` gives for its prompt and
/// seed (up to float rounding in the batched products).
///
/// Not thread-safe: one thread owns a batch and runs its steps (the server runs one per
/// model); the model may be shared with other readers meanwhile.
public final class GenerationBatch {
  /// What one step gave a stream.
  public struct Event: Sendable, Equatable {
    /// The stream, as ``GenerationBatch/add(prompt:sampling:)`` numbered it.
    public var stream: Int
    /// The new token's id.
    public var id: Int
    /// The text it adds (a space and the word, or a newline for the end token).
    public var piece: String
    /// Set on the stream's last event: why it ended.
    public var finish: FinishReason?
    /// On the stream's last event (the one with ``finish``), the whole text generated; empty on
    /// the others (carried on every event, the growing text would be copied once per token).
    public var text: String
  }

  /// The model.
  public let model: LanguageModel
  /// The streams running, in the order of the batch's rows.
  private var streams: [(number: Int, stream: GenerationStream)] = []
  /// Every running stream's state and scores for its next token (row i is `streams[i]`).
  private let stepper: LanguageModel.Stepper
  private var nextNumber = 0

  /// A batch for `model` (switched to evaluation mode) whose steps may use `threads` (those
  /// BLAS may use, unless told) for the output layer's product and, from eight streams, for
  /// choosing the streams' tokens. Each stream's tokens are the same for any count.
  public init(model: LanguageModel, threads: Int = BLAS.threads) {
    self.model = model
    stepper = LanguageModel.Stepper(model: model, threads: threads)
  }

  /// The number of streams running.
  public var count: Int { streams.count }

  /// Starts a stream: reads its prompt (alone) and returns its number. Its first token comes
  /// with the next ``step()``.
  @discardableResult
  public func add(prompt: String, sampling: Sampling) -> Int {
    let ids = model.promptIDs(prompt)
    stepper.append(prompt: ids)
    let number = nextNumber
    nextNumber += 1
    streams.append((number, GenerationStream(prompt: prompt, sampling: sampling, promptIDs: ids)))
    return number
  }

  /// Stops a stream (a client gone); unknown numbers are ignored.
  public func remove(_ number: Int) {
    keep(streams.indices.filter { streams[$0].number != number })
  }

  /// Chooses every running stream's next token, drops the streams that finish, and runs one
  /// forward pass over the rest: the events, one per stream in row order.
  public func step() -> [Event] {
    // Each stream draws from its own generator, so the rows may be shared among threads.
    var chosen = [(id: Int, piece: String, finish: FinishReason?)](
      repeating: (0, "", nil), count: streams.count)
    let threads = streams.count >= 8 ? stepper.threads : 1
    streams.withUnsafeMutableBufferPointer { running in
      chosen.withUnsafeMutableBufferPointer { chosen in
        nonisolated(unsafe) let (running, chosen) = (running, chosen)
        forEachRowRange(rows: running.count, elementsPerRow: parallelRowElements, threads: threads) { rows in
          for row in rows {
            chosen[row] = running[row].stream.advance(logits: stepper.logits(row: row), model: model)
          }
        }
      }
    }
    var events: [Event] = []
    var continuing: [Int] = []
    var nextIDs: [Int] = []
    for row in streams.indices {
      let (id, piece, finish) = chosen[row]
      events.append(
        Event(
          stream: streams[row].number, id: id, piece: piece, finish: finish,
          text: finish == nil ? "" : streams[row].stream.text))
      if finish == nil {
        continuing.append(row)
        nextIDs.append(id)
      }
    }
    keep(continuing)
    if !streams.isEmpty { stepper.step(nextIDs) }
    return events
  }

  /// Keeps the streams at `rows` (increasing) and their states.
  private func keep(_ rows: [Int]) {
    guard rows.count != streams.count else { return }
    streams = rows.map { streams[$0] }
    stepper.keep(rows: rows)
  }
}

import Foundation
import GlossaModels

/// Runs every generation request for one language model on one thread, through one
/// ``GenerationBatch``: a request joins the batch between two steps and leaves it when it
/// finishes or its client goes away, so that concurrent streams share each forward pass
/// (continuous batching).
final class GenerationScheduler: @unchecked Sendable {
  typealias Event = GenerationBatch.Event

  private struct Waiting {
    let ticket: Int
    let prompt: String
    let sampling: Sampling
    let continuation: AsyncStream<Event>.Continuation
  }

  private let batch: GenerationBatch
  private let maximumStreams: Int
  private let onEvents: @Sendable (Int) -> Void
  private let condition = NSCondition()
  // Guarded by `condition`.
  private var waiting: [Waiting] = []
  private var cancelled: Set<Int> = []
  private var nextTicket = 0
  private var stopped = false
  // The batch thread's own: the streams running, by their number in the batch.
  private var running: [Int: (ticket: Int, continuation: AsyncStream<Event>.Continuation)] = [:]

  /// A scheduler for `model`, at most `maximumStreams` streams in a step (more wait their
  /// turn); `onEvents` hears how many tokens each step made.
  init(model: LanguageModel, maximumStreams: Int, onEvents: @escaping @Sendable (Int) -> Void) {
    // Requests run BLAS on one thread each; a step of many streams may use every core.
    batch = GenerationBatch(model: model, threads: ProcessInfo.processInfo.activeProcessorCount)
    self.maximumStreams = maximumStreams
    self.onEvents = onEvents
    let thread = Thread { [self] in run() }
    thread.name = "glossa-generation"
    thread.start()
  }

  /// The events of a new generation, one per token, the last with its finish reason. Stopping
  /// to read the stream (a client gone) takes the generation out of the batch.
  func generate(prompt: String, sampling: Sampling) -> AsyncStream<Event> {
    AsyncStream { continuation in
      condition.lock()
      let ticket = nextTicket
      nextTicket += 1
      if stopped {
        continuation.finish()
      } else {
        waiting.append(
          Waiting(ticket: ticket, prompt: prompt, sampling: sampling, continuation: continuation))
      }
      condition.signal()
      condition.unlock()
      continuation.onTermination = { [weak self] termination in
        if case .cancelled = termination { self?.cancel(ticket) }
      }
    }
  }

  /// Stops the thread after the current step; running and waiting streams end.
  func stop() {
    condition.lock()
    stopped = true
    condition.signal()
    condition.unlock()
  }

  private func cancel(_ ticket: Int) {
    condition.lock()
    cancelled.insert(ticket)
    condition.signal()
    condition.unlock()
  }

  private func run() {
    while true {
      condition.lock()
      while waiting.isEmpty && running.isEmpty && cancelled.isEmpty && !stopped { condition.wait() }
      if stopped {
        let left = waiting
        waiting = []
        condition.unlock()
        for entry in left { entry.continuation.finish() }
        for entry in running.values { entry.continuation.finish() }
        running = [:]
        return
      }
      let gone = cancelled
      cancelled = []
      waiting.removeAll { gone.contains($0.ticket) }
      for (number, entry) in running where gone.contains(entry.ticket) {
        batch.remove(number)
        running[number] = nil
      }
      // The streams that join take their entries out of `waiting`: all of them by swapping
      // arrays, so that no array buffer is shared between this thread and the requests'
      // (ThreadSanitizer cannot see the reference count that orders a shared buffer's copy).
      let room = max(0, maximumStreams - running.count)
      var joining: [Waiting] = []
      if waiting.count <= room {
        swap(&joining, &waiting)
      } else {
        joining.append(contentsOf: waiting[..<room])
        waiting.removeFirst(room)
      }
      condition.unlock()

      for entry in joining {
        running[batch.add(prompt: entry.prompt, sampling: entry.sampling)] = (
          entry.ticket, entry.continuation
        )
      }
      guard !running.isEmpty else { continue }
      let events = batch.step()
      onEvents(events.count)
      for event in events {
        guard let entry = running[event.stream] else { continue }
        entry.continuation.yield(event)
        if event.finish != nil {
          entry.continuation.finish()
          running[event.stream] = nil
        }
      }
    }
  }
}

import Foundation
import GlossaData
import GlossaLock
import GlossaTensor
import Synchronization

/// How far training has come, reported a few times a second.
public struct TrainingProgress: Sendable {
  /// Done, from 0 to 1.
  public let fraction: Double
  /// Corpus words per second, every word counted (as gensim and fastText count); for GloVe,
  /// co-occurrence entries per second.
  public let wordsPerSecond: Double
  /// The current learning rate.
  public let learningRate: Float
  /// Seconds since training began.
  public let elapsed: Double
  /// Seconds still to go, at the rate so far.
  public var remaining: Double { fraction > 0 ? elapsed * (1 - fraction) / fraction : .infinity }
}

/// What the learning rate's linear decay follows from its start to its floor.
public enum LearningRateDecay: String, Sendable, CaseIterable {
  /// The share of the corpus's words processed (word2vec's C tool and fastText).
  case words
  /// The share of its sentences processed (gensim, which counts them when it builds the
  /// vocabulary). Where long lines come first the rate stays higher for more of the words:
  /// on the peers' 10 MB corpus the mean rate per word is about a fifth higher than by words.
  case sentences
}

/// Trains on one sentence at a time; one per thread, keeping its random state and scratch
/// buffers from sentence to sentence.
protocol SentenceTrainer: AnyObject {
  func train(_ sentence: UnsafeBufferPointer<Int32>, learningRate: Float)
}

/// The schedule that Word2Vec and FastText share: epochs over the corpus, cut into portions
/// that the threads take one at a time in corpus order (read as a stream, and kept as word ids
/// for the later epochs while they fit in ``idLimit``), and the learning rate falling linearly
/// from its start to its floor as the words or sentences of all threads are processed. One
/// thread trains on the corpus in order, epoch after epoch.
struct TrainingLoop: Sendable {
  var epochs: Int
  var threads: Int
  var learningRate: Float
  var minimumLearningRate: Float
  /// By sentences only when the vocabulary counted them.
  var decay = LearningRateDecay.words

  /// How many words a thread processes between learning-rate updates.
  var batch = 10_000
  /// A process's share is cut into this many portions per thread.
  var portionsPerThread = 32
  /// At most this many word ids (4 bytes each) are kept in memory after the first epoch, so
  /// later epochs skip reading and tokenizing; the portions beyond it are read again each epoch.
  var idLimit = defaultIDLimit
  static let defaultIDLimit = 1 << 26
  /// Processes that train together by model averaging (nil: this one alone): process r trains
  /// on the r-th of `size` even cuts of the corpus, and the processes' matrices are averaged
  /// after about every ``averageEvery`` words a process trains on, and at the end.
  var processGroup: (any ProcessGroup)?
  var averageEvery = 100_000

  /// Trains with a trainer per thread (`makeTrainer` gets the thread's index among every
  /// process's threads); `averaged` are the matrices a process group averages.
  func run(
    corpus: Corpus, vocabulary: WordCounts, averaged: [SharedMatrix] = [],
    progress: (@Sendable (TrainingProgress) -> Void)?,
    makeTrainer: @Sendable (_ thread: Int) -> any SentenceTrainer
  ) throws {
    require(epochs > 0 && threads > 0, "training needs at least one epoch and one thread")
    let (rank, size) = (processGroup?.rank ?? 0, processGroup?.size ?? 1)
    // Each process plans its share of the words and sentences.
    let plannedWords = Double(vocabulary.totalCount * epochs) / Double(size)
    let plannedSentences = Double(vocabulary.corpusSentences * epochs) / Double(size)
    let averaging = processGroup.map { group in
      ModelAveraging(
        group: group, matrices: averaged,
        rounds: max(1, Int((plannedWords / Double(averageEvery)).rounded(.up))))
    }
    let bySentences = decay == .sentences && plannedSentences > 0
    let processedWords = Atomic<Int>(0)  // every thread's
    let processedSentences = Atomic<Int>(0)
    let failure = Locked<(any Error)?>(nil)
    let start = Date()
    let (rate, floor) = (learningRate, minimumLearningRate)
    @Sendable func fraction() -> Double {
      min(1, Double(processedWords.load(ordering: .relaxed)) / max(plannedWords, 1))
    }
    @Sendable func currentRate() -> Float {
      let done =
        bySentences
        ? min(1, Double(processedSentences.load(ordering: .relaxed)) / plannedSentences) : fraction()
      return max(floor, rate - (rate - floor) * Float(done))
    }
    let epochs = self.epochs
    // Words per second count every corpus word, as gensim and fastText do.
    let corpusWords = Double(vocabulary.corpusWords * epochs) / Double(size)
    @Sendable func report(_ elapsed: Double) -> TrainingProgress {
      let done = fraction()
      return TrainingProgress(
        fraction: done, wordsPerSecond: done * corpusWords / elapsed, learningRate: currentRate(),
        elapsed: elapsed)
    }
    // This process's share cut into portions that the threads take in turn, epoch after
    // epoch, so that none waits for another at the end (an even cut by bytes had left one
    // thread idle for up to a fifth of the run: some text trains more slowly than other).
    let count = threads * portionsPerThread
    let portions = Array(try corpus.shares(count * size)[(rank * count)..<((rank + 1) * count)])
    let kept = KeptPortions(count: portions.count, limit: epochs > 1 ? idLimit : 0)
    let tickets = Atomic<Int>(0)
    let lastTicket = epochs * portions.count
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
      let trainer = makeTrainer(rank * threads + thread)
      var lastReport = Date()
      var (pendingWords, pendingSentences) = (0, 0)
      var alpha = rate
      func train(_ sentence: UnsafeBufferPointer<Int32>) {
        trainer.train(sentence, learningRate: alpha)
        pendingWords += sentence.count
        pendingSentences += 1
        guard pendingWords >= batch else { return }
        processedWords.add(pendingWords, ordering: .relaxed)
        processedSentences.add(pendingSentences, ordering: .relaxed)
        (pendingWords, pendingSentences) = (0, 0)
        alpha = currentRate()
        // Thread 0 averages the processes' models each time this one passes a round's share.
        if thread == 0, let averaging {
          do { try averaging.catchUp(to: fraction()) } catch { failure.withLock { $0 = $0 ?? error } }
        }
        if thread == 0, let progress, Date().timeIntervalSince(lastReport) > 0.5 {
          lastReport = Date()
          progress(report(Date().timeIntervalSince(start)))
        }
      }
      do {
        while true {
          let ticket = tickets.add(1, ordering: .relaxed).oldValue
          guard ticket < lastTicket, failure.withLock({ $0 == nil }) else { break }
          let (epoch, portion) = ticket.quotientAndRemainder(dividingBy: portions.count)
          // A later epoch trains on the ids the first kept, when it kept them and is done
          // with them; otherwise the portion is read, and in the first epoch its ids are
          // collected while they may still fit (no room when there is one epoch).
          if epoch > 0, let ids = kept[portion] {
            ids.forEachSentence(train)
            continue
          }
          let room = epoch == 0 ? kept.room : 0
          var ids: KeptPortions.Sentences? = room > 0 ? .init() : nil
          try corpus.forEachSentence(in: portions[portion], vocabulary: vocabulary.vocabulary) { sentence in
            ids?.append(sentence)
            if let count = ids?.ids.count, count > room { ids = nil }
            train(sentence)
          }
          if let ids { kept.keep(ids, at: portion) }
        }
      } catch {
        failure.withLock { $0 = $0 ?? error }
      }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    // The rounds this process has not reached (every process makes them all), the last at the end.
    try averaging?.catchUp(to: .infinity)
    progress?(report(Date().timeIntervalSince(start)))
  }
}

/// The word ids of the first epoch's portions, kept for the epochs after it while they fit
/// in a limit; a portion is kept whole or not at all.
final class KeptPortions: Sendable {
  /// One portion's sentences, one after the other.
  struct Sentences: Sendable {
    var ids: [Int32] = []
    /// Where each sentence ends in `ids`.
    var ends: [Int] = []

    mutating func append(_ sentence: UnsafeBufferPointer<Int32>) {
      ids.append(contentsOf: sentence)
      ends.append(ids.count)
    }

    func forEachSentence(_ body: (UnsafeBufferPointer<Int32>) -> Void) {
      ids.withUnsafeBufferPointer { ids in
        var start = 0
        for end in ends {
          body(UnsafeBufferPointer(rebasing: ids[start..<end]))
          start = end
        }
      }
    }
  }

  private let portions: Locked<(kept: [Sentences?], ids: Int)>
  private let limit: Int

  init(count: Int, limit: Int) {
    portions = Locked((kept: Array(repeating: nil, count: count), ids: 0))
    self.limit = limit
  }

  /// How many more ids may be kept.
  var room: Int { portions.withLock { limit - $0.ids } }

  /// Keeps a portion's sentences if the ids kept so far leave room for them.
  func keep(_ sentences: Sentences, at portion: Int) {
    portions.withLock { portions in
      guard portions.ids + sentences.ids.count <= limit else { return }
      portions.ids += sentences.ids.count
      portions.kept[portion] = sentences
    }
  }

  /// A portion's sentences, if they were kept (and its first epoch is over).
  subscript(portion: Int) -> Sentences? { portions.withLock { $0.kept[portion] } }
}

/// Model averaging across processes: `rounds` times in a run, at even steps of a process's
/// progress, every process's matrices become the model of the last round plus the sum of every
/// process's updates since (an all-reduce of the differences). A word one process moved keeps
/// all of its move, as in one process; a plain mean of the models would halve every update of
/// two processes (it lost a third of the analogy accuracy on the benchmark corpus). Each
/// process makes every round, so the collective calls match.
final class ModelAveraging: @unchecked Sendable {
  let group: any ProcessGroup
  let matrices: [SharedMatrix]
  let rounds: Int
  /// Rounds made so far (thread 0's alone).
  private var made = 0
  /// The matrices as the last round left them (the same on every process).
  private var synced: [[Float]]

  init(group: any ProcessGroup, matrices: [SharedMatrix], rounds: Int) {
    (self.group, self.matrices, self.rounds) = (group, matrices, rounds)
    synced = matrices.map { Array(UnsafeBufferPointer(start: $0.base, count: $0.rows * $0.columns)) }
  }

  /// Makes the rounds due at `fraction` of this process's training; the last waits for the
  /// end (`fraction` infinite), since a process's share may hold more words than it planned.
  func catchUp(to fraction: Double) throws {
    let last = fraction == .infinity ? rounds : rounds - 1
    while made < last && fraction >= Double(made + 1) / Double(rounds) {
      for (k, matrix) in matrices.enumerated() {
        let values = UnsafeMutableBufferPointer(start: matrix.base, count: matrix.rows * matrix.columns)
        try synced[k].withUnsafeMutableBufferPointer { base in
          for i in values.indices { values[i] -= base[i] }
          try group.allReduceSum(values)
          for i in values.indices {
            values[i] += base[i]
            base[i] = values[i]
          }
        }
      }
      made += 1
    }
    // After the last round every process must hold the same matrices, bit for bit.
    if made == rounds && fraction == .infinity {
      try group.requireSameBits(
        matrices.map { UnsafeRawBufferPointer(start: $0.base, count: $0.rows * $0.columns * 4) },
        "the averaged vectors")
    }
  }
}

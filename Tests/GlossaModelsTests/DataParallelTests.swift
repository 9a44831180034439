import Foundation
import GlossaData
import GlossaEmbeddings
import GlossaTensor
import Synchronization
import Testing

@testable import GlossaModels

/// Processes of a group played by threads of this process: each collective call waits until
/// every member has made it, then hands each the contributions of all (summed in rank order),
/// so that the trainer's data-parallel path is tested without MPI.
final class ThreadGroup: Sendable {
  let size: Int
  private let condition = NSCondition()
  private let round = Mutex((arrived: 0, generation: 0, slots: [[UInt8]](), result: [[UInt8]]()))

  init(size: Int) { self.size = size }

  /// Member `rank`'s view of the group.
  func member(_ rank: Int) -> Member { Member(rank: rank, group: self) }

  /// Every member's `bytes`, once all have given theirs.
  func exchange(_ rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
    condition.lock()
    defer { condition.unlock() }
    let generation = round.withLock { state in
      if state.slots.isEmpty { state.slots = Array(repeating: [], count: size) }
      state.slots[rank] = bytes
      state.arrived += 1
      if state.arrived == size {
        (state.result, state.slots, state.arrived) = (state.slots, [], 0)
        state.generation += 1
        condition.broadcast()
        return state.generation - 1
      }
      return state.generation
    }
    while round.withLock({ $0.generation }) == generation { condition.wait() }
    return round.withLock { $0.result }
  }

  /// Runs `body` on one thread per member and returns their results in rank order.
  func run<T: Sendable>(_ body: @escaping @Sendable (Member) throws -> T) throws -> [T] {
    let results = Mutex([Int: Result<T, any Error>]())
    let done = DispatchGroup()
    for rank in 0..<size {
      done.enter()
      Thread {
        let result = Result { try body(self.member(rank)) }
        results.withLock { $0[rank] = result }
        done.leave()
      }.start()
    }
    done.wait()
    return try (0..<size).map { rank in try results.withLock { $0[rank]! }.get() }
  }

  final class Member: ProcessGroup {
    let rank: Int
    let group: ThreadGroup
    var size: Int { group.size }

    init(rank: Int, group: ThreadGroup) { (self.rank, self.group) = (rank, group) }

    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { group.exchange(rank, bytes) }

    func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws {
      let all = group.exchange(rank, Array(UnsafeRawBufferPointer(values)))
      for i in values.indices { values[i] = 0 }
      for bytes in all {
        bytes.withUnsafeBytes { raw in
          for i in values.indices { values[i] += raw.loadUnaligned(fromByteOffset: i * 4, as: Float.self) }
        }
      }
    }

    func broadcast(_ values: UnsafeMutableBufferPointer<Float>, from root: Int) throws {
      let all = group.exchange(rank, rank == root ? Array(UnsafeRawBufferPointer(values)) : [])
      all[root].withUnsafeBytes { UnsafeMutableRawBufferPointer(values).copyMemory(from: $0) }
    }
  }
}

/// Data-parallel training: a group's processes (here threads) end where one process ends.
@Suite struct DataParallelTests {
  /// The largest difference between two state dicts relative to each tensor's largest magnitude.
  func difference(_ a: [String: Tensor], _ b: [String: Tensor]) -> Float {
    a.keys.map { name in
      let (p, q) = (a[name]!.scalars, b[name]!.scalars)
      let scale = max(p.map(abs).max() ?? 0, 1e-6)
      return zip(p, q).map { abs($0 - $1) / scale }.max() ?? 0
    }.max() ?? .infinity
  }

  /// A small classifier without dropout (whose masks are drawn per part), trained by SGD.
  static func classifierTraining() -> TextClassifierTraining {
    var training = TextClassifierTraining()
    (training.architecture.embeddingDimension, training.architecture.hidden) = (12, 12)
    (training.architecture.dropout, training.architecture.maximumLength) = (0, 30)
    (training.batchSize, training.optimizer, training.learningRate) = (16, .sgd, 0.5)
    (training.trainer.epochs, training.trainer.showsProgress) = (1, false)
    training.balanceClasses = true
    return training
  }

  /// A small language model without dropout over a streamed corpus.
  static func languageModelTraining() -> LanguageModelTraining {
    var training = LanguageModelTraining()
    (training.architecture.hidden, training.architecture.embeddingDimension) = (12, 12)
    (training.architecture.dropout, training.architecture.layers) = (0, 1)
    training.tokenizer = .words(minimumFrequency: 1, vocabularySize: 300, lowercase: true)
    (training.batchSize, training.bptt, training.learningRate) = (4, 10, 1)
    (training.trainer.epochs, training.trainer.showsProgress) = (1, false)
    training.wholeCorpusLimit = 0  // streamed: each process reads only its columns' bytes
    return training
  }

  @Test func aClassifierTrainedByTwoProcessesEqualsOneProcesssAndTheReplicasAgreeBitForBit() throws {
    let examples = try LabeledText.read(ModelFixtures.sentiment)
    let split = DataSplit.shuffled(count: examples.count, validation: 0.2, seed: 1)
    let (train, validation) = (split.train.map { examples[$0] }, split.validation.map { examples[$0] })
    let training = Self.classifierTraining()
    let alone = try training.train(train, validation: validation).0.stateDict()
    let group = ThreadGroup(size: 3)
    let replicas = try group.run { member in
      var shared = Self.classifierTraining()
      shared.trainer.processGroup = member
      return try shared.train(train, validation: validation).0.stateDict().mapValues { $0.scalars }
    }
    for replica in replicas.dropFirst() { #expect(replica == replicas[0]) }
    let together = replicas[0].mapValues { Tensor($0) }
    #expect(difference(alone.mapValues { Tensor($0.scalars) }, together) < 1e-5)
  }

  @Test func aStreamedLanguageModelTrainedByTwoProcessesEqualsOneProcesss() throws {
    let folder = ModelFixtures.temporary("lm-parallel")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let lines = try String(contentsOf: ModelFixtures.austen, encoding: .utf8).split(separator: "\n")
    let (train, valid) = (
      folder.appendingPathComponent("train.txt"), folder.appendingPathComponent("valid.txt")
    )
    try (lines.prefix(150).joined(separator: "\n") + "\n").write(to: train, atomically: true, encoding: .utf8)
    try (lines.dropFirst(150).prefix(40).joined(separator: "\n") + "\n").write(
      to: valid, atomically: true, encoding: .utf8)
    let training = Self.languageModelTraining()
    let alone = try training.train([train], validation: [valid]).0
    let group = ThreadGroup(size: 2)
    let replicas = try group.run { member in
      var shared = Self.languageModelTraining()
      shared.trainer.processGroup = member
      let model = try shared.train([train], validation: [valid]).0
      return (model.tokenizerFile, model.stateDict().mapValues { $0.scalars })
    }
    #expect(replicas[0].0 == alone.tokenizerFile && replicas[1].0 == alone.tokenizerFile)
    #expect(replicas[0].1 == replicas[1].1)
    #expect(difference(alone.stateDict(), replicas[0].1.mapValues { Tensor($0) }) < 1e-5)
  }

  @Test func aStreamsOwnColumnsAreThoseColumnsOfTheWholeStream() throws {
    let text = (0..<60).map { "line \($0) " + String(repeating: "w\($0 % 7) ", count: $0 % 5 + 1) }
      .joined(separator: "\n")
    let corpus = Corpus(sources: [.text(text)])
    let encode = { @Sendable (line: UnsafeBufferPointer<UInt8>) in
      line.split(separator: 0x20).map { $0.count + Int($0[$0.startIndex]) }
    }
    for limit in [0, 1 << 20] {
      let whole = try TokenStream(corpus: corpus, columns: 5, wholeLimit: limit, encode: encode)
      var windows: [(inputs: [Int], steps: Int)] = []
      while let window = try whole.next(steps: 3) { windows.append((window.inputs, window.steps)) }
      // Two processes read columns 0..<2 and 2..<5, agreeing on each window's length.
      let parts = try ThreadGroup(size: 2).run { member in
        let stream = try TokenStream(
          corpus: corpus, columns: 5, owned: [0..<2, 2..<5][member.rank], wholeLimit: limit, encode: encode)
        stream.agreeOnLength = { try member.minimum($0) }
        var windows: [[Int]] = []
        while let window = try stream.next(steps: 3) { windows.append(window.inputs) }
        return windows
      }
      #expect(parts[0].count == windows.count && parts[1].count == windows.count)
      for (k, window) in windows.enumerated() where k < parts[0].count && k < parts[1].count {
        for t in 0..<window.steps {
          #expect(
            Array(window.inputs[(t * 5)..<(t * 5 + 5)])
              == Array(parts[0][k][(t * 2)..<(t * 2 + 2)]) + parts[1][k][(t * 3)..<(t * 3 + 3)])
        }
      }
    }
  }

  @Test func word2VecAndFastTextTrainedByTwoProcessesEndWithTheSameVectors() throws {
    // The second half of the bytes holds far more words than the first: the process that
    // reads it passes its planned words long before its share ends.
    let austen = try String(contentsOf: ModelFixtures.austen, encoding: .utf8)
    let short = String(repeating: "a b c d e f g h i j k l\n", count: austen.utf8.count / 24)
    let corpus = Corpus(sources: [.text(austen), .text(short)], lowercase: true)
    let words = try WordCounts(counting: corpus, minimumCount: 3)
    for fastText in [false, true] {
      @Sendable func vectors(_ group: (any ProcessGroup)?) throws -> [Float] {
        if fastText {
          var settings = FastText(dimension: 8, minimumCount: 3, epochs: 1)
          (settings.processGroup, settings.averageEvery) = (group, 3000)
          return try settings.train(corpus, vocabulary: words).keyedVectors.vectors
        }
        var settings = Word2Vec(dimension: 8, minimumCount: 3, epochs: 1)
        (settings.processGroup, settings.averageEvery) = (group, 3000)
        return try settings.train(corpus, vocabulary: words).vectors
      }
      let alone = try vectors(nil)
      let replicas = try ThreadGroup(size: 2).run { try vectors($0) }
      #expect(replicas[0] == replicas[1] && replicas[0].count == alone.count)
      #expect(replicas[0] != alone && replicas[0].allSatisfy(\.isFinite))
    }
  }

  @Test func gradientsAreSummedPackedOrInPlaceAndAnUntouchedParameterKeepsNone() throws {
    let large = GradientSum.inPlaceElements + 5
    let sums = try ThreadGroup(size: 3).run { member -> [[Float]?] in
      // Per process: a large parameter, a small one only process 1 touches, one none touches,
      // and a table whose row r process r touches (row 3 all touch).
      let parameters = [Tensor.zeros([large]), Tensor.zeros([3]), Tensor.zeros([2]), Tensor.zeros([5, 2])]
      parameters[0].grad = Tensor((0..<large).map { Float($0 % 7) * Float(member.rank + 1) })
      if member.rank == 1 { parameters[1].grad = Tensor([1, 2, 3]) }
      var table = [Float](repeating: 0, count: 10)
      (table[2 * member.rank], table[2 * member.rank + 1], table[6]) = (1, Float(member.rank), 0.5)
      parameters[3].grad = Tensor(table, shape: [5, 2])
      let (loss, count) = try GradientSum(parameters, rowSparse: [ObjectIdentifier(parameters[3])]).sum(
        over: member, loss: Float(member.rank), count: 10)
      return [[loss, Float(count)]] + parameters.map { $0.grad?.scalars }
    }
    for sum in sums {
      #expect(sum[0] == [3, 30])
      #expect(sum[1] == (0..<large).map { Float($0 % 7) * 6 })
      #expect(sum[2] == [1, 2, 3] && sum[3] == nil)
      #expect(sum[4] == [1, 0, 1, 1, 1, 2, 1.5, 0, 0, 0])
    }
  }

  @Test func wordCountsOfSharesMergeIntoTheCorpussCountsInOrderOfFirstAppearance() {
    let shares: [[(word: String, count: Int)]] = [[("b", 2), ("a\u{0}é", 1)], [("c", 4), ("b", 1)], []]
    let decoded = shares.map { WordCountCoding.decode(WordCountCoding.encode($0)) }
    #expect(decoded.map { $0.map(\.word) } == shares.map { $0.map(\.word) })
    let merged = WordCountCoding.sum(decoded.flatMap { $0 })
    #expect(merged.map(\.word) == ["b", "a\u{0}é", "c"] && merged.map(\.count) == [3, 1, 4])
  }

  @Test func aFailureOnOneProcessIsReportedByEveryProcessAndDifferingSettingsAreNamed() throws {
    let group = ThreadGroup(size: 3)
    let failures = try group.run { member in
      do {
        try member.agree {
          if member.rank == 1 { throw DataFileError(file: "shard-1.txt", message: "no such file") }
        }
        return ""
      } catch { return String(describing: error) }
    }
    #expect(failures == Array(repeating: "process 1 of 3 failed: shard-1.txt: no such file", count: 3))
    let differences = try group.run { member in
      do {
        try member.requireSame(
          ["seed": "1", "batch_size": member.rank == 2 ? "8" : "32"], "the training options")
        return ""
      } catch { return String(describing: error) }
    }
    #expect(
      differences
        == Array(
          repeating:
            "the training options differ between processes: process 2 has batch_size=8, process 0 has batch_size=32",
          count: 3))
    #expect(try group.run { try $0.minimum([5, 2, 9][$0.rank]) } == [2, 2, 2])
  }
}

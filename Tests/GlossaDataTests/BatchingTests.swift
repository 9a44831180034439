import GlossaData
import Testing

/// Splits, batch orders, padding and the language model's token stream.
@Suite struct BatchingTests {
  @Test func seededSplitsAreDisjointCompleteAndRepeatable() {
    let split = DataSplit.shuffled(count: 100, validation: 0.1, test: 0.2, seed: 7)
    #expect(split.validation.count == 10 && split.test.count == 20 && split.train.count == 70)
    #expect(Set(split.train + split.validation + split.test) == Set(0..<100))
    #expect(split == DataSplit.shuffled(count: 100, validation: 0.1, test: 0.2, seed: 7))
    #expect(split != DataSplit.shuffled(count: 100, validation: 0.1, test: 0.2, seed: 8))
    let keys = (0..<1000).map { "movie \($0 % 50)" }
    let hashed = DataSplit.hashed(keys: keys, validationPercent: 20)
    // Every example of a movie lands on one side.
    let sides = Dictionary(grouping: hashed.validation.map { keys[$0] }, by: { $0 }).keys
    #expect(hashed.train.allSatisfy { !sides.contains(keys[$0]) })
    #expect(hashed.validation.count > 0 && hashed.train.count > hashed.validation.count)
  }

  @Test func batchOrdersFollowTheDescentAndDependOnTheEpochAlone() {
    let order = BatchOrder(descent: .miniBatch(4), seed: 3)
    let first = order.batches(count: 10, epoch: 1)
    #expect(first.map(\.count) == [4, 4, 2] && Set(first.flatMap { $0 }) == Set(0..<10))
    #expect(order.batches(count: 10, epoch: 1) == first)
    #expect(order.batches(count: 10, epoch: 2) != first)
    #expect(BatchOrder(descent: .batch).batches(count: 5, epoch: 1).count == 1)
    #expect(BatchOrder(descent: .stochastic).batches(count: 5, epoch: 1).map(\.count) == [1, 1, 1, 1, 1])
    #expect(BatchOrder(descent: .miniBatch(2), shuffle: false).batches(count: 3, epoch: 9) == [[0, 1], [2]])
  }

  @Test func bucketingBatchesSimilarLengths() {
    let lengths = (0..<64).map { ($0 * 37) % 64 }
    let order = BatchOrder(descent: .miniBatch(8), seed: 1, bucketWindow: 8)
    let batches = order.batches(count: 64, epoch: 1, lengths: lengths)
    #expect(Set(batches.flatMap { $0 }) == Set(0..<64))
    // One window of all 64: each batch holds 8 consecutive lengths.
    for batch in batches {
      let spread = batch.map { lengths[$0] }
      #expect(spread.max()! - spread.min()! == 7)
    }
  }

  @Test func paddedBatchesAreTimeFirstWithLengths() {
    let batch = PaddedBatch([[5, 6, 7], [8], []], paddingID: 0)
    #expect(batch.steps == 3 && batch.lengths == [3, 1, 1])
    #expect(batch.ids == [5, 8, 0, 6, 0, 0, 7, 0, 0])
    #expect(batch.sequence(0) == [5, 6, 7] && batch.sequence(1) == [8])
    #expect(PaddedBatch([[1, 2, 3, 4]], paddingID: 0, maximumLength: 2).ids == [1, 2])
  }

  @Test func theTokenStreamGivesEveryTokenOnceInParallelColumns() throws {
    // 40 lines "w<n>" of 4 bytes each: one token each plus an end token (-1).
    let text = (10..<50).map { "w\($0)" }.joined(separator: "\n") + "\n"
    func tokens(_ line: UnsafeBufferPointer<UInt8>) -> [Int] {
      [Int(String(decoding: line.dropFirst(), as: UTF8.self))!, -1]
    }
    let stream = try TokenStream(
      corpus: Corpus(sources: [.text(text)]), columns: 2, wholeLimit: 0, encode: tokens)
    var columns: [[Int]] = [[], []]
    var steps: [Int] = []
    while let window = try stream.next(steps: 6) {
      steps.append(window.steps)
      for t in 0..<window.steps {
        for c in 0..<2 {
          if columns[c].isEmpty { columns[c].append(window.inputs[t * 2 + c]) }
          #expect(columns[c].last == window.inputs[t * 2 + c], "inputs follow on from the targets")
          columns[c].append(window.targets[t * 2 + c])
        }
      }
    }
    // Each column is its share of the corpus in order: the first 20 lines, then the last 20.
    #expect(columns[0] == (10..<30).flatMap { [$0, -1] })
    #expect(columns[1] == (30..<50).flatMap { [$0, -1] })
    #expect(steps.dropLast().allSatisfy { $0 == 6 } && columns[0].count == 40)
    let again = try TokenStream(
      corpus: Corpus(sources: [.text(text)]), columns: 2, wholeLimit: 0, encode: tokens)
    try again.skip(2, steps: 6)
    let third = try TokenStream(
      corpus: Corpus(sources: [.text(text)]), columns: 2, wholeLimit: 0, encode: tokens)
    _ = try third.next(steps: 6)
    _ = try third.next(steps: 6)
    #expect(try again.next(steps: 6)?.inputs == third.next(steps: 6)?.inputs)
  }

  @Test func aSmallCorpusIsCutIntoEqualColumnsAsPyTorchBatchifies() throws {
    // One long line and a short one: by bytes a column would be empty; by tokens each has 5.
    let text = "a b c d e f g h i j k\nl\n"
    let stream = try TokenStream(corpus: Corpus(sources: [.text(text)]), columns: 2) { line in
      line.split(separator: UInt8(ascii: " ")).map { Int($0[$0.startIndex]) - 97 }
    }
    let window = try #require(try stream.next(steps: 10))
    #expect(window.steps == 5)
    #expect((0..<5).map { window.inputs[$0 * 2] } == [0, 1, 2, 3, 4])  // tokens 0–5 (a–f)
    #expect((0..<5).map { window.targets[$0 * 2 + 1] } == [7, 8, 9, 10, 11])  // tokens 6–11 (g–l)
    #expect(try stream.next(steps: 10) == nil)
  }
}

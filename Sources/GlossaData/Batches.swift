import GlossaOptim
import GlossaTensor

/// Which examples make each update of an epoch: the lecture's batch, stochastic or mini-batch
/// gradient descent, in an order drawn again each epoch from the seed and the epoch alone (so
/// that a run resumed at any epoch sees the orders an uninterrupted run sees). With lengths,
/// examples of similar length are batched together (bucketing: less padding) while the order
/// of the batches stays random.
public struct BatchOrder: Sendable {
  /// How many examples each update sees.
  public var descent: GradientDescent
  /// Whether the order is drawn at random (otherwise the examples in order).
  public var shuffle: Bool
  /// The seed every epoch's order is drawn from.
  public var seed: UInt64
  /// Bucketing: each run of this many batches' worth of shuffled examples is sorted by length
  /// before it is cut into batches (0: no bucketing).
  public var bucketWindow: Int

  /// An order for the given kind of descent.
  public init(descent: GradientDescent, shuffle: Bool = true, seed: UInt64 = 0, bucketWindow: Int = 0) {
    (self.descent, self.shuffle, self.seed, self.bucketWindow) = (descent, shuffle, seed, bucketWindow)
  }

  /// The batches of epoch `epoch` (from 1) over `count` examples, as example indices; `lengths`
  /// (one per example) are used for bucketing.
  public func batches(count: Int, epoch: Int, lengths: [Int]? = nil) -> [[Int]] {
    let size = max(1, descent.batchSize(for: count))
    var generator = SeededGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
    var order = shuffle ? seededShuffle(Array(0..<count), &generator) : Array(0..<count)
    if let lengths, bucketWindow > 0 {
      precondition(lengths.count == count, "BatchOrder: \(lengths.count) lengths for \(count) examples")
      let window = size * bucketWindow
      for start in stride(from: 0, to: count, by: window) {
        let end = min(start + window, count)
        // A stable sort: ties keep their shuffled order.
        let sorted = order[start..<end].enumerated().sorted {
          (lengths[$0.element], $0.offset) < (lengths[$1.element], $1.offset)
        }
        order.replaceSubrange(start..<end, with: sorted.map(\.element))
      }
    }
    var batches = stride(from: 0, to: count, by: size).map { Array(order[$0..<min($0 + size, count)]) }
    if shuffle && lengths != nil && bucketWindow > 0 { batches = seededShuffle(batches, &generator) }
    return batches
  }
}

/// Sequences of token ids of different lengths made into one rectangular batch: padded with
/// `paddingID` to the longest (or cut at `maximumLength`), laid out time-first
/// (`ids[t * batch + b]`), with each sequence's length, which the recurrent layers take so that
/// padding changes nothing.
public struct PaddedBatch: Sendable, Equatable {
  /// The ids, `steps × batch`, time-first.
  public let ids: [Int]
  /// Each sequence's length after cutting (at least 1: an empty sequence becomes one padding token).
  public let lengths: [Int]
  /// The padded length.
  public let steps: Int
  /// The number of sequences.
  public var batch: Int { lengths.count }

  /// The batch of `sequences`.
  public init(_ sequences: [[Int]], paddingID: Int, maximumLength: Int? = nil) {
    let cut = sequences.map { sequence in maximumLength.map { Array(sequence.prefix($0)) } ?? sequence }
    let lengths = cut.map { max($0.count, 1) }
    let steps = lengths.max() ?? 1
    var ids = [Int](repeating: paddingID, count: steps * cut.count)
    for (b, sequence) in cut.enumerated() {
      for (t, id) in sequence.enumerated() { ids[t * cut.count + b] = id }
    }
    (self.ids, self.lengths, self.steps) = (ids, lengths, steps)
  }

  /// The ids of sequence `b`, without its padding.
  public func sequence(_ b: Int) -> [Int] { (0..<lengths[b]).map { ids[$0 * batch + b] } }
}

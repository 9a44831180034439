import GlossaOptim
import GlossaTensor

/// Cuts a dataset of inputs and targets (examples along axis 0) into batches, reshuffled
/// each epoch with a seeded generator.
public struct DataLoader: Sequence {
  /// The inputs, one example per row of axis 0.
  public let inputs: Tensor
  /// The targets, one per example.
  public let targets: Tensor
  /// How many examples each update sees.
  public let descent: GradientDescent
  /// Whether the order is reshuffled each epoch.
  public let shuffle: Bool
  /// Set to false to keep a last batch smaller than the batch size.
  public let dropLast: Bool
  private var generator: SeededGenerator

  /// A loader over `inputs` and `targets`, shuffled with `seed`.
  public init(
    inputs: Tensor, targets: Tensor, descent: GradientDescent, shuffle: Bool = true,
    dropLast: Bool = false, seed: UInt64 = 0
  ) {
    require(
      inputs.rank >= 1 && targets.rank >= 1 && inputs.shape[0] == targets.shape[0],
      "DataLoader: inputs \(inputs.shape) and targets \(targets.shape) hold different numbers of examples"
    )
    require(descent.batchSize(for: inputs.shape[0]) > 0, "DataLoader: batch size must be positive")
    self.inputs = inputs
    self.targets = targets
    self.descent = descent
    self.shuffle = shuffle
    self.dropLast = dropLast
    generator = SeededGenerator(seed: seed)
  }

  /// The number of examples.
  public var count: Int { inputs.shape[0] }

  /// The number of updates (batches) in one epoch.
  public var batchesPerEpoch: Int {
    let size = descent.batchSize(for: count)
    return dropLast ? count / size : (count + size - 1) / size
  }

  /// The batches of the next epoch. Each call draws a new order from the generator.
  public mutating func nextEpoch() -> [(inputs: Tensor, targets: Tensor)] {
    var order = Array(0..<count)
    if shuffle { order.shuffle(using: &generator) }
    let size = descent.batchSize(for: count)
    return (0..<batchesPerEpoch).map { b in
      let indices = Array(order[(b * size)..<Swift.min((b + 1) * size, count)])
      return (inputs.indexSelect(axis: 0, indices: indices), targets.indexSelect(axis: 0, indices: indices))
    }
  }

  /// Iterates over one epoch, in the order drawn from the loader's current generator state.
  public func makeIterator() -> IndexingIterator<[(inputs: Tensor, targets: Tensor)]> {
    var copy = self
    return copy.nextEpoch().makeIterator()
  }
}

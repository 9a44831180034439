import GlossaTensor

/// Training, validation and test parts of a dataset, as indices of its examples.
public struct DataSplit: Sendable, Equatable {
  /// The examples to train on.
  public var train: [Int]
  /// The examples to choose settings and stop on.
  public var validation: [Int]
  /// The examples held out for the final figure.
  public var test: [Int]

  /// `count` examples shuffled with `seed`, then cut: the first `validation` share (rounded
  /// down, at least one when the share is positive and there are two examples or more) is the
  /// validation part, the next `test` share the test part, the rest the training part (each in
  /// the original order).
  public static func shuffled(count: Int, validation: Double, test: Double = 0, seed: UInt64) -> DataSplit {
    precondition(
      validation >= 0 && test >= 0 && validation + test < 1, "DataSplit: shares must leave some training data"
    )
    var generator = SeededGenerator(seed: seed)
    let order = seededShuffle(Array(0..<count), &generator)
    func size(_ share: Double) -> Int { share > 0 && count > 1 ? max(1, Int(share * Double(count))) : 0 }
    let (v, t) = (size(validation), size(test))
    return DataSplit(
      train: order[(v + t)...].sorted(), validation: order[..<v].sorted(), test: order[v..<(v + t)].sorted())
  }

  /// Examples split by a hash of a key (a movie's name, a sentence): an example goes to the
  /// validation part when the 64-bit FNV-1a hash of its key's UTF-8, modulo 100, is below
  /// `validationPercent`, to the test part when below `validationPercent + testPercent`. The
  /// same key always lands on the same side, whatever else the file holds.
  public static func hashed(keys: [String], validationPercent: Int, testPercent: Int = 0) -> DataSplit {
    var split = DataSplit(train: [], validation: [], test: [])
    for (i, key) in keys.enumerated() {
      var hash: UInt64 = 0xCBF2_9CE4_8422_2325
      for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
      let bucket = Int(hash % 100)
      if bucket < validationPercent {
        split.validation.append(i)
      } else if bucket < validationPercent + testPercent {
        split.test.append(i)
      } else {
        split.train.append(i)
      }
    }
    return split
  }
}

/// `items` in an order drawn from `generator` (Fisher–Yates, written out so that the order
/// depends only on the generator, not on the standard library's version).
func seededShuffle<T>(_ items: [T], _ generator: inout SeededGenerator) -> [T] {
  var items = items
  for i in stride(from: items.count - 1, to: 0, by: -1) {
    items.swapAt(i, Int(generator.next() % UInt64(i + 1)))
  }
  return items
}

import GlossaTensor

/// Dropout: while training, zeroes each element with probability p and scales the rest
/// by 1/(1 − p) (inverted dropout), so evaluation needs no rescaling; in evaluation mode
/// it passes its input through.
public final class Dropout: Layer, ModeDependent, Stochastic {
  /// The probability of zeroing an element.
  public let probability: Float
  /// True while training (the default).
  public var isTraining = true
  private var generator: SeededGenerator

  /// Dropout with probability `p`; the masks come from a generator seeded with `seed`.
  public init(_ p: Float = 0.5, seed: UInt64 = 0) {
    require(p >= 0 && p < 1, "Dropout: probability \(p) is outside [0, 1)")
    probability = p
    generator = SeededGenerator(seed: seed)
  }

  public func reseed(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard isTraining, probability > 0 else { return input }
    let keep = 1 - probability
    let mask = Tensor.uniform(input.shape, generator: &generator)
    mask.withUnsafeMutableBufferPointer { m in
      for i in 0..<m.count { m[i] = m[i] < keep ? 1 / keep : 0 }
    }
    return input * mask
  }
}

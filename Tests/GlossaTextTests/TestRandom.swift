/// The tests' random inputs: a linear congruential generator (Knuth's MMIX constants) from a
/// seed, so that every run, on every platform, draws the same numbers and a failure can be
/// seen again.
struct TestRandom {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// A number from 0 to `n` − 1.
  mutating func next(_ n: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(n))
  }
}

import Foundation

/// Negative sampling's noise distribution: word w is drawn with probability proportional
/// to count(w)^0.75 (Mikolov et al. 2013). Sampled in constant time with Walker's alias
/// method: pick a column uniformly, then keep it or take its alias by a biased coin. The
/// tables hold one entry per word, so they stay in cache.
struct NoiseDistribution: Sendable {
  private let keep: [UInt32]
  private let alias: [Int32]

  init(counts: [Int], power: Double = 0.75) {
    let n = counts.count
    let weights = counts.map { pow(Double($0), power) }
    let total = weights.reduce(0, +)
    var scaled = weights.map { $0 * Double(n) / total }
    var alias = [Int32](0..<Int32(n))
    var small = scaled.indices.filter { scaled[$0] < 1 }
    var large = scaled.indices.filter { scaled[$0] >= 1 }
    while let s = small.popLast(), let l = large.last {
      alias[s] = Int32(l)
      scaled[l] -= 1 - scaled[s]
      if scaled[l] < 1 {
        large.removeLast()
        small.append(l)
      }
    }
    keep = scaled.map { UInt32(min($0, 1) * 4_294_967_295) }
    self.alias = alias
  }

  /// A word drawn from one 64-bit random number: its high half picks the column, its low
  /// half tosses the coin.
  @inline(__always)
  func sample(_ random: UInt64) -> Int32 {
    let column = Int(((random >> 32) &* UInt64(keep.count)) >> 32)
    // Both candidates are loaded, so the coin costs a conditional move, not a branch.
    let (own, other) = (Int32(truncatingIfNeeded: column), alias.withUnsafeBufferPointer { $0[column] })
    return UInt32(truncatingIfNeeded: random) <= keep.withUnsafeBufferPointer({ $0[column] }) ? own : other
  }
}

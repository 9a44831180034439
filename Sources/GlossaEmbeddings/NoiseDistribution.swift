import Foundation

/// Negative sampling's noise distribution: word w is drawn with probability proportional
/// to count(w)^0.75 (Mikolov et al. 2013). Sampled in constant time with Walker's alias
/// method: pick a column uniformly, then keep it or take its alias by a biased coin. The
/// table holds one entry per word, so it stays in cache.
struct NoiseDistribution: Sendable {
  /// Each column's coin (the low 32 bits: keep the column when a random `UInt32` is at most
  /// this) and its alias (the high 32 bits), side by side so that one read fetches both.
  private let columns: [UInt64]

  init(counts: [Int], power: Double = 0.75) {
    let n = counts.count
    var weights = counts.map { pow(Double(max($0, 0)), power) }
    if !(weights.reduce(0, +) > 0) { weights = Array(repeating: 1, count: n) }  // no counts: uniform
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
    columns = zip(scaled, alias).map { keep, alias in
      UInt64(UInt32(bitPattern: alias)) << 32 | UInt64(UInt32(min(keep, 1) * 4_294_967_295))
    }
  }

  /// A word drawn from one 64-bit random number: its high half picks the column, its low
  /// half tosses the coin.
  @inline(__always)
  func sample(_ random: UInt64) -> Int32 {
    columns.withUnsafeBufferPointer { columns in
      let column = Int(((random >> 32) &* UInt64(columns.count)) >> 32)
      let entry = columns[column]
      let keepsColumn = UInt32(truncatingIfNeeded: random) <= UInt32(truncatingIfNeeded: entry)
      return keepsColumn ? Int32(truncatingIfNeeded: column) : Int32(truncatingIfNeeded: entry >> 32)
    }
  }
}

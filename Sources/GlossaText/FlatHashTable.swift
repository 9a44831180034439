/// An open-addressing hash table from 64-bit keys to dense slot numbers 0, 1, 2, … (in order
/// of insertion), with linear probing. Callers keep their values in arrays indexed by slot.
/// Faster than `Dictionary` for the trainers' hot loops: one multiply to hash, no seeding.
struct FlatHashTable {
  private var keys: [UInt64]
  private var slots: [Int32]  // −1: empty
  private(set) var count = 0

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    keys = [UInt64](repeating: 0, count: size)
    slots = [Int32](repeating: -1, count: size)
  }

  @inline(__always)
  private func position(_ key: UInt64) -> Int {
    probeStart(key, mask: keys.count - 1)
  }

  /// The slot of `key`, or nil. `matches` confirms a candidate when keys are fingerprints.
  @inline(__always)
  func slot(of key: UInt64, matches: (Int32) -> Bool = { _ in true }) -> Int32? {
    var p = position(key)
    while slots[p] >= 0 {
      if keys[p] == key && matches(slots[p]) { return slots[p] }
      p = (p + 1) & (keys.count - 1)
    }
    return nil
  }

  /// Inserts `key` (which must be absent) and returns its new slot.
  @discardableResult
  mutating func insert(_ key: UInt64) -> Int32 {
    if (count + 1) * 2 > keys.count { grow() }
    var p = position(key)
    while slots[p] >= 0 { p = (p + 1) & (keys.count - 1) }
    keys[p] = key
    slots[p] = Int32(count)
    count += 1
    return slots[p]
  }

  private mutating func grow() {
    let (oldKeys, oldSlots) = (keys, slots)
    keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
    slots = [Int32](repeating: -1, count: oldKeys.count * 2)
    for (key, slot) in zip(oldKeys, oldSlots) where slot >= 0 {
      var p = position(key)
      while slots[p] >= 0 { p = (p + 1) & (keys.count - 1) }
      keys[p] = key
      slots[p] = slot
    }
  }
}

/// Where a key starts its probe in an open-addressing table of a power-of-two size, `mask` + 1:
/// Fibonacci hashing (the key times 2⁶⁴/φ, whose high bits mix every bit of the key). The
/// project's open-addressing tables share it.
@inline(__always)
func probeStart(_ key: UInt64, mask: Int) -> Int {
  Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
}

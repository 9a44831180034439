/// An open-addressing hash table from 64-bit keys (pairs of 32-bit ids, mostly) to small
/// values kept beside their keys, so that a lookup touches one cache line. Linear probing from
/// Fibonacci hashing (``probeStart(_:mask:)``); one multiply to hash, no seeding. It serves the
/// BPE merge table (pair → rank and result), the BPE trainer's pair slots (pair → slot) and
/// GloVe's co-occurrence counts (word pair → running sum). `UInt64.max` is not a key.
package struct IntegerKeyTable<Value: BitwiseCopyable & Sendable>: Sendable {
  @usableFromInline
  struct Entry {
    @usableFromInline var key: UInt64
    @usableFromInline var value: Value
  }

  @usableFromInline static var empty: UInt64 { .max }
  @usableFromInline var entries: [Entry]
  @usableFromInline var filler: Value
  /// The number of keys.
  package private(set) var count = 0

  /// A table with room for `capacity` keys before it first grows; `filler` is the value empty
  /// entries hold (never read).
  package init(capacity: Int, filler: Value) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    self.filler = filler
    entries = [Entry](repeating: Entry(key: Self.empty, value: filler), count: size)
  }

  /// The entry that holds `key`, or the empty one where it would go.
  @inlinable @inline(__always)
  func position(_ key: UInt64) -> Int {
    entries.withUnsafeBufferPointer { entries in
      let mask = entries.count - 1
      var p = probeStart(key, mask: mask)
      while entries[p].key != key && entries[p].key != Self.empty { p = (p + 1) & mask }
      return p
    }
  }

  /// The value of `key`, or nil.
  @inlinable @inline(__always)
  package func value(of key: UInt64) -> Value? {
    let p = position(key)
    return entries[p].key == key ? entries[p].value : nil
  }

  /// Adds `key` with `value` unless the key is there already (its value then stays); returns
  /// whether it was added.
  @inlinable @discardableResult
  package mutating func insertIfAbsent(_ key: UInt64, _ value: Value) -> Bool {
    let p = position(key)
    guard entries[p].key != key else { return false }
    entries[p] = Entry(key: key, value: value)
    count += 1
    if count * 2 > entries.count { grow() }
    return true
  }

  /// Changes the value of `key` in place, adding it with `initial` first when it is absent.
  @inlinable @inline(__always)
  package mutating func update(_ key: UInt64, initial: Value, _ change: (inout Value) -> Void) {
    if count * 2 >= entries.count { grow() }
    let p = position(key)
    if entries[p].key != key {
      entries[p] = Entry(key: key, value: initial)
      count += 1
    }
    change(&entries[p].value)
  }

  /// Every key with its value, in no particular order.
  package var keysAndValues: [(key: UInt64, value: Value)] {
    entries.compactMap { $0.key == Self.empty ? nil : ($0.key, $0.value) }
  }

  /// Removes every key, keeping the room.
  package mutating func removeAll() {
    for i in entries.indices { entries[i] = Entry(key: Self.empty, value: filler) }
    count = 0
  }

  /// Doubles the entries, each moved to its place in the larger array.
  @usableFromInline
  mutating func grow() {
    let old = entries
    entries = [Entry](repeating: Entry(key: Self.empty, value: filler), count: old.count * 2)
    for entry in old where entry.key != Self.empty { entries[position(entry.key)] = entry }
  }
}

/// The 64-bit key of a pair of 32-bit ids.
@inlinable @inline(__always)
package func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
  UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
}

/// Where a key starts its probe in an open-addressing table of a power-of-two size, `mask` + 1:
/// Fibonacci hashing (the key times 2⁶⁴/φ, whose high bits mix every bit of the key). The
/// project's open-addressing tables share it.
@inlinable @inline(__always)
package func probeStart(_ key: UInt64, mask: Int) -> Int {
  Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
}

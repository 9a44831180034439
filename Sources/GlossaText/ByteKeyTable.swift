import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Byte strings → 64-bit values, for the loops that look words up by their UTF-8 bytes (the
/// term table, the tokenizer's memo). Open addressing over 32-byte entries that each hold
/// part of a key's hash, its length, its first eight bytes, where all its bytes are stored
/// and the value, so that finding a key of up to eight bytes reads one entry and nothing
/// else. Keys are copied into blocks that never move, so a pointer to a stored key stays valid
/// as long as the table.
///
/// A table made with a fixed capacity never grows: it refuses keys once full, and one thread
/// may insert while others look keys up (an entry is written whole, then published by storing
/// where its bytes are with release ordering, which readers load with acquire ordering). A
/// growing table may be read from several threads only while nobody inserts.
struct ByteKeyTable: ~Copyable, @unchecked Sendable {
  private struct Entry: ~Copyable {
    var tag: UInt32 = 0  // the hash's low half
    var length: UInt32 = 0
    var prefix: UInt64 = 0
    let bytes = Atomic<UInt>(0)  // where the key is stored; 0: empty
    var value: UInt64 = 0
  }

  private var entries: UnsafeMutablePointer<Entry>
  private var mask: Int
  /// The most keys it takes (nil: it grows).
  let capacity: Int?
  private(set) var count = 0
  private var blocks: [UnsafeMutablePointer<UInt8>] = []
  private var used = 0
  private static let blockSize = 1 << 20

  /// An empty table that grows, or that holds at most `capacity` keys.
  init(capacity: Int? = nil) {
    self.capacity = capacity
    // At most half full: room for twice the capacity, rounded up to a power of two.
    let slots = capacity.map { max(16, 1 << (Int.bitWidth - (2 * $0 - 1).leadingZeroBitCount)) } ?? 1 << 10
    entries = Self.emptyEntries(slots)
    mask = slots - 1
  }

  deinit {
    for block in blocks { block.deallocate() }
    free(entries)
  }

  /// `count` empty entries: zeroed memory, which is what an empty entry is (and which the
  /// system hands out untouched, so that a large table costs memory only where it is used).
  private static func emptyEntries(_ count: Int) -> UnsafeMutablePointer<Entry> {
    calloc(count, MemoryLayout<Entry>.stride)!.bindMemory(to: Entry.self, capacity: count)
  }

  /// Whether no key may be added.
  var isFull: Bool { capacity.map { count >= $0 } ?? false }

  /// Where a key is, or would go: its entry, and whether it is there.
  struct Position {
    fileprivate let slot: Int
    let found: Bool
    fileprivate let digest: KeyDigest
  }

  /// Finds `key`.
  @inline(__always)
  func locate(_ key: UnsafeBufferPointer<UInt8>) -> Position {
    let digest = KeyDigest(key)
    let tag = UInt32(truncatingIfNeeded: digest.hash)
    var p = probeStart(digest.hash, mask: mask)
    while case let stored = entries[p].bytes.load(ordering: .acquiring), stored != 0 {
      let entry = entries + p
      if entry.pointee.tag == tag && entry.pointee.length == key.count
        && entry.pointee.prefix == digest.prefix
        && (key.count <= 8
          || memcmp(UnsafeRawPointer(bitPattern: stored)! + 8, key.baseAddress! + 8, key.count - 8) == 0)
      {
        return Position(slot: p, found: true, digest: digest)
      }
      p = (p + 1) & mask
    }
    return Position(slot: p, found: false, digest: digest)
  }

  /// The value at a found position.
  @inline(__always)
  func value(at position: Position) -> UInt64 { entries[position.slot].value }

  /// The value of `key`, or nil.
  @inline(__always)
  func value(of key: UnsafeBufferPointer<UInt8>) -> UInt64? {
    let position = locate(key)
    return position.found ? value(at: position) : nil
  }

  /// Stores `key` (absent, at `position` from ``locate(_:)`` with no insertion since) with
  /// `value`, and returns where its bytes now live; nil when the table is full.
  @discardableResult
  mutating func insert(
    _ key: UnsafeBufferPointer<UInt8>, value: UInt64, at position: Position
  ) -> UnsafePointer<UInt8>? {
    if isFull { return nil }
    if blocks.isEmpty || used + key.count > Self.blockSize {
      blocks.append(.allocate(capacity: max(Self.blockSize, key.count)))
      used = 0
    }
    let copy = blocks[blocks.count - 1] + used
    if let base = key.baseAddress { copy.update(from: base, count: key.count) }
    used += key.count
    publish(
      at: position.slot, tag: UInt32(truncatingIfNeeded: position.digest.hash), length: UInt32(key.count),
      prefix: position.digest.prefix, value: value, bytes: UInt(bitPattern: copy))
    count += 1
    if capacity == nil && count * 2 > mask + 1 { grow() }
    return UnsafePointer(copy)
  }

  /// Doubles the entries, each moved to its place in the larger array (found by hashing its
  /// stored bytes again: entries keep only half of the hash).
  private mutating func grow() {
    let (old, oldCount) = (entries, mask + 1)
    entries = Self.emptyEntries(2 * oldCount)
    mask = 2 * oldCount - 1
    for i in 0..<oldCount {
      let bytes = old[i].bytes.load(ordering: .relaxed)
      guard let stored = UnsafePointer<UInt8>(bitPattern: bytes) else { continue }
      let key = UnsafeBufferPointer(start: stored, count: Int(old[i].length))
      var p = probeStart(KeyDigest(key).hash, mask: mask)
      while entries[p].bytes.load(ordering: .relaxed) != 0 { p = (p + 1) & mask }
      publish(
        at: p, tag: old[i].tag, length: old[i].length, prefix: old[i].prefix, value: old[i].value,
        bytes: bytes)
    }
    free(old)
  }

  /// Fills the empty entry at `slot`, then makes it visible: where its key is stored goes in
  /// last, with release ordering, so that a reader who sees it sees the rest.
  private func publish(at slot: Int, tag: UInt32, length: UInt32, prefix: UInt64, value: UInt64, bytes: UInt)
  {
    let entry = entries + slot
    (entry.pointee.tag, entry.pointee.length) = (tag, length)
    (entry.pointee.prefix, entry.pointee.value) = (prefix, value)
    entry.pointee.bytes.store(bytes, ordering: .releasing)
  }
}

/// A key's hash and its first eight bytes (zero-padded), read in one pass: the bytes taken
/// eight at a time, each block folded in with a multiply and a shift (as in MurmurHash's
/// finalizer), so that a word costs one or two multiplies.
struct KeyDigest {
  private(set) var hash: UInt64
  private(set) var prefix: UInt64 = 0

  @inline(__always)
  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    let count = bytes.count
    hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
    guard let base = bytes.baseAddress else { return }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= count {
      fold(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), first: i == 0)
      i += 8
    }
    if i < count {
      var tail: UInt64 = 0
      for k in i..<count { tail |= UInt64(bytes[k]) << UInt64(8 * (k - i)) }
      fold(tail, first: i == 0)
    }
  }

  @inline(__always)
  private mutating func fold(_ block: UInt64, first: Bool) {
    if first { prefix = block }
    hash = (hash ^ block) &* 0xFF51_AFD7_ED55_8CCD
    hash ^= hash >> 32
  }
}

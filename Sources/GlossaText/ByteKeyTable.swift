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
/// as long as the table. Reading from several threads is safe while nobody inserts.
struct ByteKeyTable: ~Copyable, @unchecked Sendable {
  private struct Entry {
    var tag: UInt32 = 0  // the hash's low half
    var length: UInt32 = 0
    var prefix: UInt64 = 0
    var bytes: UnsafePointer<UInt8>? = nil  // nil: empty
    var value: UInt64 = 0
  }

  private var entries = [Entry](repeating: Entry(), count: 1 << 10)
  private(set) var count = 0
  private var blocks: [UnsafeMutablePointer<UInt8>] = []
  private var used = 0
  private static let blockSize = 1 << 20

  init() {}

  deinit { for block in blocks { block.deallocate() } }

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
    let mask = entries.count - 1
    var p = probeStart(digest.hash, mask: mask)
    return entries.withUnsafeBufferPointer { entries in
      while let stored = entries[p].bytes {
        let entry = entries[p]
        if entry.tag == tag && entry.length == key.count && entry.prefix == digest.prefix
          && (key.count <= 8 || memcmp(stored + 8, key.baseAddress! + 8, key.count - 8) == 0)
        {
          return Position(slot: p, found: true, digest: digest)
        }
        p = (p + 1) & mask
      }
      return Position(slot: p, found: false, digest: digest)
    }
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
  /// `value`, and returns where its bytes now live.
  @discardableResult
  mutating func insert(
    _ key: UnsafeBufferPointer<UInt8>, value: UInt64, at position: Position
  ) -> UnsafePointer<UInt8> {
    if blocks.isEmpty || used + key.count > Self.blockSize {
      blocks.append(.allocate(capacity: max(Self.blockSize, key.count)))
      used = 0
    }
    let copy = blocks[blocks.count - 1] + used
    if let base = key.baseAddress { copy.update(from: base, count: key.count) }
    used += key.count
    entries[position.slot] = Entry(
      tag: UInt32(truncatingIfNeeded: position.digest.hash), length: UInt32(key.count),
      prefix: position.digest.prefix, bytes: UnsafePointer(copy), value: value)
    count += 1
    if count * 2 > entries.count { grow() }
    return UnsafePointer(copy)
  }

  /// Doubles the entries, each moved to its place in the larger array (found by hashing its
  /// stored bytes again: entries keep only half of the hash).
  private mutating func grow() {
    let old = entries
    entries = [Entry](repeating: Entry(), count: old.count * 2)
    let mask = entries.count - 1
    for entry in old {
      guard let bytes = entry.bytes else { continue }
      var p = probeStart(
        KeyDigest(UnsafeBufferPointer(start: bytes, count: Int(entry.length))).hash, mask: mask)
      while entries[p].bytes != nil { p = (p + 1) & mask }
      entries[p] = entry
    }
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

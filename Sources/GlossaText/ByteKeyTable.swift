#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Byte strings → 64-bit values, for the loops that look words up by their UTF-8 bytes (the
/// term table, the tokenizer's memo). Open addressing over entries that each hold a key's
/// hash, where its bytes are stored, their length and the value, so that a lookup reads one
/// entry and the bytes: two cache lines. Keys are copied into blocks that never move, so a
/// pointer to a stored key stays valid as long as the table. Reading from several threads is
/// safe while nobody inserts.
struct ByteKeyTable: ~Copyable, @unchecked Sendable {
  private struct Entry {
    var hash: UInt64 = 0
    var bytes: UnsafePointer<UInt8>? = nil  // nil: empty
    var length = 0
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
    fileprivate let hash: UInt64
  }

  @inline(__always)
  private func start(_ hash: UInt64) -> Int {
    probeStart(hash, mask: entries.count - 1)
  }

  /// Finds `key`.
  @inline(__always)
  func locate(_ key: UnsafeBufferPointer<UInt8>) -> Position {
    let hash = hashBytes(key)
    let mask = entries.count - 1
    var p = start(hash)
    return entries.withUnsafeBufferPointer { entries in
      while let stored = entries[p].bytes {
        if entries[p].hash == hash && entries[p].length == key.count
          && (key.count == 0 || memcmp(stored, key.baseAddress!, key.count) == 0)
        {
          return Position(slot: p, found: true, hash: hash)
        }
        p = (p + 1) & mask
      }
      return Position(slot: p, found: false, hash: hash)
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
      hash: position.hash, bytes: UnsafePointer(copy), length: key.count, value: value)
    count += 1
    if count * 2 > entries.count { grow() }
    return UnsafePointer(copy)
  }

  /// Doubles the entries, each moved to its place in the larger array.
  private mutating func grow() {
    let old = entries
    entries = [Entry](repeating: Entry(), count: old.count * 2)
    let mask = entries.count - 1
    for entry in old where entry.bytes != nil {
      var p = start(entry.hash)
      while entries[p].bytes != nil { p = (p + 1) & mask }
      entries[p] = entry
    }
  }
}

/// A hash of some bytes taken eight at a time (each block folded in with a multiply and a
/// shift, as in MurmurHash's finalizer), so that a word costs one or two multiplies.
@inline(__always)
func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
  let count = bytes.count
  var h = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
  @inline(__always) func fold(_ block: UInt64) {
    h = (h ^ block) &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 32
  }
  guard let base = bytes.baseAddress else { return h }
  let raw = UnsafeRawPointer(base)
  var i = 0
  while i + 8 <= count {
    fold(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    i += 8
  }
  if i < count {
    var tail: UInt64 = 0
    for k in i..<count { tail |= UInt64(bytes[k]) << UInt64(8 * (k - i)) }
    fold(tail)
  }
  return h
}

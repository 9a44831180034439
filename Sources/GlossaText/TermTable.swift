#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Terms ↔ provisional ids, looked up by their UTF-8 bytes so that counting a corpus makes
/// no `String` per token. New terms' bytes are copied into fixed blocks that never move,
/// which the table's keys point into. Reading (``existingID(_:count:)``) from several threads
/// is safe while nobody adds.
public final class TermTable: @unchecked Sendable {
  // Only the owner adds, never while others read (see above), so accesses go unchecked.
  @exclusivity(unchecked) private var table = FlatHashTable()
  /// Where each term's bytes are stored, by id.
  @exclusivity(unchecked) private var stored: [(start: UnsafePointer<UInt8>, count: Int)] = []
  private var blocks: [UnsafeMutablePointer<UInt8>] = []
  private var used = 0
  private static let blockSize = 1 << 20
  /// The terms, by id.
  public private(set) var terms: [String] = []

  /// An empty table.
  public init() {}

  /// The number of terms.
  public var count: Int { terms.count }

  deinit { for block in blocks { block.deallocate() } }

  /// The id of the term with these bytes, or nil when it is not in the table.
  @inline(__always)
  public func existingID(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32? {
    existingID(bytes, count: count, key: hashBytes(UnsafeBufferPointer(start: bytes, count: count)))
  }

  @inline(__always)
  private func existingID(_ bytes: UnsafePointer<UInt8>, count: Int, key: UInt64) -> Int32? {
    table.slot(of: key) { id in
      let term = self.stored[Int(id)]
      return term.count == count && memcmp(term.start, bytes, count) == 0
    }
  }

  /// The id of the term with these bytes, adding it if new.
  public func id(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32 {
    let key = hashBytes(UnsafeBufferPointer(start: bytes, count: count))
    if let found = existingID(bytes, count: count, key: key) { return found }
    if blocks.isEmpty || used + count > Self.blockSize {
      blocks.append(.allocate(capacity: max(Self.blockSize, count)))
      used = 0
    }
    let copy = blocks[blocks.count - 1] + used
    copy.update(from: bytes, count: count)
    used += count
    stored.append((UnsafePointer(copy), count))
    terms.append(String(decoding: UnsafeBufferPointer(start: copy, count: count), as: UTF8.self))
    return table.insert(key)
  }

  /// Whether term `a` comes before term `b` in code point order (which is their UTF-8
  /// bytes' order, so the bytes are compared directly).
  public func precedes(_ a: Int32, _ b: Int32) -> Bool {
    let (x, y) = (stored[Int(a)], stored[Int(b)])
    let order = memcmp(x.start, y.start, min(x.count, y.count))
    return order != 0 ? order < 0 : x.count < y.count
  }

  /// The id of a term given as a string, adding it if new.
  public func id(_ term: String) -> Int32 {
    var term = term
    return term.withUTF8 { self.id($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count) }
  }
}

extension TermAnalyzer {
  /// Whether ``appendTermIDs(_:to:table:)`` handles this analyzer: word unigrams of `\b\w+\b` or `\b\w\w+\b`.
  var scansBytes: Bool {
    guard unit == .words, ngrams == 1...1 else { return false }
    switch pattern {
    case .wordCharacters, .twoOrMoreWordCharacters: return true
    default: return false
    }
  }

  /// Appends the document's terms to `ids` as ids of `table`, scanned straight from its
  /// UTF-8 bytes.
  func appendTermIDs(_ document: String, to ids: inout [Int32], table: TermTable) {
    var document = document
    let scanner = WordScanner(lowercase: lowercase, minimumLength: pattern.isTwoOrMore ? 2 : 1)
    document.withUTF8 { bytes in
      scanner.scan(bytes) { ids.append(table.id($0.baseAddress!, count: $0.count)) }
    }
  }
}

extension TermAnalyzer.Pattern {
  fileprivate var isTwoOrMore: Bool {
    if case .twoOrMoreWordCharacters = self { return true }
    return false
  }
}

/// A hash of some bytes taken eight at a time (each block folded in with a multiply and a
/// shift, as in MurmurHash's finalizer), so that a word costs one or two multiplies. The term
/// table and the tokenizer's memo share it.
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

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

  /// The FNV-1a hash of some bytes.
  @inline(__always)
  private static func fingerprint(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for i in 0..<count { h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3 }
    return h
  }

  /// The id of the term with these bytes, or nil when it is not in the table.
  @inline(__always)
  public func existingID(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32? {
    existingID(bytes, count: count, key: Self.fingerprint(bytes, count))
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
    let key = Self.fingerprint(bytes, count)
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

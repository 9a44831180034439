#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Terms ↔ provisional ids, looked up by their UTF-8 bytes so that counting a corpus makes
/// no `String` per token. Reading (``existingID(_:count:)``) from several threads is safe
/// while nobody adds.
final class TermTable: @unchecked Sendable {
  // Only the owner adds, never while others read (see above), so accesses go unchecked.
  @exclusivity(unchecked) private var table = ByteKeyTable()
  /// Where each term's bytes are stored, by id.
  @exclusivity(unchecked) private var stored: [UnsafeBufferPointer<UInt8>] = []
  /// The terms, by id.
  private(set) var terms: [String] = []

  /// An empty table.
  init() {}

  /// The number of terms.
  var count: Int { terms.count }

  /// The id of the term with these bytes, or nil when it is not in the table.
  @inline(__always)
  func existingID(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32? {
    table.value(of: UnsafeBufferPointer(start: bytes, count: count)).map { Int32(truncatingIfNeeded: $0) }
  }

  /// The id of the term with these bytes, adding it if new.
  func id(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32 {
    let key = UnsafeBufferPointer(start: bytes, count: count)
    let position = table.locate(key)
    if position.found { return Int32(truncatingIfNeeded: table.value(at: position)) }
    let id = Int32(stored.count)
    // A growing table is never full.
    let copy = UnsafeBufferPointer(start: table.insert(key, value: UInt64(id), at: position)!, count: count)
    stored.append(copy)
    terms.append(String(decoding: copy, as: UTF8.self))
    return id
  }

  /// Whether term `a` comes before term `b` in code point order (which is their UTF-8
  /// bytes' order, so the bytes are compared directly).
  func precedes(_ a: Int32, _ b: Int32) -> Bool {
    let (x, y) = (stored[Int(a)], stored[Int(b)])
    let order = memcmp(x.baseAddress!, y.baseAddress!, min(x.count, y.count))
    return order != 0 ? order < 0 : x.count < y.count
  }

  /// The id of a term given as a string, adding it if new.
  func id(_ term: String) -> Int32 {
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

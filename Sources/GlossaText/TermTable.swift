#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Terms ↔ provisional ids, looked up by their UTF-8 bytes so that counting a corpus makes
/// no `String` per token. New terms' bytes are copied into fixed blocks that never move,
/// which the table's keys point into.
final class TermTable {
  private var table = FlatHashTable()
  /// Where each term's bytes are stored, by id.
  private var stored: [(start: UnsafePointer<UInt8>, count: Int)] = []
  private var blocks: [UnsafeMutablePointer<UInt8>] = []
  private var used = 0
  private static let blockSize = 1 << 20
  /// The terms, by id.
  private(set) var terms: [String] = []
  /// A document's (lowercased) bytes, reused from document to document.
  var scratch: [UInt8] = []

  deinit { for block in blocks { block.deallocate() } }

  /// The FNV-1a hash of some bytes.
  @inline(__always)
  private static func fingerprint(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for i in 0..<count { h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3 }
    return h
  }

  /// The id of the term with these bytes, adding it if new.
  func id(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32 {
    let key = Self.fingerprint(bytes, count)
    let found = table.slot(of: key) { id in
      let term = self.stored[Int(id)]
      return term.count == count && memcmp(term.start, bytes, count) == 0
    }
    if let found { return found }
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
  func id(_ term: String) -> Int32 {
    var term = term
    return term.withUTF8 { self.id($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count) }
  }
}

extension TermAnalyzer {
  /// Whether ``termIDs(_:into:)`` handles this analyzer: word unigrams of `\b\w+\b` or `\b\w\w+\b`.
  var scansBytes: Bool {
    guard unit == .words, ngrams == 1...1 else { return false }
    switch pattern {
    case .wordCharacters, .twoOrMoreWordCharacters: return true
    default: return false
    }
  }

  /// The document's terms as ids of `table`, scanned straight from its UTF-8 bytes (ASCII
  /// lowercased on the fly). Documents that need Unicode lowercasing take the general path.
  func termIDs(_ document: String, into table: TermTable) throws -> [Int32] {
    var document = document
    var minimum = 1
    if case .twoOrMoreWordCharacters = pattern { minimum = 2 }
    let scanned: [Int32]? = document.withUTF8 { bytes in
      if table.scratch.count < bytes.count { table.scratch = [UInt8](repeating: 0, count: bytes.count * 2) }
      var ids: [Int32] = []
      var i = 0
      var start = -1
      var scalars = 0
      var needsUnicodeLowercasing = false
      table.scratch.withUnsafeMutableBufferPointer { out in
        func flush(_ end: Int) {
          if start >= 0 && scalars >= minimum {
            ids.append(table.id(out.baseAddress! + start, count: end - start))
          }
          start = -1
          scalars = 0
        }
        while i < bytes.count {
          let lead = bytes[i]
          if lead >= 0x80 && lowercase {
            needsUnicodeLowercasing = true
            return
          }
          let (scalar, width) = lead < 0x80 ? (Unicode.Scalar(lead), 1) : multiByteScalar(bytes, at: i)
          let word = RegexWordTokenizer.isWordCharacter(scalar)
          if word {
            if start < 0 { start = i }
            scalars += 1
          } else {
            flush(i)
          }
          for k in 0..<width where i + k < bytes.count {
            let b = bytes[i + k]
            out[i + k] = lowercase && b >= 0x41 && b <= 0x5A ? b | 0x20 : b
          }
          i += width
        }
        flush(bytes.count)
      }
      return needsUnicodeLowercasing ? nil : ids
    }
    if let scanned { return scanned }
    return try terms(document).map(table.id)
  }
}

/// Counts the words of a corpus straight from its UTF-8 bytes, for training: words are
/// HuggingFace's `Whitespace` pieces (`\w+|[^\w\s]+`). ASCII goes through a lookup table;
/// other scalars are decoded and classified by their Unicode properties. Only unique words
/// become `String`s.
public final class WordCounter {
  private let table = TermTable()
  private var counts: [Int] = []

  public init() {}

  /// Each distinct word with its count, in order of first appearance.
  public var words: [(word: String, count: Int)] {
    zip(table.terms, counts).map { (word: $0, count: $1) }
  }

  private static let asciiClass: [UInt8] = (0..<128).map { b in
    let scalar = Unicode.Scalar(UInt8(b))
    return ScalarClass.isSpace(scalar) ? 0 : (ScalarClass.isWord(scalar) ? 1 : 2)
  }

  /// Adds the words of one text (valid UTF-8).
  public func add(_ utf8: [UInt8]) {
    var counts: [Int] = []
    swap(&counts, &self.counts)  // a local array: no exclusivity checks per word
    defer { swap(&counts, &self.counts) }
    utf8.withUnsafeBufferPointer { bytes in
      Self.asciiClass.withUnsafeBufferPointer { asciiClass in
        guard let base = bytes.baseAddress else { return }
        func count(_ start: Int, _ end: Int) {
          let id = Int(table.id(base + start, count: end - start))
          if id == counts.count { counts.append(0) }
          counts[id] += 1
        }
        var i = 0
        var start = 0
        var current: UInt8 = 0  // 0: between words, 1: word characters, 2: other symbols
        while i < bytes.count {
          let lead = bytes[i]
          var kind: UInt8
          var width = 1
          if lead < 0x80 {
            kind = asciiClass[Int(lead)]
          } else {
            let scalar: Unicode.Scalar
            (scalar, width) = multiByteScalar(bytes, at: i)
            kind = ScalarClass.isSpace(scalar) ? 0 : (ScalarClass.isWord(scalar) ? 1 : 2)
          }
          if kind != current {
            if current != 0 { count(start, i) }
            start = i
            current = kind
          }
          i += width
        }
        if current != 0 { count(start, bytes.count) }
      }
    }
  }
}

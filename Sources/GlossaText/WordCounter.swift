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
    utf8.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress else { return }
      var i = 0
      var start = 0
      var current: UInt8 = 0  // 0: between words, 1: word characters, 2: other symbols
      while i < bytes.count {
        let (kind, width) = Self.classify(bytes, at: i)
        if kind != current {
          if current != 0 { count(base + start, i - start) }
          start = i
          current = kind
        }
        i += width
      }
      if current != 0 { count(base + start, bytes.count - start) }
    }
  }

  @inline(__always)
  private static func classify(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt8, Int) {
    let lead = bytes[i]
    if lead < 0x80 { return (asciiClass[Int(lead)], 1) }
    let (scalar, width) = multiByteScalar(bytes, at: i)
    return (ScalarClass.isSpace(scalar) ? 0 : (ScalarClass.isWord(scalar) ? 1 : 2), width)
  }

  private func count(_ start: UnsafePointer<UInt8>, _ length: Int) {
    let id = Int(table.id(start, count: length))
    if id == counts.count { counts.append(0) }
    counts[id] += 1
  }
}

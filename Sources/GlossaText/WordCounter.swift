/// Counts the words of a corpus straight from its UTF-8 bytes, for training: words are
/// HuggingFace's `Whitespace` pieces (`\w+|[^\w\s]+`), classified by that pre-tokenizer
/// (ASCII through its table, other scalars decoded). Only unique words
/// become `String`s.
public final class WordCounter {
  private let table = TermTable()
  private var counts: [Int] = []

  public init() {}

  /// Each distinct word with its count, in order of first appearance.
  public var words: [(word: String, count: Int)] {
    zip(table.terms, counts).map { (word: $0, count: $1) }
  }

  private static let words = WhitespacePreTokenizer()
  private static let asciiClasses = words.asciiClasses

  /// Adds the words of one text (valid UTF-8).
  public func add(_ utf8: [UInt8]) {
    var counts: [Int] = []
    swap(&counts, &self.counts)  // a local array: no exclusivity checks per word
    defer { swap(&counts, &self.counts) }
    utf8.withUnsafeBufferPointer { bytes in
      Self.asciiClasses.withUnsafeBufferPointer { asciiClasses in
        guard let base = bytes.baseAddress else { return }
        func classOf(_ i: Int) -> (RunClass, width: Int) {
          if bytes[i] < 0x80 { return (asciiClasses[Int(bytes[i])], 1) }
          let (scalar, width) = multiByteScalar(bytes, at: i)
          return (Self.words.classify(scalar), width)
        }
        forEachClassRun(count: bytes.count, classOf) { run in
          let id = Int(table.id(base + run.lowerBound, count: run.count))
          if id == counts.count { counts.append(0) }
          counts[id] += 1
        }
      }
    }
  }
}

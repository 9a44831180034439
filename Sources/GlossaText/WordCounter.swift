import Dispatch

/// Counts the words of a corpus straight from its UTF-8 bytes, for training: words are
/// HuggingFace's `Whitespace` pieces (`\w+|[^\w\s]+`), classified by that pre-tokenizer
/// (ASCII through its table, other scalars decoded). Only unique words
/// become `String`s.
public final class WordCounter {
  private let counter = TokenCounter()

  public init() {}

  /// Each distinct word with its count, in order of first appearance.
  public var words: [(word: String, count: Int)] {
    counter.counted.map { (word: $0.token, count: $0.count) }
  }

  private static let words = WhitespacePreTokenizer()
  private static let asciiClasses = words.asciiClasses

  /// Adds the words of one text (valid UTF-8).
  public func add(_ utf8: [UInt8]) {
    utf8.withUnsafeBufferPointer { add($0) }
  }

  /// Adds the words of some valid UTF-8 bytes (a line read from a file, say).
  public func add(_ bytes: UnsafeBufferPointer<UInt8>) {
    Self.asciiClasses.withUnsafeBufferPointer { asciiClasses in
      guard let base = bytes.baseAddress else { return }
      func classOf(_ i: Int) -> (RunClass, width: Int) {
        if bytes[i] < 0x80 { return (asciiClasses[Int(bytes[i])], 1) }
        let (scalar, width) = multiByteScalar(bytes, at: i)
        return (Self.words.classify(scalar), width)
      }
      forEachClassRun(count: bytes.count, classOf) { run in
        counter.add(UnsafeBufferPointer(start: base + run.lowerBound, count: run.count))
      }
    }
  }

  /// The words of `texts` with their counts, in order of first appearance, counted on
  /// `threads` threads: a text of at least `partBytes` bytes per thread is cut at line ends
  /// into one run of lines per thread, each counted apart, and the counts merged in order (a
  /// word first seen in a later part comes after every word of the earlier ones); a shorter
  /// text is counted on the calling thread, where a counter of its own would cost more than
  /// it saves.
  static func count(_ texts: [String], threads: Int, partBytes: Int = 1 << 20) -> [(word: String, count: Int)]
  {
    let merged = WordCounter()
    var texts = texts
    for t in texts.indices {
      texts[t].withUTF8 { bytes in
        let parts = lineAlignedParts(bytes, max(1, min(threads, bytes.count / max(partBytes, 1))))
        guard parts.count > 1 else { return merged.add(bytes) }
        let counters = parts.map { _ in WordCounter() }
        nonisolated(unsafe) let (bytes, partCounters) = (bytes, counters)
        DispatchQueue.concurrentPerform(iterations: parts.count) { part in
          partCounters[part].add(UnsafeBufferPointer(rebasing: bytes[parts[part]]))
        }
        for part in counters { merged.counter.merge(part.counter) }
      }
    }
    return merged.words
  }
}

/// `bytes` cut into at most `parts` ranges of about equal size, each ending after a line
/// feed (or at the end): parts of a text that threads can work on without splitting a line.
public func lineAlignedParts(_ bytes: UnsafeBufferPointer<UInt8>, _ parts: Int) -> [Range<Int>] {
  var ranges: [Range<Int>] = []
  var start = 0
  for part in 1...parts where start < bytes.count {
    var end = part == parts ? bytes.count : max(start, bytes.count * part / parts)
    while end < bytes.count && end > 0 && bytes[end - 1] != 0x0A { end += 1 }
    ranges.append(start..<end)
    start = end
  }
  return ranges
}

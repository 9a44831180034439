import Foundation
import GlossaText

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A training corpus read as a stream: one sentence per line, words are the lecture's
/// `\b\w+\b` (lowercased if asked). Files are never loaded whole, so a corpus larger than
/// memory trains; training threads and processes read it in byte ranges.
public struct Corpus: Sendable {
  /// Where text comes from.
  public enum Source: Sendable {
    case file(URL)
    case text(String)
  }

  /// The sources, read one after the other.
  public let sources: [Source]
  /// Whether words are lowercased.
  public var lowercase: Bool
  /// Longer lines are cut into sentences of this many words (gensim's 10,000).
  public var maximumSentenceLength = 10_000

  /// A corpus of files.
  public init(files: [URL], lowercase: Bool = false) {
    self.init(sources: files.map { .file($0) }, lowercase: lowercase)
  }

  /// A corpus from any sources.
  public init(sources: [Source], lowercase: Bool = false) {
    self.sources = sources
    self.lowercase = lowercase
  }

  /// A source's size in bytes.
  package func size(of source: Source) throws -> Int {
    switch source {
    case .text(let text): return text.utf8.count
    case .file(let url):
      let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
      return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }
  }

  /// A share of the corpus for a thread or process: byte ranges of sources. A line belongs
  /// to the share in which it starts.
  package struct Share: Sendable {
    package var pieces: [(source: Int, bytes: Range<Int>)] = []
  }

  /// The corpus cut into `count` shares of about equal size.
  package func shares(_ count: Int) throws -> [Share] {
    let sizes = try sources.map(size(of:))
    let total = sizes.reduce(0, +)
    var shares = [Share](repeating: Share(), count: count)
    var offset = 0
    for (source, size) in sizes.enumerated() {
      for k in 0..<count {
        let (low, high) = (total * k / count, total * (k + 1) / count)
        let (lower, upper) = (min(max(low - offset, 0), size), min(max(high - offset, 0), size))
        if lower < upper { shares[k].pieces.append((source, lower..<upper)) }
      }
      offset += size
    }
    return shares
  }

  /// Calls `body` with each line of the share (without its newline), reading 1 MB at a time.
  package func forEachLine(in share: Share, _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws {
    let cursor = LineCursor(self, share)
    while let line = try cursor.next() { body(line) }
  }

  /// Calls `body` with each sentence of the share as word ids of `vocabulary`. A line is cut
  /// into sentences of at most ``maximumSentenceLength`` corpus words, then the words that
  /// are not in the vocabulary are dropped (gensim's order), so a sentence may be empty: it
  /// still counts for the learning-rate schedule.
  package func forEachSentence(
    in share: Share, vocabulary: Vocabulary, _ body: (UnsafeBufferPointer<Int32>) -> Void
  ) throws {
    let scanner = WordScanner(lowercase: lowercase)
    var sentence = [Int32]()
    sentence.reserveCapacity(maximumSentenceLength)
    var words = 0  // corpus words in the sentence so far, known or not
    func finish() {
      sentence.withUnsafeBufferPointer(body)
      sentence.removeAll(keepingCapacity: true)
      words = 0
    }
    try forEachLine(in: share) { line in
      scanner.scan(line) { word in
        if let id = vocabulary.id(utf8: word) { sentence.append(Int32(truncatingIfNeeded: id)) }
        words += 1
        if words == maximumSentenceLength { finish() }
      }
      if words > 0 { finish() }
    }
  }

  /// Calls `body` with every word of the corpus; returns the number of sentences (as
  /// ``forEachSentence(in:vocabulary:_:)`` cuts them).
  @discardableResult
  package func forEachWord(_ body: (UnsafeBufferPointer<UInt8>) -> Void) throws -> Int {
    let scanner = WordScanner(lowercase: lowercase)
    var sentences = 0
    for share in try shares(1) {
      try forEachLine(in: share) { line in
        var words = 0
        scanner.scan(line) { word in
          body(word)
          words += 1
        }
        sentences += (words + maximumSentenceLength - 1) / maximumSentenceLength
      }
    }
    return sentences
  }
}

/// The lines of one share of a corpus, read in turn (without their newlines), at most 1 MB of
/// the source at a time: a line that starts before a piece of the share belongs to the share
/// before, and one that starts inside it is read to its end. A line handed out stays valid
/// until the next call.
package final class LineCursor {
  private let corpus: Corpus
  private let pieces: [(source: Int, bytes: Range<Int>)]
  private var piece = -1
  private var reader: ByteReader?
  private var buffer: UnsafeMutableBufferPointer<UInt8>
  /// The source offset of buffer[0], the bytes filled, where the next line starts.
  private var offset = 0, filled = 0, start = 0
  private var exhausted = false
  private var skipping = false
  private static let newline = UInt8(ascii: "\n")

  package init(_ corpus: Corpus, _ share: Corpus.Share) {
    self.corpus = corpus
    pieces = share.pieces
    // A small share reads little more than itself (the buffer grows for a longer line).
    let bytes = pieces.reduce(0) { $0 + $1.bytes.count }
    buffer = .allocate(capacity: min(1 << 20, max(1 << 12, bytes + 1)))
  }

  deinit {
    buffer.deallocate()
    reader?.closeFile()
  }

  /// The next line, or nil at the end of the share.
  package func next() throws -> UnsafeBufferPointer<UInt8>? {
    while true {
      if reader == nil {
        piece += 1
        guard piece < pieces.count else { return nil }
        reader = try ByteReader(corpus.sources[pieces[piece].source])
        (offset, filled, start, exhausted) = (pieces[piece].bytes.lowerBound, 0, 0, false)
        skipping = try offset > 0 && reader!.byte(at: offset - 1) != Self.newline
      }
      let upper = pieces[piece].bytes.upperBound
      var finished = false
      while start < filled {
        guard let end = buffer[start..<filled].firstIndex(of: Self.newline) ?? (exhausted ? filled : nil)
        else {
          break
        }
        // A line that starts past the piece belongs to the next share.
        if offset + start >= upper {
          finished = true
          break
        }
        let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
        start = end + 1
        if skipping {
          skipping = false
          continue
        }
        return line
      }
      if finished || exhausted {
        reader?.closeFile()
        reader = nil
        continue
      }
      try refill()
    }
  }

  /// Keeps the unfinished line at the front of the buffer and reads more after it.
  private func refill() throws {
    if start > 0 {
      let kept = max(filled - start, 0)
      if kept > 0 {
        UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(
          from: buffer.baseAddress! + start, byteCount: kept)
      }
      (offset, filled, start) = (offset + start, kept, 0)
    }
    if filled == buffer.count {
      let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
      _ = larger.initialize(from: buffer)
      buffer.deallocate()
      buffer = larger
    }
    let read = try reader!.read(
      into: UnsafeMutableBufferPointer(rebasing: buffer[filled...]), at: offset + filled)
    exhausted = read == 0
    filled += read
  }
}

/// Reads bytes at offsets of a file (with `pread`, so threads never share a position) or
/// of a string.
private final class ByteReader {
  private let descriptor: Int32
  private let text: String
  private let path: String

  init(_ source: Corpus.Source) throws {
    switch source {
    case .text(let string):
      (descriptor, text, path) = (-1, string, "text")
    case .file(let url):
      let descriptor = open(url.path, O_RDONLY)
      guard descriptor >= 0 else {
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
      }
      (self.descriptor, text, path) = (descriptor, "", url.path)
    }
  }

  func read(into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) throws -> Int {
    guard descriptor >= 0 else {
      // A native string's UTF-8 is already contiguous: copy just the range asked for.
      var text = self.text
      return text.withUTF8 { bytes in
        let count = max(0, min(buffer.count, bytes.count - offset))
        if count > 0 { buffer.baseAddress!.update(from: bytes.baseAddress! + offset, count: count) }
        return count
      }
    }
    let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
    guard count >= 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path]) }
    return count
  }

  func byte(at offset: Int) throws -> UInt8 {
    var byte: UInt8 = 0
    _ = try withUnsafeMutablePointer(to: &byte) {
      try read(into: UnsafeMutableBufferPointer(start: $0, count: 1), at: offset)
    }
    return byte
  }

  func closeFile() { if descriptor >= 0 { _ = close(descriptor) } }
}

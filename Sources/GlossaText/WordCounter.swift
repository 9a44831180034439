/// Counts the words of a corpus straight from its UTF-8 bytes, for training: words are
/// HuggingFace's `Whitespace` pieces (`\w+|[^\w\s]+`). ASCII goes through a lookup table;
/// other scalars are decoded and classified by their Unicode properties. Only unique words
/// become `String`s.
public struct WordCounter {
  /// Each distinct word with its count, in order of first appearance.
  public private(set) var words: [(word: String, count: Int)] = []
  private var index: [ByteKey: Int] = [:]
  /// Kept alive so that the byte keys stay valid.
  private var buffers: [[UInt8]] = []

  public init() {}

  /// A word's bytes, hashed and compared by content.
  private struct ByteKey: Hashable {
    let start: UnsafePointer<UInt8>
    let count: Int
    static func == (a: ByteKey, b: ByteKey) -> Bool {
      a.count == b.count && (a.start == b.start || memcmp(a.start, b.start, a.count) == 0)
    }
    func hash(into hasher: inout Hasher) {
      hasher.combine(bytes: UnsafeRawBufferPointer(start: start, count: count))
    }
  }

  private static let asciiClass: [UInt8] = (0..<128).map { b in
    let scalar = Unicode.Scalar(UInt8(b))
    return ScalarClass.isSpace(scalar) ? 0 : (ScalarClass.isWord(scalar) ? 1 : 2)
  }

  /// Adds the words of one text (valid UTF-8).
  public mutating func add(_ utf8: [UInt8]) {
    buffers.append(utf8)
    buffers[buffers.count - 1].withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress else { return }
      var i = 0
      var start = 0
      var current: UInt8 = 0  // 0: between words, 1: word characters, 2: other symbols
      while i < bytes.count {
        let (kind, width) = Self.classify(bytes, at: i)
        if kind != current {
          if current != 0 { count(ByteKey(start: base + start, count: i - start)) }
          start = i
          current = kind
        }
        i += width
      }
      if current != 0 { count(ByteKey(start: base + start, count: bytes.count - start)) }
    }
  }

  @inline(__always)
  private static func classify(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt8, Int) {
    let lead = bytes[i]
    if lead < 0x80 { return (asciiClass[Int(lead)], 1) }
    let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    var value = UInt32(lead) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
    for k in 1..<width where i + k < bytes.count { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
    guard let scalar = Unicode.Scalar(value) else { return (2, width) }
    return (ScalarClass.isSpace(scalar) ? 0 : (ScalarClass.isWord(scalar) ? 1 : 2), width)
  }

  private mutating func count(_ key: ByteKey) {
    if let i = index[key] {
      words[i].count += 1
    } else {
      index[key] = words.count
      words.append(
        (String(decoding: UnsafeBufferPointer(start: key.start, count: key.count), as: UTF8.self), 1))
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

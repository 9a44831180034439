import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The word-vector file formats of the original tools, which gensim reads and writes too.
public enum VectorFileFormat: String, Sendable, CaseIterable {
  /// word2vec text: a `count dimension` header line, then `word v₁ … v_d` per line. fastText's
  /// `.vec` files are the same.
  case text
  /// word2vec binary: the same header, then per word its UTF-8 bytes, a space and `d`
  /// little-endian 32-bit floats (the original tool adds a newline after each).
  case binary
  /// GloVe text: `word v₁ … v_d` per line, no header.
  case glove
}

/// A vector file that cannot be read, with the place where reading stopped.
public struct VectorFileError: Error, CustomStringConvertible {
  /// The file.
  public let path: String
  /// Where: `line N` in a text file, `byte N` in a binary one.
  public let location: String
  /// What was expected.
  public let message: String
  public var description: String { "\(path): \(location): \(message)" }
}

extension KeyedVectors {
  /// Reads a vector file, recognising its format from its content when `format` is nil:
  /// a header line of two integers, then text or raw floats; or no header (GloVe).
  public init(contentsOf url: URL, format: VectorFileFormat? = nil) throws {
    try self.init(data: try Data(contentsOf: url), format: format, file: url.path)
  }

  /// Reads a vector file's bytes (an upload, say), as ``init(contentsOf:format:)`` reads a
  /// file; `file` names them in errors.
  public init(data: Data, format: VectorFileFormat? = nil, file: String = "<memory>") throws {
    self = try data.withUnsafeBytes { raw in
      var reader = VectorFileReader(bytes: raw.bindMemory(to: UInt8.self), path: file)
      return try reader.read(format: format)
    }
  }

  /// Recognises the format of a vector file's content.
  public static func format(of data: Data) -> VectorFileFormat {
    data.withUnsafeBytes { raw in VectorFileReader(bytes: raw.bindMemory(to: UInt8.self), path: "").format() }
  }

  /// The vectors in `format`. Text formats write each number in its shortest form that reads
  /// back to the same `Float`.
  public func serialized(as format: VectorFileFormat) -> Data {
    var out = Data()
    out.reserveCapacity(count * (dimension * (format == .binary ? 4 : 12) + 16))
    if format != .glove { out.append(contentsOf: "\(count) \(dimension)\n".utf8) }
    for (i, word) in words.enumerated() {
      let row = vectors[i * dimension..<(i + 1) * dimension]
      out.append(contentsOf: word.utf8)
      switch format {
      case .binary:
        out.append(UInt8(ascii: " "))
        // Little-endian float32s, a row at a time.
        // (A closure, not a key path: a composed key path is looked up at run time per value.)
        row.map { $0.bitPattern.littleEndian }.withUnsafeBytes { out.append(contentsOf: $0) }
      case .text, .glove:
        for value in row { out.append(contentsOf: " \(value)".utf8) }
      }
      out.append(UInt8(ascii: "\n"))
    }
    return out
  }

  /// Writes the vectors to a temporary file beside `url` and renames it over `url`.
  public func write(to url: URL, format: VectorFileFormat) throws {
    try serialized(as: format).write(to: url, options: .atomic)
  }
}

/// Reads one vector file from its bytes, tracking the line (text) or byte offset (binary)
/// for errors.
struct VectorFileReader {
  let bytes: UnsafeBufferPointer<UInt8>
  let path: String
  private var position = 0
  private var line = 1

  init(bytes: UnsafeBufferPointer<UInt8>, path: String) {
    self.bytes = bytes
    self.path = path
  }

  private func failure(_ message: String, byte: Int? = nil) -> VectorFileError {
    VectorFileError(path: path, location: byte.map { "byte \($0)" } ?? "line \(line)", message: message)
  }

  /// The header's word count and dimension, and where the records start; nil without a header.
  private func header() -> (count: Int, dimension: Int, end: Int)? {
    let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let fields = String(decoding: bytes[0..<end], as: UTF8.self).split(whereSeparator: \.isWhitespace)
    guard fields.count == 2, let count = Int(fields[0]), let dimension = Int(fields[1]) else { return nil }
    return (count, dimension, Swift.min(end + 1, bytes.count))
  }

  /// Binary when the bytes after the first word are not printable text.
  func format() -> VectorFileFormat {
    guard let header = header() else { return .glove }
    var i = header.end
    while i < bytes.count && bytes[i] != UInt8(ascii: " ") { i += 1 }
    let start = Swift.min(i + 1, bytes.count)
    let sample = bytes[
      start..<(start
        + Swift.min(bytes.count - start, 4 * Swift.max(0, Swift.min(header.dimension, bytes.count))))]
    let binary = sample.contains { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 >= 0x80 }
    return binary ? .binary : .text
  }

  mutating func read(format: VectorFileFormat?) throws -> KeyedVectors {
    let format = format ?? self.format()
    if format == .glove { return try readText(expected: nil) }
    guard let header = header() else {
      throw failure("expected a header line 'count dimension' (two integers)")
    }
    guard header.count >= 0, header.dimension > 0 else {
      throw failure(
        "the header's count and dimension must be positive, not \(header.count) \(header.dimension)")
    }
    position = header.end
    line = 2
    return format == .binary
      ? try readBinary(count: header.count, dimension: header.dimension)
      : try readText(expected: (header.count, header.dimension))
  }

  private func word(_ start: Int, _ end: Int, at offset: Int?) throws -> String {
    guard let word = String(validating: bytes[start..<end], as: UTF8.self) else {
      throw failure("the word is not valid UTF-8", byte: offset)
    }
    return word
  }

  private mutating func readBinary(count: Int, dimension: Int) throws -> KeyedVectors {
    // A record is at least a one-byte word, a space and 4·dimension bytes: the header is
    // believed only as far as the bytes left can hold, before any memory is reserved for it.
    let left = bytes.count - position
    guard dimension <= left / 4, count <= left / (4 * dimension + 2) else {
      throw failure(
        "the header promises \(count) words of \(dimension) floats, more than the \(left) bytes "
          + "after it hold (truncated file, or a wrong header)", byte: position)
    }
    var words: [String] = []
    var vectors: [Float] = []
    words.reserveCapacity(count)
    vectors.reserveCapacity(count * dimension)
    for record in 0..<count {
      while position < bytes.count && (bytes[position] == 0x0A || bytes[position] == 0x0D) { position += 1 }
      let start = position
      while position < bytes.count && bytes[position] != UInt8(ascii: " ") { position += 1 }
      guard position < bytes.count else {
        throw failure(
          "the header promises \(count) words, but the file ends in word \(record + 1) (truncated?)",
          byte: start)
      }
      words.append(try word(start, position, at: start))
      position += 1
      guard bytes.count - position >= 4 * dimension else {
        throw failure(
          "'\(words[record])' (word \(record + 1) of \(count)) needs \(4 * dimension) bytes of vector, "
            + "only \(bytes.count - position) are left (truncated file, or a wrong dimension in the header)",
          byte: position)
      }
      for d in 0..<dimension {
        let bits = UnsafeRawPointer(bytes.baseAddress! + position + 4 * d).loadUnaligned(as: UInt32.self)
        vectors.append(Float(bitPattern: UInt32(littleEndian: bits)))
      }
      position += 4 * dimension
    }
    while position < bytes.count && (bytes[position] == 0x0A || bytes[position] == 0x0D) { position += 1 }
    guard position == bytes.count else {
      throw failure("the header says \(count) words, but more data follows", byte: position)
    }
    return KeyedVectors(words: words, dimension: dimension, vectors: vectors)
  }

  /// Reads `word v₁ … v_d` lines; `expected` is the header's promise (nil for GloVe, whose
  /// dimension the first line sets).
  private mutating func readText(expected: (count: Int, dimension: Int)?) throws -> KeyedVectors {
    var words: [String] = []
    var vectors: [Float] = []
    var dimension = expected?.dimension
    var number = [CChar](repeating: 0, count: 64)
    while position < bytes.count {
      let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
      defer { (position, line) = (end + 1, line + 1) }
      var fields = fieldRanges(position, end)
      if fields.isEmpty {
        if bytes[end...].allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 }) { break }
        throw failure("an empty line; expected a word and its numbers")
      }
      if let expected, words.count == expected.count {
        throw failure("the header says \(expected.count) words, but another line follows")
      }
      let wordRange = fields.removeFirst()
      let word = try self.word(wordRange.lowerBound, wordRange.upperBound, at: nil)
      if dimension == nil { dimension = fields.count }
      guard fields.count == dimension, !fields.isEmpty else {
        throw failure("'\(word)' has \(fields.count) numbers, expected \(dimension ?? 0)")
      }
      for field in fields {
        guard field.count < number.count, let value = parseFloat(field, into: &number) else {
          let text = String(decoding: bytes[field], as: UTF8.self)
          throw failure("'\(text)' (after '\(word)') is not a number")
        }
        vectors.append(value)
      }
      words.append(word)
    }
    if let expected, words.count != expected.count {
      throw failure("the header says \(expected.count) words, but the file ends after \(words.count)")
    }
    guard let dimension, !words.isEmpty else { throw failure("no vectors in the file") }
    return KeyedVectors(words: words, dimension: dimension, vectors: vectors)
  }

  /// The byte ranges of the space- or tab-separated fields in `start..<end`.
  private func fieldRanges(_ start: Int, _ end: Int) -> [Range<Int>] {
    var fields: [Range<Int>] = []
    var i = start
    while i < end {
      while i < end && (bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D) { i += 1 }
      let fieldStart = i
      while i < end && bytes[i] != 0x20 && bytes[i] != 0x09 && bytes[i] != 0x0D { i += 1 }
      if i > fieldStart { fields.append(fieldStart..<i) }
    }
    return fields
  }

  /// The whole field as a `Float`, or nil when it is not exactly one number.
  private func parseFloat(_ field: Range<Int>, into buffer: inout [CChar]) -> Float? {
    buffer.withUnsafeMutableBufferPointer { text in
      for (k, i) in field.enumerated() { text[k] = CChar(bitPattern: bytes[i]) }
      text[field.count] = 0
      var end: UnsafeMutablePointer<CChar>? = nil
      let value = strtof(text.baseAddress!, &end)
      return end == text.baseAddress! + field.count ? value : nil
    }
  }
}

import Foundation

/// Input text that is not valid UTF-8.
public struct InvalidUTF8Error: Error, CustomStringConvertible, Equatable {
  /// The file (or "<stdin>").
  public let file: String
  /// The offset of the first byte that does not decode.
  public let byteOffset: Int

  public init(file: String, byteOffset: Int) {
    self.file = file
    self.byteOffset = byteOffset
  }

  public var description: String {
    "\(file): invalid UTF-8 at byte offset \(byteOffset) (pass --replace-invalid to read it as U+FFFD)"
  }
}

/// Decodes UTF-8 strictly: the first invalid byte is an error naming its offset, unless
/// `replacingInvalid`, which turns each invalid sequence into U+FFFD.
public func decodeUTF8(_ bytes: some Collection<UInt8>, file: String, replacingInvalid: Bool = false) throws
  -> String
{
  if replacingInvalid { return String(decoding: bytes, as: UTF8.self) }
  if let valid = String(validating: bytes, as: UTF8.self) { return valid }
  // Invalid somewhere: find where.
  var iterator = bytes.makeIterator()
  var parser = Unicode.UTF8.ForwardParser()
  var scalars = String.UnicodeScalarView()
  var offset = 0
  while true {
    switch parser.parseScalar(from: &iterator) {
    case .valid(let encoded):
      scalars.append(Unicode.UTF8.decode(encoded))
      offset += encoded.count
    case .error: throw InvalidUTF8Error(file: file, byteOffset: offset)
    case .emptyInput: return String(scalars)
    }
  }
}

/// The lines of a UTF-8 text file (one document or sentence each), without their line ends (`\n`
/// or `\r\n`); a last line without one counts, a final line end adds no empty line. Errors
/// name the file (unreadable) or the offset of the first invalid byte.
public func readLines(of url: URL) throws -> [String] {
  guard let data = FileManager.default.contents(atPath: url.path) else {
    throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
  }
  var text = try decodeUTF8(data, file: url.path)
  // Cut at the newline bytes, not at Characters: a line end is never part of a grapheme
  // cluster but "\r\n", and scanning bytes skips the grapheme breaking (a fifth of
  // `glossa vectorize`'s time once).
  var lines: [String] = []
  text.withUTF8 { bytes in
    forEachLine(in: bytes) { line in
      var line = line
      // A "\r" before a "\n" belongs to the line end; one at the very end of the file does not.
      let ended = line.baseAddress.map { $0 + line.count < bytes.baseAddress! + bytes.count } ?? false
      if ended, line.last == UInt8(ascii: "\r") { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
      lines.append(String(decoding: line, as: UTF8.self))
    }
  }
  return lines
}

/// Calls `body` with each line of `block`, found with `memchr`: without its `\n`, a `\r`
/// before it kept (the command line's tokenizers treat it as white space); a last line without
/// `\n` counts, a final `\n` adds no empty line.
public func forEachLine(in block: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
  var start = 0
  while start < block.count {
    let rest = UnsafeRawPointer(block.baseAddress! + start)
    if let found = memchr(rest, 0x0A, block.count - start) {
      let end = rest.distance(to: UnsafeRawPointer(found)) + start
      body(UnsafeBufferPointer(rebasing: block[start..<end]))
      start = end + 1
    } else {
      body(UnsafeBufferPointer(rebasing: block[start...]))
      return
    }
  }
}

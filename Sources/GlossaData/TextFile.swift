import Foundation
import GlossaText

/// A text file's lines, numbered from 1, for the line-based readers. The file is decoded as
/// strict UTF-8 (an invalid byte is an error naming its offset); a final line end adds no
/// empty line, and `\r\n` ends a line as `\n` does.
struct NumberedLines: Sequence {
  let file: String
  let lines: [String]

  init(_ url: URL) throws {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw DataFileError(file: url.path, message: "no such file")
    }
    self.init(text: try readLines(of: url).joined(separator: "\n"), file: url.path)
  }

  init(text: String, file: String) {
    self.file = file
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
      .map(String.init)
    if lines.last == "" { lines.removeLast() }
    self.lines = lines
  }

  func makeIterator() -> some IteratorProtocol<(number: Int, text: String)> {
    lines.enumerated().map { (number: $0.offset + 1, text: $0.element) }.makeIterator()
  }

  func error(_ line: Int?, _ message: String, field: String? = nil) -> DataFileError {
    DataFileError(file: file, line: line, field: field, message: message)
  }
}

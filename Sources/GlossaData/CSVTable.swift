import Foundation

/// A CSV file with a header row (RFC 4180: fields separated by commas, a field in double
/// quotes may hold commas, line ends and doubled quotes), such as a table of daily prices.
public struct CSVTable: Sendable, Equatable {
  /// The file, for errors.
  public let file: String
  /// The column names, from the header row.
  public let header: [String]
  /// The rows, each with one field per column.
  public let rows: [[String]]
  /// The line on which each row starts.
  let lineNumbers: [Int]

  /// Reads a CSV file. Errors name the file and line: a row with another number of fields
  /// than the header, an unterminated quote, a file with no header.
  public init(contentsOf url: URL) throws {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw DataFileError(file: url.path, message: "no such file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw DataFileError(file: url.path, message: "not valid UTF-8")
    }
    try self.init(parsing: text, file: url.path)
  }

  /// Parses CSV text; `file` names it in errors.
  public init(parsing text: String, file: String = "<text>") throws {
    self.file = file
    var records: [(line: Int, fields: [String])] = []
    var fields: [String] = []
    var field = ""
    var quoted = false
    var line = 1
    var recordLine = 1
    var characters = text.makeIterator()
    var pending: Character? = characters.next()
    func endRecord() {
      fields.append(field)
      if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
      (fields, field) = ([], "")
    }
    while let c = pending {
      pending = characters.next()
      if quoted {
        if c == "\"" {
          if pending == "\"" {
            field.append("\"")
            pending = characters.next()
          } else {
            quoted = false
          }
        } else {
          if c == "\n" || c == "\r\n" { line += 1 }
          field.append(c)
        }
        continue
      }
      switch c {
      case "\"" where field.isEmpty: quoted = true
      case ",":
        fields.append(field)
        field = ""
      case "\n", "\r\n":
        endRecord()
        line += 1
        recordLine = line
      default: field.append(c)
      }
    }
    if quoted { throw DataFileError(file: file, line: recordLine, message: "a quoted field is not closed") }
    if !field.isEmpty || !fields.isEmpty { endRecord() }
    guard let first = records.first else { throw DataFileError(file: file, message: "no header row") }
    header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
    for record in records.dropFirst() where record.fields.count != header.count {
      throw DataFileError(
        file: file, line: record.line,
        message: "\(record.fields.count) fields, expected \(header.count) (\(header.joined(separator: ",")))")
    }
    rows = records.dropFirst().map(\.fields)
    lineNumbers = records.dropFirst().map(\.line)
  }

  /// The fields of the column named `name`.
  public func column(_ name: String) throws -> [String] {
    guard let index = header.firstIndex(of: name) else {
      throw DataFileError(
        file: file, line: 1, message: "no column '\(name)' (the header has \(header.joined(separator: ", ")))"
      )
    }
    return rows.map { $0[index] }
  }

  /// The column named `name` as numbers; an empty field is nil (a missing value), anything
  /// else that is not a number is an error naming its line and column.
  public func numbers(_ name: String) throws -> [Double?] {
    let fields = try column(name)
    return try fields.enumerated().map { k, text in
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { return nil }
      guard let value = Double(trimmed) else {
        throw DataFileError(
          file: file, line: lineNumbers[k], field: name, message: "'\(text)' is not a number")
      }
      return value
    }
  }
}

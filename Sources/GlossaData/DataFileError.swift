/// A data file that cannot be read as the format it should have: which file, where (the line,
/// and the column or field when it is known) and what was expected.
public struct DataFileError: Error, CustomStringConvertible, Equatable {
  /// The file (or a name for text given in memory).
  public let file: String
  /// The line, from 1, when the problem is on one.
  public let line: Int?
  /// The field (a column's name or number), when the problem is in one.
  public let field: String?
  /// What is wrong, and what was expected.
  public let message: String

  /// An error at `line` (and `field`) of `file`.
  public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
    (self.file, self.line, self.field, self.message) = (file, line, field, message)
  }

  public var description: String {
    var place = file
    if let line { place += ":\(line)" }
    if let field { place += ": \(field)" }
    return "\(place): \(message)"
  }
}

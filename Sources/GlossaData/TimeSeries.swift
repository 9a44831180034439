/// What to do with a missing (empty) value in a time series.
public enum MissingValues: String, Sendable, Codable, CaseIterable {
  /// Leave the row out.
  case skip
  /// Use the previous row's value (a first row with a missing value is left out).
  case fillPrevious = "fill-previous"
  /// Refuse the file, naming the row and column.
  case error
}

/// Rows of a CSV table in date order, as numbers: the columns a forecaster reads, for one
/// series (a filter such as `Ticker=AAPL` picks its rows out of a table of several).
public struct TimeSeries: Sendable, Equatable {
  /// Each row's date, as the file writes it (ISO dates sort as text).
  public var dates: [String]
  /// The columns read, by name.
  public var columns: [String]
  /// `values[row][column]`.
  public var values: [[Double]]

  /// The number of rows.
  public var count: Int { values.count }

  /// The values of one column.
  public func column(_ name: String) -> [Double]? {
    columns.firstIndex(of: name).map { k in values.map { $0[k] } }
  }

  /// A series from its rows: `values[row]` holds a value for each of `columns`.
  public init(dates: [String], columns: [String], values: [[Double]]) {
    (self.dates, self.columns, self.values) = (dates, columns, values)
  }

  /// The series of `columns` in `table`, its rows those where the filter's column has the
  /// filter's value, sorted by the `date` column. Errors name the file, the row's line and the
  /// column: a column that is not there, a value that is not a number, a missing value under
  /// `.error`, a filter that matches no row.
  public init(
    _ table: CSVTable, date: String, columns: [String], filter: (column: String, value: String)? = nil,
    missing: MissingValues = .error
  ) throws {
    let dates = try table.column(date)
    let kept: [Int]
    if let filter {
      let values = try table.column(filter.column)
      kept = values.indices.filter { values[$0] == filter.value }
      guard !kept.isEmpty else {
        throw DataFileError(
          file: table.file, field: filter.column, message: "no row has \(filter.column) = \(filter.value)")
      }
    } else {
      kept = Array(dates.indices)
    }
    let numbers = try columns.map { try table.numbers($0) }
    let order = kept.sorted { (dates[$0], $0) < (dates[$1], $1) }
    var (rows, rowDates): ([[Double]], [String]) = ([], [])
    for r in order {
      var row: [Double] = []
      for (k, column) in columns.enumerated() {
        if let value = numbers[k][r] {
          row.append(value)
          continue
        }
        switch missing {
        case .error:
          throw DataFileError(
            file: table.file, line: table.lineNumbers[r], field: column,
            message: "a missing value (--missing skip or fill-previous to go on)")
        case .skip: break
        case .fillPrevious: if let previous = rows.last { row.append(previous[k]) }
        }
        if row.count == k { break }
      }
      guard row.count == columns.count else { continue }
      rows.append(row)
      rowDates.append(dates[r])
    }
    (self.dates, self.columns, values) = (rowDates, columns, rows)
  }
}

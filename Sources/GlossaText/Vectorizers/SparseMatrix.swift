import Foundation

/// A sparse matrix in compressed sparse row (CSR) form: the non-zero values of each row
/// with their column indices. Vectorizers return one row per document.
public struct SparseMatrix: Sendable, Equatable {
  /// The matrix's size.
  public let rows: Int, columns: Int
  /// Row r's entries are at `rowStart[r] ..< rowStart[r + 1]`.
  public let rowStart: [Int]
  /// Column indices, 32-bit as in scipy's CSR (half the memory of `Int`).
  public let columnIndex: [Int32]
  /// The non-zero values, row by row (rewritten in place by the vectorizers' weighting).
  public internal(set) var values: [Double]

  /// A matrix from its CSR arrays (column indices sorted within each row).
  public init(rows: Int, columns: Int, rowStart: [Int], columnIndex: [Int32], values: [Double]) {
    self.rows = rows
    self.columns = columns
    self.rowStart = rowStart
    self.columnIndex = columnIndex
    self.values = values
  }

  /// A matrix from one dictionary of column → value per row.
  public init(rows: [[Int: Double]], columns: Int) {
    var starts = [0]
    var indices: [Int32] = []
    var values: [Double] = []
    for row in rows {
      for (column, value) in row.sorted(by: { $0.key < $1.key }) where value != 0 {
        indices.append(Int32(column))
        values.append(value)
      }
      starts.append(indices.count)
    }
    self.init(rows: rows.count, columns: columns, rowStart: starts, columnIndex: indices, values: values)
  }

  /// The number of stored (non-zero) entries.
  public var nonZeros: Int { values.count }

  /// Row r as (column, value) pairs.
  public func row(_ r: Int) -> [(column: Int, value: Double)] {
    (rowStart[r]..<rowStart[r + 1]).map { (Int(columnIndex[$0]), values[$0]) }
  }

  /// The value at (r, c).
  public subscript(r: Int, c: Int) -> Double {
    for k in rowStart[r]..<rowStart[r + 1] where columnIndex[k] == Int32(c) { return values[k] }
    return 0
  }

  /// The dense matrix, row by row (for small matrices).
  public var dense: [[Double]] {
    (0..<rows).map { r in
      var row = [Double](repeating: 0, count: columns)
      for (c, v) in self.row(r) { row[c] = v }
      return row
    }
  }

  /// The cosine similarity of rows a and b.
  public func cosine(_ a: Int, _ b: Int) -> Double { Self.cosine(row(a), row(b)) }

  static func cosine(_ x: [(column: Int, value: Double)], _ y: [(column: Int, value: Double)]) -> Double {
    var (i, j, dot) = (0, 0, 0.0)
    while i < x.count && j < y.count {
      if x[i].column == y[j].column {
        dot += x[i].value * y[j].value
        i += 1
        j += 1
      } else if x[i].column < y[j].column {
        i += 1
      } else {
        j += 1
      }
    }
    let norms = (x.reduce(0) { $0 + $1.value * $1.value } * y.reduce(0) { $0 + $1.value * $1.value })
      .squareRoot()
    return norms == 0 ? 0 : dot / norms
  }

  /// The `k` rows most similar (cosine) to `query` (row 0 of a one-row matrix), best first;
  /// ties keep row order.
  public func mostSimilar(to query: SparseMatrix, top k: Int) -> [(row: Int, score: Double)] {
    let q = query.row(0)
    let scores = (0..<rows).map { (row: $0, score: Self.cosine(row($0), q)) }
    return Array(scores.sorted { ($0.score, -$0.row) > ($1.score, -$1.row) }.prefix(k))
  }
}

/// Why a Matrix Market file could not be read.
public struct MatrixMarketError: Error, CustomStringConvertible, Equatable {
  /// Where, and what was expected.
  public let file: String, line: Int, reason: String
  public var description: String { "\(file):\(line): \(reason)" }
}

extension SparseMatrix {
  /// The Matrix Market coordinate format (`%%MatrixMarket matrix coordinate real general`,
  /// 1-based indices), which scipy.io.mmread and R's Matrix::readMM read.
  public var matrixMarket: String { String(decoding: matrixMarketBytes(), as: UTF8.self) }

  /// Writes the Matrix Market text through a temporary file and a rename.
  public func write(matrixMarketTo url: URL) throws {
    var bytes = matrixMarketBytes()
    try bytes.withUnsafeMutableBytes { buffer in
      // Written from the array's own memory: no copy of what may be hundreds of megabytes.
      guard let base = buffer.baseAddress else { return }
      try Data(bytesNoCopy: base, count: buffer.count, deallocator: .none).write(to: url, options: .atomic)
    }
  }

  /// The Matrix Market text as UTF-8, a line per stored value, each value in the shortest
  /// form that reads back as the same `Double`.
  func matrixMarketBytes() -> [UInt8] {
    var bytes = Array("%%MatrixMarket matrix coordinate real general\n".utf8)
    bytes.reserveCapacity(bytes.count + 32 * nonZeros + 32)
    for number in [rows, columns] {
      bytes.appendDecimal(number)
      bytes.append(UInt8(ascii: " "))
    }
    bytes.appendDecimal(nonZeros)
    bytes.append(UInt8(ascii: "\n"))
    for r in 0..<rows {
      for k in rowStart[r]..<rowStart[r + 1] {
        bytes.appendDecimal(r + 1)
        bytes.append(UInt8(ascii: " "))
        bytes.appendDecimal(Int(columnIndex[k]) + 1)
        bytes.append(UInt8(ascii: " "))
        bytes.appendDecimal(values[k])
        bytes.append(UInt8(ascii: "\n"))
      }
    }
    return bytes
  }

  /// The most rows ``init(matrixMarket:file:maximumRows:)`` accepts unless told otherwise: a
  /// size line is believed only this far, since each row costs memory even when empty
  /// (2²⁶ rows: half a gigabyte of row starts).
  public static let defaultMaximumRows = 1 << 26

  /// Parses a Matrix Market coordinate file (real or integer, general); `file` names it in errors.
  /// A size line of more than `maximumRows` rows, or of more columns than 32-bit column
  /// indices hold, is refused before any memory is reserved for it.
  public init(matrixMarket text: String, file: String = "<memory>", maximumRows: Int = defaultMaximumRows)
    throws
  {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    func fail(_ line: Int, _ reason: String) -> MatrixMarketError {
      MatrixMarketError(file: file, line: line, reason: reason)
    }
    guard let header = lines.first,
      header.lowercased().hasPrefix("%%matrixmarket matrix coordinate"),
      header.lowercased().contains("general"), !header.lowercased().contains("complex")
    else { throw fail(1, "expected the header %%MatrixMarket matrix coordinate real general") }
    var index = 1
    while index < lines.count && (lines[index].hasPrefix("%") || lines[index].isEmpty) { index += 1 }
    guard index < lines.count else { throw fail(index + 1, "missing the size line \"rows columns entries\"") }
    let size = lines[index].split(separator: " ").compactMap { Int($0) }
    guard size.count == 3, size.allSatisfy({ $0 >= 0 }) else {
      throw fail(index + 1, "expected \"rows columns entries\", got \"\(lines[index])\"")
    }
    guard size[0] <= maximumRows, size[1] <= Int(Int32.max) else {
      throw fail(
        index + 1,
        "a \(size[0]) × \(size[1]) matrix is larger than this reader accepts "
          + "(at most \(maximumRows) rows and \(Int32.max) columns)")
    }
    var entries: [[Int: Double]] = Array(repeating: [:], count: size[0])
    var count = 0
    for k in (index + 1)..<lines.count where !lines[k].trimmingCharacters(in: .whitespaces).isEmpty {
      let parts = lines[k].split(separator: " ")
      guard parts.count == 3, let r = Int(parts[0]), let c = Int(parts[1]), let v = Double(parts[2]) else {
        throw fail(k + 1, "expected \"row column value\", got \"\(lines[k])\"")
      }
      guard r >= 1, r <= size[0], c >= 1, c <= size[1] else {
        throw fail(k + 1, "entry (\(r), \(c)) is outside the \(size[0]) × \(size[1]) matrix")
      }
      entries[r - 1][c - 1] = v
      count += 1
    }
    guard count == size[2] else {
      throw fail(index + 1, "the size line promises \(size[2]) entries, the file has \(count)")
    }
    self.init(rows: entries, columns: size[1])
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// TF-IDF: a term's weight in a document grows with its frequency there and shrinks with
/// the number of documents that contain it.
///
/// The weighting is an explicit choice:
/// - `.lecture`: TF = count / number of terms in the document, IDF = ln(N / (1 + df)).
///   This IDF is zero for a term in N − 1 documents and negative for one in all N:
///   ``negativeIDFTerms`` lists them, and fitting warns (through `warn`).
/// - `.smooth` (scikit-learn's default): TF = count, IDF = ln((1 + N) / (1 + df)) + 1.
/// - `.plain`: TF = count, IDF = ln(N / df) + 1.
/// Then optionally sublinear TF (1 + ln TF) and row normalisation (l2, l1, none).
public struct TFIDFVectorizer: Sendable {
  /// The TF and IDF formulas (see the type's description).
  public enum Weighting: String, Sendable, CaseIterable { case lecture, smooth, plain }
  /// How each row is scaled: to unit Euclidean length, unit sum of magnitudes, or not at all.
  public enum Norm: String, Sendable, CaseIterable { case l2, l1, none }

  /// The term counting underneath (vocabulary, analyzer, limits).
  public var counter: CountVectorizer
  /// The IDF (and TF) formula.
  public var weighting: Weighting
  /// Whether TF is replaced by 1 + ln TF.
  public var sublinearTF = false
  /// The row normalisation.
  public var norm: Norm
  /// The fitted IDF of each column.
  public private(set) var idf: [Double] = []
  /// Terms whose lecture IDF is zero or negative (in N − 1 or N documents).
  public private(set) var negativeIDFTerms: [String] = []

  public init(counter: CountVectorizer = CountVectorizer(), weighting: Weighting = .smooth, norm: Norm = .l2)
  {
    self.counter = counter
    self.weighting = weighting
    self.norm = norm
  }

  /// Learns vocabulary and IDF; returns the documents' TF-IDF matrix.
  public mutating func fitTransform(
    _ documents: [String], warn: (String) -> Void = { _ in }
  ) throws -> SparseMatrix {
    var (counts, lengths, documentFrequency) = try counter.fitCounts(documents)
    let n = Double(documents.count)
    idf = documentFrequency.map { df in
      let df = Double(df)
      switch weighting {
      case .lecture: return log(n / (1 + df))
      case .smooth: return log((1 + n) / (1 + df)) + 1
      case .plain: return log(n / df) + 1
      }
    }
    negativeIDFTerms =
      weighting == .lecture ? counter.terms.indices.filter { idf[$0] <= 0 }.map { counter.terms[$0] } : []
    if !negativeIDFTerms.isEmpty {
      warn(
        "TF-IDF: \(negativeIDFTerms.count) term(s) occur in N−1 or N documents, so the lecture's "
          + "IDF ln(N/(1+df)) is zero or negative for them (e.g. \(negativeIDFTerms.prefix(5).joined(separator: ", ")))"
      )
    }
    weigh(&counts, documentLengths: lengths)
    return counts
  }

  /// TF-IDF of new documents with the fitted vocabulary and IDF.
  public func transform(_ documents: [String]) throws -> SparseMatrix {
    var (counts, lengths) = try counter.transformCounts(documents)
    weigh(&counts, documentLengths: lengths)
    return counts
  }

  /// Turns a count matrix into TF-IDF weights, in place (no second copy of the values).
  func weigh(_ counts: inout SparseMatrix, documentLengths: [Int]) {
    var values: [Double] = []
    swap(&values, &counts.values)
    defer { swap(&values, &counts.values) }
    for r in 0..<counts.rows {
      let range = counts.rowStart[r]..<counts.rowStart[r + 1]
      for k in range {
        var tf = values[k]
        if weighting == .lecture { tf /= Double(max(documentLengths[r], 1)) }
        if sublinearTF { tf = 1 + log(tf) }
        values[k] = tf * idf[Int(counts.columnIndex[k])]
      }
      let size: Double =
        switch norm {
        case .l2: values[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
        case .l1: values[range].reduce(0) { $0 + Swift.abs($1) }
        case .none: 1
        }
      if size > 0 { for k in range { values[k] /= size } }
    }
  }
}

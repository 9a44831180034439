/// A document-frequency limit: an absolute number of documents or a proportion of them.
public enum DocumentFrequency: Sendable, Equatable {
  /// A number of documents.
  case count(Int)
  /// A share of the documents, in [0, 1].
  case proportion(Double)

  /// A limit written as scikit-learn takes it: an integer count (`2`) or a proportion with a
  /// decimal point (`0.9`, `1.0`); nil for anything else.
  public init?(_ text: String) {
    if text.contains("."), let p = Double(text), p >= 0, p <= 1 {
      self = .proportion(p)
    } else if let n = Int(text), n >= 0 {
      self = .count(n)
    } else {
      return nil
    }
  }

  func documents(of total: Int) -> Double {
    switch self {
    case .count(let n): Double(n)
    case .proportion(let p): p * Double(total)
    }
  }
}

/// Why vectorizing failed.
public enum VectorizerError: Error, Equatable, CustomStringConvertible {
  case noDocuments
  case emptyVocabulary(String)
  case notFitted

  public var description: String {
    switch self {
    case .noDocuments: "vectorizer: there are no documents"
    case .emptyVocabulary(let why): "vectorizer: the vocabulary is empty (\(why))"
    case .notFitted: "vectorizer: fit it on documents first"
    }
  }
}

/// Bag-of-words: each document becomes the counts of the vocabulary's terms in it,
/// ignoring order (the lecture's two movie reviews). Like scikit-learn's CountVectorizer:
/// minimum and maximum document frequency, a maximum number of features (the most
/// frequent terms), binary counts, and a fitted vocabulary that new documents map onto
/// (unknown terms ignored).
public struct CountVectorizer: Sendable {
  /// How columns are ordered: alphabetically (scikit-learn) or by first appearance (the lecture).
  public enum Order: Sendable { case alphabetical, firstAppearance }

  /// How documents become terms.
  public var analyzer = TermAnalyzer()
  /// Terms in fewer documents are dropped.
  public var minimumDocumentFrequency: DocumentFrequency = .count(1)
  /// Terms in more documents are dropped.
  public var maximumDocumentFrequency: DocumentFrequency = .proportion(1)
  /// Keep only this many terms, the most frequent over the corpus.
  public var maximumFeatures: Int? = nil
  /// 1 for a present term instead of its count.
  public var binary = false
  /// How columns are ordered.
  public var order: Order = .alphabetical
  /// The fitted vocabulary: term ↔ column (scikit-learn's `vocabulary_`).
  public private(set) var vocabulary = Vocabulary([], unknownToken: nil)
  /// The terms, by column.
  public var terms: [String] { vocabulary.tokens }

  public init(analyzer: TermAnalyzer = TermAnalyzer(), binary: Bool = false, order: Order = .alphabetical) {
    self.analyzer = analyzer
    self.binary = binary
    self.order = order
  }

  /// Learns the vocabulary from `documents` and returns their count matrix.
  ///
  /// Each term is hashed once, into a provisional id in order of first appearance; document
  /// frequencies, totals and the matrix are then computed on integer ids.
  public mutating func fitTransform(_ documents: [String]) throws -> SparseMatrix {
    try fitCounts(documents).matrix
  }

  /// ``fitTransform(_:)``, the number of terms of each document (kept or not), and the
  /// number of documents each column's term occurs in.
  mutating func fitCounts(_ documents: [String]) throws -> (
    matrix: SparseMatrix, lengths: [Int], documentFrequency: [Int]
  ) {
    guard !documents.isEmpty else { throw VectorizerError.noDocuments }
    // All documents' term ids in one array (document d at starts[d] ..< starts[d + 1]).
    let table = TermTable()
    var flat: [Int32] = []
    // About one term in six bytes of prose: most of the ids without regrowing.
    flat.reserveCapacity(documents.reduce(0) { $0 + $1.utf8.count } / 6)
    var starts = [0]
    starts.reserveCapacity(documents.count + 1)
    for document in documents {
      if analyzer.scansBytes {
        analyzer.appendTermIDs(document, to: &flat, table: table)
      } else {
        flat += try analyzer.terms(document).map(table.id)
      }
      starts.append(flat.count)
    }
    let firstSeen = table.terms
    var documentFrequency = [Int](repeating: 0, count: firstSeen.count)
    var totalCount = [Int](repeating: 0, count: firstSeen.count)
    var lastDocument = [Int](repeating: -1, count: firstSeen.count)
    for d in documents.indices {
      for k in starts[d]..<starts[d + 1] {
        let id = Int(flat[k])
        totalCount[id] += 1
        if lastDocument[id] != d {
          lastDocument[id] = d
          documentFrequency[id] += 1
        }
      }
    }
    let n = documents.count
    let low = minimumDocumentFrequency.documents(of: n)
    let high = maximumDocumentFrequency.documents(of: n)
    var kept = firstSeen.indices.filter {
      Double(documentFrequency[$0]) >= low && Double(documentFrequency[$0]) <= high
    }
    if let maximumFeatures, kept.count > maximumFeatures {
      // The most frequent terms over the corpus; ties go to the alphabetically first.
      let chosen = Set(
        kept.sorted { (totalCount[$0], firstSeen[$1]) > (totalCount[$1], firstSeen[$0]) }.prefix(
          maximumFeatures))
      kept = kept.filter(chosen.contains)
    }
    guard !kept.isEmpty else {
      throw VectorizerError.emptyVocabulary(
        firstSeen.isEmpty
          ? "the documents have no terms" : "every term was removed by the document-frequency limits")
    }
    if order == .alphabetical {
      kept.sort { table.precedes(Int32($0), Int32($1)) }
    }
    vocabulary = Vocabulary(
      kept.map { firstSeen[$0] }, counts: kept.map { totalCount[$0] }, unknownToken: nil)
    var column = [Int32](repeating: -1, count: firstSeen.count)
    for (c, id) in kept.enumerated() { column[id] = Int32(c) }
    for k in flat.indices { flat[k] = column[Int(flat[k])] }
    // Each kept term has one entry per document it occurs in.
    let columnFrequency = kept.map { documentFrequency[$0] }
    let nonZeros = columnFrequency.reduce(0, +)
    return (counts(flat, starts, nonZeros: nonZeros), lengths(starts), columnFrequency)
  }

  private func lengths(_ starts: [Int]) -> [Int] { zip(starts.dropFirst(), starts).map { $0 - $1 } }

  /// The count matrix of new documents over the fitted vocabulary.
  public func transform(_ documents: [String]) throws -> SparseMatrix {
    try transformCounts(documents).matrix
  }

  /// ``transform(_:)``, and the number of terms of each document.
  func transformCounts(_ documents: [String]) throws -> (matrix: SparseMatrix, lengths: [Int]) {
    guard vocabulary.count > 0 else { throw VectorizerError.notFitted }
    var flat: [Int32] = []
    var starts = [0]
    for document in documents {
      flat += try analyzer.terms(document).map { Int32(vocabulary.id(of: $0) ?? -1) }
      starts.append(flat.count)
    }
    return (counts(flat, starts), lengths(starts))
  }

  /// The matrix of documents given as column indices (−1: not in the vocabulary), document
  /// d at `documentStart[d] ..< documentStart[d + 1]` of `columns`, with room made for
  /// `nonZeros` entries when their number is known.
  func counts(_ columns: [Int32], _ documentStart: [Int], nonZeros: Int = 0) -> SparseMatrix {
    var scratch = [Double](repeating: 0, count: vocabulary.count)
    var starts = [0]
    starts.reserveCapacity(documentStart.count)
    var indices: [Int32] = []
    var values: [Double] = []
    indices.reserveCapacity(nonZeros)
    values.reserveCapacity(nonZeros)
    var touched: [Int] = []
    for d in 0..<(documentStart.count - 1) {
      touched.removeAll(keepingCapacity: true)
      for k in documentStart[d]..<documentStart[d + 1] where columns[k] >= 0 {
        let c = Int(columns[k])
        if scratch[c] == 0 { touched.append(c) }
        scratch[c] = binary ? 1 : scratch[c] + 1
      }
      touched.sort()
      for c in touched {
        indices.append(Int32(c))
        values.append(scratch[c])
        scratch[c] = 0
      }
      starts.append(indices.count)
    }
    return SparseMatrix(
      rows: documentStart.count - 1, columns: vocabulary.count, rowStart: starts, columnIndex: indices,
      values: values)
  }
}

/// A document-frequency limit: an absolute number of documents or a proportion of them.
public enum DocumentFrequency: Sendable, Equatable {
  case count(Int)
  case proportion(Double)

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

  public var analyzer = TermAnalyzer()
  public var minimumDocumentFrequency: DocumentFrequency = .count(1)
  public var maximumDocumentFrequency: DocumentFrequency = .proportion(1)
  public var maximumFeatures: Int? = nil
  /// 1 for a present term instead of its count.
  public var binary = false
  public var order: Order = .alphabetical
  /// The fitted vocabulary: term → column.
  public private(set) var vocabulary: [String: Int] = [:]
  /// The terms, by column.
  public private(set) var terms: [String] = []

  public init(analyzer: TermAnalyzer = TermAnalyzer(), binary: Bool = false, order: Order = .alphabetical) {
    self.analyzer = analyzer
    self.binary = binary
    self.order = order
  }

  /// Learns the vocabulary from `documents` and returns their count matrix.
  public mutating func fitTransform(_ documents: [String]) throws -> SparseMatrix {
    guard !documents.isEmpty else { throw VectorizerError.noDocuments }
    let analyzed = try documents.map(analyzer.terms)
    var documentFrequency: [String: Int] = [:]
    var totalCount: [String: Int] = [:]
    var firstSeen: [String] = []
    for terms in analyzed {
      for term in Set(terms) { documentFrequency[term, default: 0] += 1 }
      for term in terms {
        if totalCount[term] == nil { firstSeen.append(term) }
        totalCount[term, default: 0] += 1
      }
    }
    let n = documents.count
    let low = minimumDocumentFrequency.documents(of: n)
    let high = maximumDocumentFrequency.documents(of: n)
    var kept = firstSeen.filter {
      Double(documentFrequency[$0]!) >= low && Double(documentFrequency[$0]!) <= high
    }
    if let maximumFeatures, kept.count > maximumFeatures {
      // The most frequent terms over the corpus; ties go to the alphabetically first.
      let chosen = Set(kept.sorted { (totalCount[$0]!, $1) > (totalCount[$1]!, $0) }.prefix(maximumFeatures))
      kept = kept.filter(chosen.contains)
    }
    guard !kept.isEmpty else {
      throw VectorizerError.emptyVocabulary(
        firstSeen.isEmpty
          ? "the documents have no terms" : "every term was removed by the document-frequency limits")
    }
    terms =
      order == .alphabetical
      ? kept.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } : kept
    vocabulary = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($0.element, $0.offset) })
    return counts(analyzed)
  }

  /// The count matrix of new documents over the fitted vocabulary.
  public func transform(_ documents: [String]) throws -> SparseMatrix {
    guard !vocabulary.isEmpty else { throw VectorizerError.notFitted }
    return counts(try documents.map(analyzer.terms))
  }

  func counts(_ analyzed: [[String]]) -> SparseMatrix {
    let rows = analyzed.map { terms in
      var row: [Int: Double] = [:]
      for term in terms {
        if let column = vocabulary[term] { row[column] = binary ? 1 : (row[column] ?? 0) + 1 }
      }
      return row
    }
    return SparseMatrix(rows: rows, columns: terms.count)
  }
}

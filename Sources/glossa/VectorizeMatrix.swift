import ArgumentParser
import Foundation
import GlossaText

/// `glossa vectorize matrix` (the default): the vectors of a file of documents.
struct VectorizeMatrix: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "matrix",
    abstract:
      "Print the vectors (a header of terms, then one row per document), or write them as Matrix Market.",
    discussion: """
      With --output FILE.mtx the matrix goes to FILE.mtx (Matrix Market, which scipy and R \
      read) and its vocabulary to FILE.vocab, one term per line in column order. Without it, \
      a tab-separated header line lists the vocabulary and each document's row follows. \
      onehot gives one row per token of the documents.

      Examples:
        glossa vectorize --method bow --order first lecture.txt
        glossa vectorize --method tfidf --idf lecture --norm none lecture.txt
        glossa vectorize --ngram 1,2 --min-df 2 --output reviews.mtx reviews.txt
      """)

  @OptionGroup var options: Vectorize.Options
  @Option(help: "Write the matrix here (Matrix Market) and the vocabulary beside it (.vocab).")
  var output: String?

  func run() throws {
    let documents = try options.documents()
    let (matrix, terms) = try vectorize(documents)
    if let output {
      let url = URL(fileURLWithPath: output)
      try matrix.write(matrixMarketTo: url)
      let vocabulary = url.deletingPathExtension().appendingPathExtension("vocab")
      try terms.write(linesTo: vocabulary)
      FileHandle.standardError.write(
        Data(
          "wrote \(output) (\(matrix.rows) × \(matrix.columns), \(matrix.nonZeros) entries) and \(vocabulary.path)\n"
            .utf8))
      return
    }
    print(terms.tokens.joined(separator: "\t"))
    for row in matrix.dense { print(row.map(Self.format).joined(separator: "\t")) }
  }

  func vectorize(_ documents: [String]) throws -> (SparseMatrix, Vocabulary) {
    switch options.method {
    case .onehot:
      let analyzer = try options.analyzer()
      let tokens = try documents.flatMap { try analyzer.terms($0) }
      guard !tokens.isEmpty else { throw VectorizerError.noDocuments }
      let encoder = OneHotEncoder(vocabulary: tokens)
      return (encoder.encode(tokens), encoder.vocabulary)
    case .bow:
      var counter = try options.counter()
      return (try counter.fitTransform(documents), counter.vocabulary)
    case .tfidf:
      var tfidf = try options.tfidf()
      let matrix = try tfidf.fitTransform(documents) {
        FileHandle.standardError.write(Data("warning: \($0)\n".utf8))
      }
      return (matrix, tfidf.counter.vocabulary)
    }
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.6g", value)
  }
}

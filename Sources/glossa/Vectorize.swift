import ArgumentParser
import Foundation
import GlossaText

/// `glossa vectorize`: one-hot, bag-of-words and TF-IDF matrices of a file of documents.
struct Vectorize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Turn documents (one per line) into one-hot, bag-of-words or TF-IDF vectors.",
    subcommands: [MatrixCommand.self, Search.self], defaultSubcommand: MatrixCommand.self)

  enum Method: String, ExpressibleByArgument { case onehot, bow, tfidf }
  enum ColumnOrder: String, ExpressibleByArgument { case alphabetical, first }
  enum AnalyzerUnit: String, ExpressibleByArgument { case word, char }

  /// The options every vectorize command shares.
  struct Options: ParsableArguments {
    @Option(help: "onehot, bow (bag-of-words counts) or tfidf.")
    var method: Method = .tfidf
    @Option(
      help: "TF-IDF weighting: lecture (count/length × ln(N/(1+df))), smooth or plain (scikit-learn's).")
    var idf: TFIDFVectorizer.Weighting = .smooth
    @Flag(name: .customLong("sublinear-tf"), help: "Use 1 + ln(tf) instead of tf.")
    var sublinearTF = false
    @Option(help: "Row normalisation: l2, l1 or none.")
    var norm: TFIDFVectorizer.Norm = .l2
    @Option(help: "Word n-gram range, MIN,MAX (e.g. 1,2).")
    var ngram = "1,1"
    @Option(
      name: .customLong("min-df"),
      help: "Drop terms in fewer documents (an integer count or a proportion like 0.01).")
    var minimumDocumentFrequency = "1"
    @Option(
      name: .customLong("max-df"), help: "Drop terms in more documents (a count, or a proportion like 0.9).")
    var maximumDocumentFrequency = "1.0"
    @Option(name: .customLong("max-features"), help: "Keep only the N most frequent terms.")
    var maximumFeatures: Int?
    @Flag(help: "Count presence (1) instead of occurrences.")
    var binary = false
    @Option(help: "Column order: alphabetical (scikit-learn) or first (first appearance, as in the lecture).")
    var order: ColumnOrder = .alphabetical
    @Flag(help: "Lowercase the documents first.")
    var lowercase = false
    @Option(
      name: .customLong("token-pattern"),
      help: "Token regular expression (default the lecture's \\b\\w+\\b), or treebank for NLTK's rules."
    )
    var tokenPattern = #"\b\w+\b"#
    @Option(
      name: .customLong("analyzer"),
      help: "What terms are: word (tokens and their n-grams) or char (character n-grams).")
    var unit: AnalyzerUnit = .word
    @Argument(help: "The documents, one per line (UTF-8).")
    var documentsFile: String

    func documents() throws -> [String] {
      guard let data = FileManager.default.contents(atPath: documentsFile) else {
        throw ValidationError("\(documentsFile): cannot be read")
      }
      var lines = try decodeUTF8(data, file: documentsFile).split(
        separator: "\n", omittingEmptySubsequences: false)
      if lines.last == "" { lines.removeLast() }
      return lines.map(String.init)
    }

    func analyzer() throws -> TermAnalyzer {
      let bounds = ngram.split(separator: ",").compactMap { Int($0) }
      guard bounds.count == 2, bounds[0] >= 1, bounds[0] <= bounds[1] else {
        throw ValidationError("--ngram expects MIN,MAX with 1 ≤ MIN ≤ MAX, got \(ngram)")
      }
      let pattern: TermAnalyzer.Pattern =
        switch tokenPattern {
        case #"\b\w+\b"#, #"(?u)\b\w+\b"#: .wordCharacters
        case #"\b\w\w+\b"#, #"(?u)\b\w\w+\b"#: .twoOrMoreWordCharacters
        case "treebank": .tokenizer(TreebankTokenizer())
        default: .regex(tokenPattern)
        }
      return TermAnalyzer(
        unit: unit == .char ? .characters : .words, pattern: pattern, lowercase: lowercase,
        ngrams: bounds[0]...bounds[1])
    }

    func frequency(_ text: String, _ name: String) throws -> DocumentFrequency {
      if text.contains("."), let p = Double(text), p >= 0, p <= 1 { return .proportion(p) }
      if let n = Int(text), n >= 0 { return .count(n) }
      throw ValidationError("--\(name) expects a count or a proportion in [0, 1], got \(text)")
    }

    func counter() throws -> CountVectorizer {
      var counter = CountVectorizer(
        analyzer: try analyzer(), binary: binary, order: order == .first ? .firstAppearance : .alphabetical)
      counter.minimumDocumentFrequency = try frequency(minimumDocumentFrequency, "min-df")
      counter.maximumDocumentFrequency = try frequency(maximumDocumentFrequency, "max-df")
      counter.maximumFeatures = maximumFeatures
      return counter
    }

    func tfidf() throws -> TFIDFVectorizer {
      var tfidf = TFIDFVectorizer(counter: try counter(), weighting: idf, norm: norm)
      tfidf.sublinearTF = sublinearTF
      return tfidf
    }
  }

  struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "matrix",
      abstract:
        "Print the vectors (a header of terms, then one row per document), or write them as Matrix Market.",
      discussion: """
        With --output FILE.mtx the matrix goes to FILE.mtx (Matrix Market, which scipy and R
        read) and its vocabulary to FILE.vocab, one term per line in column order. Without it,
        a tab-separated header line lists the vocabulary and each document's row follows.
        onehot gives one row per token of the documents.
        """)

    @OptionGroup var options: Options
    @Option(help: "Write the matrix here (Matrix Market) and the vocabulary beside it (.vocab).")
    var output: String?

    func run() throws {
      let documents = try options.documents()
      let (matrix, terms) = try vectorize(documents)
      if let output {
        let url = URL(fileURLWithPath: output)
        try matrix.write(matrixMarketTo: url)
        let vocabulary = url.deletingPathExtension().appendingPathExtension("vocab")
        try Data((terms.joined(separator: "\n") + "\n").utf8).write(to: vocabulary, options: .atomic)
        FileHandle.standardError.write(
          Data(
            "wrote \(output) (\(matrix.rows) × \(matrix.columns), \(matrix.nonZeros) entries) and \(vocabulary.path)\n"
              .utf8))
        return
      }
      print(terms.joined(separator: "\t"))
      for row in matrix.dense { print(row.map(Self.format).joined(separator: "\t")) }
    }

    func vectorize(_ documents: [String]) throws -> (SparseMatrix, [String]) {
      switch options.method {
      case .onehot:
        let analyzer = try options.analyzer()
        let tokens = try documents.flatMap { try analyzer.terms($0) }
        guard !tokens.isEmpty else { throw VectorizerError.noDocuments }
        let encoder = OneHotEncoder(vocabulary: tokens)
        return (encoder.encode(tokens), encoder.vocabulary.tokens)
      case .bow:
        var counter = try options.counter()
        return (try counter.fitTransform(documents), counter.terms)
      case .tfidf:
        var tfidf = try options.tfidf()
        let matrix = try tfidf.fitTransform(documents) {
          FileHandle.standardError.write(Data("warning: \($0)\n".utf8))
        }
        return (matrix, tfidf.counter.terms)
      }
    }

    static func format(_ value: Double) -> String {
      value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.6g", value)
    }
  }

  struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The documents most similar (cosine of TF-IDF vectors) to a query.")

    @OptionGroup var options: Options
    @Option(help: "The query text.")
    var query: String
    @Option(help: "How many documents to show.")
    var top = 5

    func run() throws {
      let documents = try options.documents()
      var tfidf = try options.tfidf()
      let matrix = try tfidf.fitTransform(documents)
      for (row, score) in matrix.mostSimilar(to: try tfidf.transform([query]), top: top) {
        print(String(format: "%.4f", score) + "\t\(row + 1)\t\(documents[row])")
      }
    }
  }
}

extension TFIDFVectorizer.Weighting: ExpressibleByArgument {}
extension TFIDFVectorizer.Norm: ExpressibleByArgument {}

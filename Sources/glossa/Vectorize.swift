import ArgumentParser
import Foundation
import GlossaText

/// `glossa vectorize`: one-hot, bag-of-words and TF-IDF matrices of a file of documents.
struct Vectorize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Turn documents (one per line) into one-hot, bag-of-words or TF-IDF vectors.",
    subcommands: [VectorizeMatrix.self, VectorizeSearch.self], defaultSubcommand: VectorizeMatrix.self)

  enum Method: String, ExpressibleByArgument, CaseIterable { case onehot, bow, tfidf }
  enum ColumnOrder: String, ExpressibleByArgument, CaseIterable { case alphabetical, first }
  enum AnalyzerUnit: String, ExpressibleByArgument, CaseIterable { case word, char }

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

    func documents() throws -> [String] { try readLines(of: URL(fileURLWithPath: documentsFile)) }

    func analyzer() throws -> TermAnalyzer {
      let bounds = ngram.split(separator: ",").compactMap { Int($0) }
      guard bounds.count == 2, bounds[0] >= 1, bounds[0] <= bounds[1] else {
        throw ValidationError("--ngram expects MIN,MAX with 1 ≤ MIN ≤ MAX, got \(ngram)")
      }
      return TermAnalyzer(
        unit: unit == .char ? .characters : .words, pattern: TermAnalyzer.Pattern(tokenPattern),
        lowercase: lowercase,
        ngrams: bounds[0]...bounds[1])
    }

    func frequency(_ text: String, _ name: String) throws -> DocumentFrequency {
      guard let limit = DocumentFrequency(text) else {
        throw ValidationError("--\(name) expects a count or a proportion in [0, 1], got \(text)")
      }
      return limit
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
}

extension TFIDFVectorizer.Weighting: ExpressibleByArgument {}
extension TFIDFVectorizer.Norm: ExpressibleByArgument {}

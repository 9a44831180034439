import ArgumentParser
import Foundation
import GlossaText

/// `glossa vectorize search`: documents ranked by their similarity to a query.
struct VectorizeSearch: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "The documents most similar (cosine of TF-IDF vectors) to a query.",
    discussion: """
      Fits the vectorizer on the documents, turns the query into a vector with the same \
      vocabulary and weights, and prints the --top documents by cosine similarity: the \
      score, the line number and the document, tab-separated.

      Examples:
        glossa vectorize search --query "a warm and funny film" reviews.txt
      """)

  @OptionGroup var options: Vectorize.Options
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

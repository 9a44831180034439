import ArgumentParser
import Foundation
import GlossaText

/// `glossa vectorize search`: documents ranked by their similarity to a query.
struct VectorizeSearch: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "The documents most similar (cosine of TF-IDF vectors) to a query.")

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

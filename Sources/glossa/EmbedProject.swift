import ArgumentParser
import Foundation
import GlossaEmbeddings
import GlossaViz

/// `glossa embed project`: words drawn in 2-D.
struct EmbedProject: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "project", abstract: "Draw words in 2-D (PCA or t-SNE) as an SVG scatter plot.",
    discussion: """
      PCA keeps the two directions along which the vectors vary most; t-SNE places the \
      words so that neighbours stay neighbours, which shows clusters better but not \
      distances between them. The plot labels every word.

      Examples:
        glossa embed project --vectors austen.bin --top 60 --output words.svg
        glossa embed project --vectors austen.bin --method tsne --output tsne.svg \\
          --words mother,father,sister,brother,monday,tuesday,london,bath
      """)
  @OptionGroup var source: Embed.VectorsOption
  @Option(help: "pca or tsne.")
  var method: ProjectionMethod = .pca
  @Option(help: "Comma-separated words to draw (default: the most frequent).")
  var words: String?
  @Option(help: "How many of the most frequent words to draw when --words is not given.")
  var top = 100
  @Option(help: "t-SNE perplexity.")
  var perplexity = 30.0
  @Option(help: "Random seed (t-SNE).")
  var seed: UInt64 = 1
  @Option(help: "Where to write the SVG.")
  var output: String

  func run() throws {
    let vectors = try source.load().vectors
    let chosen = words.map { $0.split(separator: ",").map(String.init) } ?? Array(vectors.words.prefix(top))
    let missing = chosen.filter { !vectors.contains($0) }
    guard missing.isEmpty else {
      throw ValidationError("not in the vectors: \(missing.joined(separator: ", "))")
    }
    guard chosen.count >= 2 else { throw ValidationError("draw at least two words") }
    var plot = ScatterPlot(title: "\(chosen.count) words, \(method == .pca ? "PCA" : "t-SNE")")
    for point in try vectors.project(chosen, method: method, perplexity: perplexity, seed: seed) {
      plot.add(.init(x: point.x, y: point.y, label: point.word))
    }
    try plot.write(to: URL(fileURLWithPath: output))
    FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
  }
}

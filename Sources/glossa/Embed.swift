import ArgumentParser
import Foundation
import GlossaEmbeddings

/// `glossa embed`: train word embeddings, query them, evaluate and draw them.
struct Embed: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train word embeddings (Word2Vec, GloVe, FastText) and query, evaluate or draw them.",
    subcommands: [
      EmbedTrain.self, EmbedSimilar.self, EmbedAnalogy.self, EmbedEvaluate.self, EmbedProject.self,
    ])

  static func printScores(_ scores: [(word: String, score: Float)]) {
    for (word, score) in scores { print("\(word)\t\(String(format: "%.4f", score))") }
  }

  /// The `--vectors FILE` option of the commands that read vectors.
  struct VectorsOption: ParsableArguments {
    @Option(
      help:
        "A vector file (word2vec text or binary, GloVe, fastText .vec) or a Word2Vec or FastText model (safetensors), recognised by its content."
    )
    var vectors: String

    /// The file, read.
    func load() throws -> EmbeddingFile { try EmbeddingFile(contentsOf: URL(fileURLWithPath: vectors)) }
  }
}

extension VectorFileFormat: ExpressibleByArgument {}
extension KeyedVectors.AnalogyMethod: ExpressibleByArgument {}
extension LearningRateDecay: ExpressibleByArgument {}
extension ProjectionMethod: ExpressibleByArgument {}

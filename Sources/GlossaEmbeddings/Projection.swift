import Foundation
import GlossaTensor

/// How word vectors are drawn in two dimensions.
public enum ProjectionMethod: String, Sendable, CaseIterable {
  /// Principal component analysis: the two directions of greatest variance.
  case pca
  /// t-SNE: neighbours stay neighbours.
  case tsne
}

/// A word at its place in a 2-D projection.
public struct ProjectedWord: Sendable, Equatable {
  /// The word.
  public let word: String
  /// Its coordinates.
  public let x: Double, y: Double
}

extension KeyedVectors {
  /// The 2-D places of `words` (at least two, each with a vector) by `method`; t-SNE's
  /// perplexity is lowered to a third of the other points when there are few.
  public func project(
    _ words: [String], method: ProjectionMethod, perplexity: Double = 30, seed: UInt64 = 1
  ) throws -> [ProjectedWord] {
    require(words.count >= 2, "project: give at least two words")
    let points = try words.flatMap { try vector($0) }
    let layout: [Double]
    switch method {
    case .pca: layout = PCA.project(points, dimension: dimension).map(Double.init)
    case .tsne:
      layout = TSNE(perplexity: min(perplexity, Double(words.count - 1) / 3), seed: seed)
        .embed(points, dimension: dimension)
    }
    return words.enumerated().map { ProjectedWord(word: $1, x: layout[2 * $0], y: layout[2 * $0 + 1]) }
  }
}

extension TrainingProgress {
  /// One line for a progress display: percent, words per second, learning rate, time left.
  public var summary: String {
    String(
      format: "%5.1f%%  %.0fk words/s  lr %.5f  ETA %.0fs", fraction * 100, wordsPerSecond / 1000,
      learningRate,
      remaining)
  }
}

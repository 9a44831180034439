import Foundation
import GlossaTensor

/// Any file of word vectors that Glossa reads, recognised by its content: a vector file
/// (word2vec text or binary, GloVe, fastText `.vec`) or a whole model saved as safetensors
/// (Word2Vec or FastText).
public enum EmbeddingFile {
  /// Vectors alone.
  case vectors(KeyedVectors)
  /// A Word2Vec model, which can be trained further.
  case word2vec(Word2VecModel)
  /// A FastText model, which gives vectors to unseen words too.
  case fastText(FastTextVectors)

  /// Reads the file at `url`. Errors name the file and what is wrong
  /// (``VectorFileError``, ``EmbeddingModelFileError``, `SafeTensorsError`).
  public init(contentsOf url: URL) throws {
    guard Self.isSafeTensors(url) else {
      self = .vectors(try KeyedVectors(contentsOf: url))
      return
    }
    let format = try SafeTensors(contentsOf: url).metadata["format"]
    switch format {
    case Word2VecModel.format: self = .word2vec(try Word2VecModel(contentsOf: url))
    case FastTextVectors.format: self = .fastText(try FastTextVectors(contentsOf: url))
    default:
      throw EmbeddingModelFileError(
        path: url.path,
        reason: "a safetensors file whose 'format' metadata is \(format.map { "'\($0)'" } ?? "missing"), "
          + "expected '\(Word2VecModel.format)' or '\(FastTextVectors.format)'")
    }
  }

  /// The words' vectors, for queries.
  public var vectors: KeyedVectors {
    switch self {
    case .vectors(let vectors): vectors
    case .word2vec(let model): model.vectors
    case .fastText(let model): model.keyedVectors
    }
  }

  /// The vector of `word`: a FastText model builds one for any word from its character
  /// n-grams; otherwise the word must have a vector (``UnknownWordError``).
  public func vector(_ word: String) throws -> [Float] {
    if case .fastText(let model) = self { return model.vector(word) }
    return try vectors.vector(word)
  }

  /// The words nearest to `word`, itself left out; a FastText model answers for unseen words.
  public func mostSimilar(_ word: String, top: Int = 10) throws -> [(word: String, score: Float)] {
    if case .fastText(let model) = self, !model.keyedVectors.contains(word) {
      return model.mostSimilar(word, top: top)
    }
    return try vectors.mostSimilar(positive: [word], top: top)
  }

  /// Whether the file at `url` is safetensors: it begins with its header's length (8 bytes,
  /// little-endian, less than the file) and then `{`; no vector file does.
  public static func isSafeTensors(_ url: URL) -> Bool {
    guard let handle = try? FileHandle(forReadingFrom: url), let start = try? handle.read(upToCount: 9),
      start.count == 9, let size = try? handle.seekToEnd()
    else { return false }
    let length = start.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    return start[start.startIndex + 8] == UInt8(ascii: "{") && length <= size - 8  // size ≥ 9
  }
}

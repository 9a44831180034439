import Foundation
import GlossaEmbeddings
import GlossaText
import Hummingbird

/// `POST /v1/embeddings`: `{"model": "glove", "words": ["king"]}` → each word's vector (null
/// for a word without one; a FastText model makes one for any word), or with `"texts"`, each
/// text's mean word vector (its `\b\w+\b` words, looked up as they are and then lower-cased;
/// null when none has a vector).
struct EmbeddingsRequest: Decodable, Sendable {
  var model: String
  var words: [String]?
  var texts: [String]?
}

struct EmbeddingsResponse: Encodable, Sendable {
  var model: String
  var dimension: Int
  var vectors: [[Float]?]
}

/// `POST /v1/similar`: `{"model": "glove", "words": ["king"], "top": 10, "projection": true}`
/// → each word's nearest neighbours by cosine similarity, and with `projection`, the word and
/// its neighbours placed in two dimensions by PCA.
struct SimilarRequest: Decodable, Sendable {
  var model: String
  var words: [String]
  var top: Int?
  var projection: Bool?
}

struct ScoredWord: Encodable, Sendable {
  var word: String
  var score: Float
}

struct SimilarResponse: Encodable, Sendable {
  struct Neighbourhood: Encodable, Sendable {
    var word: String
    var neighbours: [ScoredWord]
    var projection: [PlacedWord]?
  }
  struct PlacedWord: Encodable, Sendable {
    var word: String
    var x: Double
    var y: Double
  }
  var model: String
  var results: [Neighbourhood]
}

/// `POST /v1/analogy`: `{"model": "glove", "a": "man", "b": "king", "c": "woman"}` → the
/// words d for "a is to b as c is to d" (3CosAdd, or `"method": "cosmul"`).
struct AnalogyRequest: Decodable, Sendable {
  var model: String
  var a: String
  var b: String
  var c: String
  var top: Int?
  var method: String?
}

struct AnalogyResponse: Encodable, Sendable {
  var model: String
  var answers: [ScoredWord]
}

extension GlossaServer {
  /// The vector file of a request (404 when `name` is none).
  private func vectors(_ name: String, endpoint: String) throws -> EmbeddingFile {
    try model(name, for: endpoint) { if case .vectors(let file) = $0.content { file } else { nil } }
  }

  /// A request's `top`, or `value` when it has none: 422 outside 1…1000.
  private func checkTop(_ top: Int?, default value: Int) throws -> Int {
    let top = top ?? value
    guard (1...1000).contains(top) else {
      throw APIError.unprocessable("must be from 1 to 1000", field: "top")
    }
    return top
  }

  /// A 422 naming the field of a query word that has no vector.
  private func requireWord(_ word: String, in file: EmbeddingFile, field: String) throws {
    guard file.vectors.contains(word) else {
      throw APIError.unprocessable("'\(word)' has no vector in this model", field: field)
    }
  }

  func embeddings(_ request: Request) async throws -> Response {
    let query = try await decode(EmbeddingsRequest.self, request)
    let file = try vectors(query.model, endpoint: "/v1/embeddings")
    guard (query.words == nil) != (query.texts == nil) else {
      throw APIError.badRequest("give either words or texts", field: query.words == nil ? "words" : "texts")
    }
    try check(query.words ?? query.texts!, field: query.words == nil ? "texts" : "words")
    let response = try await compute(file) { file in
      var vectors: [[Float]?]
      if let words = query.words {
        vectors = words.map { try? file.vector($0) }
      } else {
        vectors = query.texts!.map { text in
          let known = RegexWordTokenizer().tokenize(text).map(\.text).compactMap { word in
            (try? file.vector(word)) ?? (try? file.vector(word.lowercased()))
          }
          guard let first = known.first else { return nil }
          var mean = first
          for vector in known.dropFirst() { for d in mean.indices { mean[d] += vector[d] } }
          return mean.map { $0 / Float(known.count) }
        }
      }
      return EmbeddingsResponse(model: query.model, dimension: file.vectors.dimension, vectors: vectors)
    }
    return json(response)
  }

  func similar(_ request: Request) async throws -> Response {
    let query = try await decode(SimilarRequest.self, request)
    let file = try vectors(query.model, endpoint: "/v1/similar")
    try check(query.words, field: "words")
    let top = try checkTop(query.top, default: 10)
    for (i, word) in query.words.enumerated() {
      if case .fastText = file { continue }
      try requireWord(word, in: file, field: "words[\(i)]")
    }
    let response = try await compute(file) { file in
      SimilarResponse(
        model: query.model,
        results: try query.words.map { word in
          let neighbours = try file.mostSimilar(word, top: top)
          var projection: [SimilarResponse.PlacedWord]?
          if query.projection == true {
            let points = try ([word] + neighbours.map(\.word)).flatMap { try file.vector($0) }
            let layout = PCA.project(points, dimension: file.vectors.dimension)
            projection = ([word] + neighbours.map(\.word)).enumerated().map {
              .init(word: $1, x: Double(layout[2 * $0]), y: Double(layout[2 * $0 + 1]))
            }
          }
          return .init(
            word: word, neighbours: neighbours.map { ScoredWord(word: $0.word, score: $0.score) },
            projection: projection)
        })
    }
    return json(response)
  }

  func analogy(_ request: Request) async throws -> Response {
    let query = try await decode(AnalogyRequest.self, request)
    let file = try vectors(query.model, endpoint: "/v1/analogy")
    let top = try checkTop(query.top, default: 5)
    guard let method = KeyedVectors.AnalogyMethod(rawValue: query.method ?? "cosadd") else {
      throw APIError.unprocessable("must be cosadd or cosmul", field: "method")
    }
    for (word, field) in [(query.a, "a"), (query.b, "b"), (query.c, "c")] {
      try requireWord(word, in: file, field: field)
    }
    let response = try await compute(file) { file in
      AnalogyResponse(
        model: query.model,
        answers: try file.vectors.analogy(
          positive: [query.b, query.c], negative: [query.a], method: method, top: top
        )
        .map { ScoredWord(word: $0.word, score: $0.score) })
    }
    return json(response)
  }
}

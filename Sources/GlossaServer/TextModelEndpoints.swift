import Foundation
import GlossaModels
import Hummingbird

/// `POST /v1/classify`: `{"model": "sentiment", "texts": ["…"], "top": 2}` → each text's most
/// likely label and its probability, and the `top` most likely labels (all by default).
struct ClassifyRequest: Decodable, Sendable {
  var model: String
  var texts: [String]
  var top: Int?
}

struct ClassifyResponse: Encodable, Sendable {
  var model: String
  var predictions: [TextClassifier.Prediction]
}

/// `POST /v1/tag`: `{"model": "pos", "sentences": [["The", "old", "man"]]}` (or `"texts"`,
/// split at whitespace) → a tag per token.
struct TagRequest: Decodable, Sendable {
  var model: String
  var sentences: [[String]]?
  var texts: [String]?
}

struct TagResponse: Encodable, Sendable {
  var model: String
  var tokens: [[String]]
  var tags: [[String]]
}

/// `POST /v1/translate`: `{"model": "en-es", "texts": ["…"], "beam": 5}` → each text's
/// translation (beam 1: greedy), its tokens and its score.
struct TranslateRequest: Decodable, Sendable {
  var model: String
  var texts: [String]
  var beam: Int?
}

struct TranslateResponse: Encodable, Sendable {
  struct Translated: Encodable, Sendable {
    var text: String
    var tokens: [String]
    var logProbability: Double

    enum CodingKeys: String, CodingKey {
      case text, tokens
      case logProbability = "log_probability"
    }
  }
  var model: String
  var translations: [Translated]
}

extension GlossaServer {
  func classify(_ request: Request) async throws -> Response {
    let query = try await decode(ClassifyRequest.self, request)
    let classifier = try model(query.model, for: "/v1/classify") {
      if case .model(.classifier(let classifier)) = $0.content { classifier } else { nil }
    }
    try check(query.texts, field: "texts")
    if let top = query.top, top < 1 { throw APIError.unprocessable("must be positive", field: "top") }
    let response = try await compute(classifier) { classifier in
      let predictions = classifier.predict(query.texts).map { prediction in
        var kept = prediction
        kept.ranked = Array(prediction.ranked.prefix(query.top ?? prediction.ranked.count))
        return kept
      }
      return ClassifyResponse(model: query.model, predictions: predictions)
    }
    return json(response)
  }

  func tag(_ request: Request) async throws -> Response {
    let query = try await decode(TagRequest.self, request)
    let tagger = try model(query.model, for: "/v1/tag") {
      if case .model(.tagger(let tagger)) = $0.content { tagger } else { nil }
    }
    guard (query.sentences == nil) != (query.texts == nil) else {
      throw APIError.badRequest(
        "give either sentences or texts", field: query.texts == nil ? "texts" : "sentences")
    }
    let field = query.texts == nil ? "sentences" : "texts"
    let sentences =
      query.sentences ?? query.texts!.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
    try check(sentences.map { $0.joined(separator: " ") }, field: field)
    if let i = sentences.firstIndex(where: \.isEmpty) {
      throw APIError.unprocessable("a sentence without tokens", field: "\(field)[\(i)]")
    }
    let response = try await compute(tagger) { tagger in
      TagResponse(model: query.model, tokens: sentences, tags: tagger.tag(sentences))
    }
    return json(response)
  }

  func translate(_ request: Request) async throws -> Response {
    let query = try await decode(TranslateRequest.self, request)
    let translator = try model(query.model, for: "/v1/translate") {
      if case .model(.translator(let translator)) = $0.content { translator } else { nil }
    }
    try check(query.texts, field: "texts")
    let beam = query.beam ?? 5
    guard (1...64).contains(beam) else { throw APIError.unprocessable("must be from 1 to 64", field: "beam") }
    // A source the model cannot read (empty, or longer than its limit) is refused, naming the text.
    for (i, text) in query.texts.enumerated() {
      do {
        _ = try translator.translationSource(text)
      } catch {
        throw APIError.unprocessable("\(error)", field: "texts[\(i)]")
      }
    }
    var decoding = DecodingOptions()
    decoding.strategy = beam == 1 ? .greedy : .beam(size: beam)
    let options = decoding
    let response = try await compute(translator) { translator in
      TranslateResponse(
        model: query.model,
        translations: try translator.translate(query.texts, options: options).map {
          .init(text: $0.text, tokens: $0.tokens, logProbability: $0.logProbability)
        })
    }
    return json(response)
  }
}

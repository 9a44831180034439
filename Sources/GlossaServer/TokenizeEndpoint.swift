import Foundation
import GlossaText
import Hummingbird

/// `POST /v1/tokenize`: `{"model": "bpe", "texts": ["…"]}`, or `"pairs": [["…", "…"]]` for
/// pairs of texts, → each input's token ids, tokens, offsets (character ranges in its text,
/// end exclusive), type ids, attention mask, special-tokens mask and overflowing windows, as
/// the tokenizer's post-processing (special tokens unless `"add_special_tokens": false`,
/// truncation, padding) makes them.
struct TokenizeRequest: Decodable, Sendable {
  var model: String
  var texts: [String]?
  var pairs: [[String]]?
  var add_special_tokens: Bool?
}

extension GlossaServer {
  func tokenize(_ request: Request) async throws -> Response {
    let query = try await decode(TokenizeRequest.self, request)
    let tokenizer = try model(query.model, for: "/v1/tokenize", \.tokenizer)
    let (texts, pairs): ([String], [String]?)
    switch (query.texts, query.pairs) {
    case (let given?, nil):
      try check(given, field: "texts")
      (texts, pairs) = (given, nil)
    case (nil, let given?):
      for (i, pair) in given.enumerated() where pair.count != 2 {
        throw APIError.unprocessable("expected two texts, not \(pair.count)", field: "pairs[\(i)]")
      }
      (texts, pairs) = (given.map { $0[0] }, given.map { $0[1] })
      try check(texts, field: "pairs")
      try check(pairs!, field: "pairs")
    default: throw APIError.unprocessable("give either texts or pairs", field: "texts")
    }
    let adding = query.add_special_tokens ?? true
    let answer = try await compute(tokenizer) { tokenizer in
      do throws(BatchTruncationError) {
        let encodings = try tokenizer.encode(
          batch: texts, pairs: pairs, threads: 1, addingSpecialTokens: adding)
        return Self.tokenizeAnswer(model: query.model, encodings)
      } catch {
        let field = pairs == nil ? "texts[\(error.index)]" : "pairs[\(error.index)]"
        throw APIError.unprocessable("cannot be truncated: \(error.reason)", field: field)
      }
    }
    return json(bytes: answer)
  }

  /// `{"encodings":[{"attention_mask":…,"ids":…,"offsets":…,"overflowing":…,
  /// "special_tokens_mask":…,"tokens":…,"type_ids":…}],"model":…}`, keys sorted as in every
  /// answer.
  static func tokenizeAnswer(model: String, _ encodings: [Encoding]) -> [UInt8] {
    var writer = JSONWriter(capacity: 128 + encodings.reduce(0) { $0 + 56 * $1.ids.count })
    writer.raw("{\"encodings\":")
    writer.array(encodings) { $0.encoding($1) }
    writer.raw(",\"model\":")
    writer.string(model)
    writer.raw("}")
    return writer.bytes
  }
}

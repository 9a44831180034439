import Foundation
import GlossaText
import Hummingbird

/// `POST /v1/tokenize`: `{"model": "bpe", "texts": ["…"]}` → each text's token ids, tokens,
/// offsets (character ranges in the text, end exclusive), attention mask and special-tokens
/// mask, as the tokenizer's post-processing (special tokens, truncation, padding) makes them.
struct TokenizeRequest: Decodable, Sendable {
  var model: String
  var texts: [String]
}

extension GlossaServer {
  func tokenize(_ request: Request) async throws -> Response {
    let query = try await decode(TokenizeRequest.self, request)
    let tokenizer = try model(query.model, for: "/v1/tokenize", \.tokenizer)
    try check(query.texts, field: "texts")
    let answer = try await compute(tokenizer) { tokenizer in
      Self.tokenizeAnswer(model: query.model, tokenizer.encode(batch: query.texts, threads: 1))
    }
    return json(bytes: answer)
  }

  /// `{"encodings":[{"attention_mask":…,"ids":…,"offsets":…,"special_tokens_mask":…,
  /// "tokens":…}],"model":…}`, keys sorted as in every answer.
  static func tokenizeAnswer(model: String, _ encodings: [Encoding]) -> [UInt8] {
    var writer = JSONWriter(capacity: 128 + encodings.reduce(0) { $0 + 48 * $1.ids.count })
    writer.raw("{\"encodings\":")
    writer.array(encodings) { writer, encoding in
      writer.raw("{\"attention_mask\":")
      writer.array(encoding.attentionMask) { $0.int($1) }
      writer.raw(",\"ids\":")
      writer.array(encoding.ids) { $0.int($1) }
      writer.raw(",\"offsets\":")
      writer.array(encoding.offsets) { writer, range in
        writer.raw("[")
        writer.int(range.lowerBound)
        writer.raw(",")
        writer.int(range.upperBound)
        writer.raw("]")
      }
      writer.raw(",\"special_tokens_mask\":")
      writer.array(encoding.specialTokensMask) { $0.int($1) }
      writer.raw(",\"tokens\":")
      writer.array(encoding.tokens) { $0.string($1) }
      writer.raw("}")
    }
    writer.raw(",\"model\":")
    writer.string(model)
    writer.raw("}")
    return writer.bytes
  }
}

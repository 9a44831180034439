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

struct TokenizeResponse: Encodable, Sendable {
  struct Tokens: Encodable, Sendable {
    var ids: [Int]
    var tokens: [String]
    var offsets: [[Int]]
    var attentionMask: [Int]
    var specialTokensMask: [Int]

    enum CodingKeys: String, CodingKey {
      case ids, tokens, offsets
      case attentionMask = "attention_mask"
      case specialTokensMask = "special_tokens_mask"
    }
  }
  var model: String
  var encodings: [Tokens]
}

extension GlossaServer {
  func tokenize(_ request: Request) async throws -> Response {
    let query = try await decode(TokenizeRequest.self, request)
    let served = try model(query.model, for: "/v1/tokenize")
    try check(query.texts, field: "texts")
    let tokenizer = served.tokenizer!
    let response = try await compute(tokenizer) { tokenizer in
      TokenizeResponse(
        model: query.model,
        encodings: tokenizer.encode(batch: query.texts, threads: 1).map { encoding in
          TokenizeResponse.Tokens(
            ids: encoding.ids, tokens: encoding.tokens,
            offsets: encoding.offsets.map { [$0.lowerBound, $0.upperBound] },
            attentionMask: encoding.attentionMask, specialTokensMask: encoding.specialTokensMask)
        })
    }
    return json(response)
  }
}

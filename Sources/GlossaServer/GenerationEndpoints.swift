import Foundation
import GlossaModels
import GlossaText
import Hummingbird

/// `POST /v1/generate`: `{"model": "lm", "prompt": "the", "max_tokens": 50, "temperature": 0.8,
/// "top_k": 40, "top_p": 0.95, "repetition_penalty": 1.2, "stop": ["."], "suppress": ["<unk>"],
/// "seed": 7}` → the text
/// continuing the prompt, why it ended and the seed (a random one when none is given, so that
/// any answer can be asked for again). With `"stream": true` the answer is a stream of
/// server-sent events: `event: token` with `{"token": " word", "id": 12}` as each token comes,
/// then `event: done` with the whole answer.
struct GenerateRequest: Decodable, Sendable {
  var model: String
  var prompt: String
  var maxTokens: Int?
  var temperature: Float?
  var topK: Int?
  var topP: Double?
  var repetitionPenalty: Float?
  var stop: [String]?
  var suppress: [String]?
  var seed: UInt64?
  var stream: Bool?

  enum CodingKeys: String, CodingKey {
    case model, prompt, temperature, stop, suppress, seed, stream
    case maxTokens = "max_tokens"
    case topK = "top_k"
    case topP = "top_p"
    case repetitionPenalty = "repetition_penalty"
  }
}

struct GenerateResponse: Encodable, Sendable {
  var model: String
  var text: String
  var tokens: Int
  var finishReason: FinishReason
  var seed: UInt64

  enum CodingKeys: String, CodingKey {
    case model, text, tokens, seed
    case finishReason = "finish_reason"
  }
}

/// `POST /v1/next`: `{"model": "lm", "prompt": "the old", "top": 10}` → the most likely next
/// tokens and their probabilities.
struct NextRequest: Decodable, Sendable {
  var model: String
  var prompt: String
  var top: Int?
}

struct NextResponse: Encodable, Sendable {
  struct Candidate: Encodable, Sendable {
    var token: String
    var probability: Float
  }
  var model: String
  var tokens: [Candidate]
}

extension GlossaServer {
  /// The language model of a request (404 when `name` is none).
  func languageModel(_ name: String, for endpoint: String) throws -> LanguageModel {
    try model(name, for: endpoint) { if case .model(.languageModel(let lm)) = $0.content { lm } else { nil } }
  }

  /// The request's sampling settings, checked (422 naming the field).
  func sampling(_ query: GenerateRequest, model: LanguageModel) throws -> Sampling {
    var sampling = Sampling()
    // Tokens never drawn (the unknown token, say); an unknown or the whole vocabulary is refused.
    sampling.suppressedTokens = try (query.suppress ?? []).enumerated().map { i, token in
      guard let id = model.tokenizer.model.id(of: token) else {
        throw APIError.unprocessable("'\(token)' is not in the model's vocabulary", field: "suppress[\(i)]")
      }
      return id
    }
    guard Set(sampling.suppressedTokens).count < model.configuration.vocabularySize else {
      throw APIError.unprocessable("every token is suppressed", field: "suppress")
    }
    let limit = configuration.maximumGeneratedTokens
    sampling.maximumTokens = query.maxTokens ?? 50
    guard (1...limit).contains(sampling.maximumTokens) else {
      throw APIError.unprocessable("must be from 1 to the server's limit of \(limit)", field: "max_tokens")
    }
    sampling.temperature = query.temperature ?? 1
    guard sampling.temperature >= 0, sampling.temperature.isFinite else {
      throw APIError.unprocessable("must be a number ≥ 0", field: "temperature")
    }
    sampling.topK = query.topK
    if let k = query.topK, k < 1 { throw APIError.unprocessable("must be positive", field: "top_k") }
    sampling.topP = query.topP
    if let p = query.topP, !(p > 0 && p <= 1) {
      throw APIError.unprocessable("must be in (0, 1]", field: "top_p")
    }
    sampling.repetitionPenalty = query.repetitionPenalty ?? 1
    guard sampling.repetitionPenalty > 0, sampling.repetitionPenalty.isFinite else {
      throw APIError.unprocessable("must be a number > 0", field: "repetition_penalty")
    }
    sampling.stop = query.stop ?? []
    guard sampling.stop.count <= 16 else {
      throw APIError.unprocessable("at most 16 stop strings", field: "stop")
    }
    sampling.seed = query.seed ?? UInt64.random(in: 0...UInt64(1 << 53))
    return sampling
  }

  func generate(_ request: Request) async throws -> Response {
    let query = try await decode(GenerateRequest.self, request)
    let model = try languageModel(query.model, for: "/v1/generate")
    try check([query.prompt], field: "prompt")
    let sampling = try sampling(query, model: model)
    let events = schedulers[query.model]!.generate(prompt: query.prompt, sampling: sampling)
    let done: @Sendable (String, Int, FinishReason) -> GenerateResponse = {
      (text: String, tokens: Int, finish: FinishReason) in
      GenerateResponse(
        model: query.model, text: text, tokens: tokens, finishReason: finish, seed: sampling.seed)
    }
    guard query.stream == true else {
      var last: GenerationBatch.Event?
      var count = 0
      for await event in events {
        last = event
        count += 1
      }
      guard let last, let finish = last.finish else {
        throw APIError(.serviceUnavailable, "the server is shutting down")
      }
      return json(done(last.text, count, finish))
    }
    // Server-sent events: each token as the batch makes it. When the client goes, writing
    // fails, the loop ends, and ending the stream takes the generation out of the batch.
    let body = ResponseBody { writer in
      var count = 0
      for await event in events {
        count += 1
        try await writer.write(Self.tokenEvent(event))
        if let finish = event.finish {
          try await writer.write(Self.serverSentEvent("done", done(event.text, count, finish)))
        }
      }
      try await writer.finish(nil)
    }
    return Response(
      status: .ok,
      headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"], body: body)
  }

  /// The event of one token, `event: token` and `{"id":12,"token":" word"}`, written directly
  /// (one per token per stream: the encoder's cost showed in the profile).
  static func tokenEvent(_ event: GenerationBatch.Event) -> ByteBuffer {
    var writer = JSONWriter(capacity: 64)
    writer.raw("event: token\ndata: {\"id\":")
    writer.int(event.id)
    writer.raw(",\"token\":")
    writer.string(event.piece)
    writer.raw("}\n\n")
    return ByteBuffer(bytes: writer.bytes)
  }

  /// One server-sent event: `event: NAME` and a line of JSON.
  static func serverSentEvent(_ name: String, _ value: some Encodable) -> ByteBuffer {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    let json = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    return ByteBuffer(string: "event: \(name)\ndata: \(json)\n\n")
  }

  func next(_ request: Request) async throws -> Response {
    let query = try await decode(NextRequest.self, request)
    let model = try languageModel(query.model, for: "/v1/next")
    try check([query.prompt], field: "prompt")
    let top = query.top ?? 10
    guard (1...1000).contains(top) else {
      throw APIError.unprocessable("must be from 1 to 1000", field: "top")
    }
    let response = try await compute(model) { model in
      NextResponse(
        model: query.model,
        tokens: model.nextTokens(after: query.prompt, top: top).map {
          .init(token: $0.token, probability: $0.probability)
        })
    }
    return json(response)
  }
}

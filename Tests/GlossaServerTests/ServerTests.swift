import Foundation
import GlossaAudio
import GlossaData
import GlossaEmbeddings
import GlossaModels
import GlossaServer
import GlossaText
import NIOCore
import NIOHTTP1
import Testing

/// The server on a loopback port: every endpoint, every error status, the token, the body
/// limit, streaming and a client leaving mid-stream.
@Suite(.serialized) struct ServerTests {
  let models = try! ServedModels(folder: ServedFixtures.folder)

  @Test func theFolderIsServedByNameAndTheHealthCheckAnswers() async throws {
    try await withServer { base, client, _ in
      #expect(try await client.call(.GET, base + "/health").json["status"] as? String == "ok")
      let listed = try await client.call(.GET, base + "/v1/models").json["models"] as? [[String: Any]] ?? []
      let kinds = Dictionary(
        uniqueKeysWithValues: listed.map { ($0["name"] as! String, $0["kind"] as! String) })
      #expect(
        kinds == [
          "words": "tokenizer", "lm": "language-model", "sentiment": "classifier", "pos": "tagger",
          "en-es": "translator", "stocks": "forecaster", "tones": "speech", "toy": "vectors",
        ])
    }
  }

  @Test func twoEntriesOfOneNameOrAnUnreadableFileAreRefusedWithThePath() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-names-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
      at: ServedFixtures.folder.appendingPathComponent("toy.vec"),
      to: folder.appendingPathComponent("toy.vec"))
    #expect(try ServedModels(folder: folder).names == ["toy"])
    try FileManager.default.copyItem(
      at: ServedFixtures.folder.appendingPathComponent("words.tokenizer.json"),
      to: folder.appendingPathComponent("toy.tokenizer.json"))
    #expect {
      try ServedModels(folder: folder)
    } throws: { error in
      "\(error)".contains("toy.vec") && "\(error)".contains("already that of")
    }
  }

  @Test func tokenizeGivesWhatTheTokenizerGives() async throws {
    guard case .tokenizer(let tokenizer) = models["words"]!.content else {
      Issue.record("no tokenizer"); return
    }
    try await withServer { base, client, _ in
      let texts = ["The cat sat on the mat.", "a wonderful film"]
      let answer = try await client.call(
        .POST, base + "/v1/tokenize", json: jsonText(["model": "words", "texts": texts]))
      #expect(answer.status == 200)
      let encodings = answer.json["encodings"] as? [[String: Any]] ?? []
      #expect(encodings.count == 2)
      for (encoding, text) in zip(encodings, texts) {
        let expected = tokenizer.encode(text)
        #expect(encoding["ids"] as? [Int] == expected.ids)
        #expect(encoding["tokens"] as? [String] == expected.tokens)
        #expect(encoding["offsets"] as? [[Int]] == expected.offsets.map { [$0.lowerBound, $0.upperBound] })
        #expect(encoding["attention_mask"] as? [Int] == expected.attentionMask)
      }
      // A text model's tokenizer answers too.
      let viaModel = try await client.call(
        .POST, base + "/v1/tokenize", json: jsonText(["model": "lm", "texts": texts]))
      #expect(
        (viaModel.json["encodings"] as? [[String: Any]])?.first?["ids"] as? [Int]
          == tokenizer.encode(texts[0]).ids)
    }
  }

  @Test func pairsGetTheirTypeIDsAndBadOnesA422() async throws {
    guard case .tokenizer(let tokenizer) = models["words"]!.content else {
      Issue.record("no tokenizer"); return
    }
    try await withServer { base, client, _ in
      let pairs = [["The cat sat.", "On the mat"], ["a film", ""]]
      let answer = try await client.call(
        .POST, base + "/v1/tokenize", json: jsonText(["model": "words", "pairs": pairs]))
      #expect(answer.status == 200)
      let encodings = answer.json["encodings"] as? [[String: Any]] ?? []
      #expect(encodings.count == 2)
      for (encoding, pair) in zip(encodings, pairs) {
        let expected = try tokenizer.encode(pair[0], pair: pair[1])
        #expect(encoding["ids"] as? [Int] == expected.ids)
        #expect(encoding["type_ids"] as? [Int] == expected.typeIDs)
        #expect(encoding["offsets"] as? [[Int]] == expected.offsets.map { [$0.lowerBound, $0.upperBound] })
      }
      #expect(encodings[0]["type_ids"] as? [Int] == [0, 0, 0, 0, 1, 1, 1])
      for (body, field) in [
        (["model": "words"] as [String: Any], "texts"),
        (["model": "words", "texts": ["a"], "pairs": [["a", "b"]]], "texts"),
        (["model": "words", "pairs": [["a", "b"], ["a", "b", "c"]]], "pairs[1]"),
      ] {
        let answer = try await client.call(.POST, base + "/v1/tokenize", json: jsonText(body))
        #expect(answer.status == 422 && answer.error?.field == field, "\(body): \(answer.text)")
      }
    }
  }

  @Test func malformedRequestsGet400NamingTheField() async throws {
    try await withServer { base, client, _ in
      let url = base + "/v1/tokenize"
      let cases: [(String, String?)] = [
        ("{\"model\": \"words\", \"texts\": [\"a\", 3]}", "texts[1]"),
        ("{\"model\": 7, \"texts\": []}", "model"),
        ("{\"model\": \"words\", \"texts\": [\"a\"", nil),
        ("not json", nil),
      ]
      for (body, field) in cases {
        let answer = try await client.call(.POST, url, json: body)
        #expect(answer.status == 400, "\(body)")
        #expect(answer.error?.status == 400 && answer.error?.field == field, "\(body): \(answer.text)")
      }
    }
  }

  @Test func eachErrorStatusAnswersTheErrorObject() async throws {
    var settings = ServerConfiguration()
    (settings.maximumBodyBytes, settings.maximumItems, settings.maximumTextLength) = (4096, 3, 100)
    try await withServer(settings) { base, client, _ in
      func expectError(_ answer: Answer, _ status: Int, field: String?, _ note: String) {
        #expect(answer.status == status, "\(note): \(answer.status) \(answer.text)")
        #expect(answer.error?.status == status && answer.error?.field == field, "\(note): \(answer.text)")
      }
      expectError(
        try await client.call(
          .POST, base + "/v1/tokenize", json: jsonText(["model": "nope", "texts": ["a"]])), 404,
        field: "model", "unknown model")
      expectError(
        try await client.call(.POST, base + "/v1/classify", json: jsonText(["model": "lm", "texts": ["a"]])),
        404,
        field: "model", "a model of another kind")
      expectError(try await client.call(.GET, base + "/v2/nothing"), 404, field: nil, "unknown path")
      expectError(
        try await client.call(
          .POST, base + "/v1/tokenize", json: jsonText(["model": "words", "texts": [] as [String]])),
        422, field: "texts", "empty list")
      expectError(
        try await client.call(
          .POST, base + "/v1/tokenize", json: jsonText(["model": "words", "texts": ["a", "b", "c", "d"]])),
        422, field: "texts", "too many texts")
      expectError(
        try await client.call(
          .POST, base + "/v1/tokenize",
          json: jsonText(["model": "words", "texts": ["a", String(repeating: "b", count: 101)]])),
        422, field: "texts[1]", "too long a text")
      // The limit counts characters, not bytes: 60 two-byte characters pass.
      let accented = try await client.call(
        .POST, base + "/v1/tokenize",
        json: jsonText(["model": "words", "texts": [String(repeating: "é", count: 60)]]))
      #expect(accented.status == 200, "\(accented.text)")
      let big = jsonText(["model": "words", "texts": [String(repeating: "a ", count: 3000)]])
      expectError(
        try await client.call(.POST, base + "/v1/tokenize", json: big), 413, field: nil, "body over the limit"
      )
      expectError(
        try await client.call(
          .POST, base + "/v1/generate",
          json: jsonText(["model": "lm", "prompt": "the", "max_tokens": 100_000])),
        422, field: "max_tokens", "too many tokens")
      expectError(
        try await client.call(
          .POST, base + "/v1/generate", json: jsonText(["model": "lm", "prompt": "the", "top_p": 1.5])),
        422, field: "top_p", "top_p out of range")
      // The server is still up after all of them.
      #expect(try await client.call(.GET, base + "/health").status == 200)
    }
  }

  @Test func theTokenGuardsEverythingButHealthThePageAndTheDocument() async throws {
    var settings = ServerConfiguration()
    settings.token = "s3cret-token"
    try await withServer(settings) { base, client, _ in
      let body = jsonText(["model": "words", "texts": ["the cat"]])
      let missing = try await client.call(.POST, base + "/v1/tokenize", json: body)
      #expect(missing.status == 401 && missing.error?.field == "Authorization")
      #expect(missing.headers.contains { $0.0.lowercased() == "www-authenticate" && $0.1 == "Bearer" })
      let wrong = try await client.call(
        .POST, base + "/v1/tokenize", json: body, headers: [("Authorization", "Bearer s3cret-tokem")])
      #expect(wrong.status == 401)
      let right = try await client.call(
        .POST, base + "/v1/tokenize", json: body, headers: [("Authorization", "Bearer s3cret-token")])
      #expect(right.status == 200)
      #expect(try await client.call(.GET, base + "/metrics").status == 401)
      for open in ["/health", "/", "/openapi.json"] {
        #expect(try await client.call(.GET, base + open).status == 200, "\(open)")
      }
    }
  }

  @Test func vectorsAnswerNeighboursAnalogiesAndProjections() async throws {
    guard case .vectors(let file) = models["toy"]!.content else { Issue.record("no vectors"); return }
    try await withServer { base, client, _ in
      let embeddings = try await client.call(
        .POST, base + "/v1/embeddings", json: jsonText(["model": "toy", "words": ["king", "unseen"]]))
      let vectors = embeddings.json["vectors"] as? [Any] ?? []
      #expect((vectors.first as? [Double])?.map { Float($0) } == [1, 0, 1, 0])
      #expect(vectors.count == 2 && vectors[1] is NSNull)
      let texts = try await client.call(
        .POST, base + "/v1/embeddings", json: jsonText(["model": "toy", "texts": ["Man and woman"]]))
      #expect(((texts.json["vectors"] as? [Any])?.first as? [Double]) == [1, 0.5, 0, 0])

      let similar = try await client.call(
        .POST, base + "/v1/similar",
        json: jsonText(["model": "toy", "words": ["king"], "top": 3, "projection": true]))
      let result = (similar.json["results"] as? [[String: Any]])?.first ?? [:]
      let neighbours = (result["neighbours"] as? [[String: Any]] ?? []).map { $0["word"] as! String }
      #expect(neighbours == (try file.mostSimilar("king", top: 3)).map(\.word))
      #expect((result["projection"] as? [[String: Any]])?.count == 4)

      let analogy = try await client.call(
        .POST, base + "/v1/analogy", json: jsonText(["model": "toy", "a": "man", "b": "king", "c": "woman"]))
      #expect(((analogy.json["answers"] as? [[String: Any]])?.first?["word"] as? String) == "queen")
      let unknown = try await client.call(
        .POST, base + "/v1/similar", json: jsonText(["model": "toy", "words": ["king", "dragon"]]))
      #expect(unknown.status == 422 && unknown.error?.field == "words[1]")
    }
  }

  @Test func classifyTagTranslateForecastAndTranscribe() async throws {
    guard case .model(.classifier(let classifier)) = models["sentiment"]!.content,
      case .model(.tagger(let tagger)) = models["pos"]!.content,
      case .model(.forecaster(let forecaster)) = models["stocks"]!.content
    else { Issue.record("missing models"); return }
    try await withServer { base, client, _ in
      let texts = ["a wonderful film", "a dull one"]
      let classified = try await client.call(
        .POST, base + "/v1/classify", json: jsonText(["model": "sentiment", "texts": texts, "top": 1]))
      let predictions = classified.json["predictions"] as? [[String: Any]] ?? []
      let expected = classifier.predict(texts)
      #expect(predictions.map { $0["label"] as? String } == expected.map(\.label))
      #expect(
        zip(predictions, expected).allSatisfy {
          abs(($0["probability"] as! Double) - Double($1.probability)) < 1e-6
        })
      #expect(predictions.allSatisfy { ($0["ranked"] as? [Any])?.count == 1 })

      let tagged = try await client.call(
        .POST, base + "/v1/tag", json: jsonText(["model": "pos", "texts": ["the old man"]]))
      #expect(tagged.json["tags"] as? [[String]] == tagger.tag([["the", "old", "man"]]))
      let both = try await client.call(
        .POST, base + "/v1/tag", json: jsonText(["model": "pos", "texts": ["a"], "sentences": [["a"]]]))
      #expect(both.status == 400)

      let translated = try await client.call(
        .POST, base + "/v1/translate",
        json: jsonText(["model": "en-es", "texts": ["the cat", "the king"], "beam": 2]))
      #expect(
        translated.status == 200 && (translated.json["translations"] as? [Any])?.count == 2,
        "\(translated.text)")
      let tooLong = try await client.call(
        .POST, base + "/v1/translate",
        json: jsonText([
          "model": "en-es", "texts": ["the cat", Array(repeating: "the", count: 40).joined(separator: " ")],
        ]))
      #expect(tooLong.status == 422 && tooLong.error?.field == "texts[1]", "\(tooLong.text)")
      // Found by fuzzing: an empty text was a 500.
      let empty = try await client.call(
        .POST, base + "/v1/translate", json: jsonText(["model": "en-es", "texts": ["the cat", ""]]))
      #expect(empty.status == 422 && empty.error?.field == "texts[1]", "\(empty.text)")

      let rows = (0..<8).map { [100 + Double($0), 1000 + 10 * Double($0)] }
      let forecast = try await client.call(
        .POST, base + "/v1/forecast", json: jsonText(["model": "stocks", "rows": rows, "all": true]))
      let series = TimeSeries(
        dates: rows.indices.map(String.init), columns: ["Close", "Volume"], values: rows)
      #expect(forecast.json["ends"] as? [Int] == [4, 5, 6, 7])
      let forecasts = forecaster.forecast(series, ends: [4, 5, 6, 7])
      let answered = forecast.json["forecasts"] as? [Double] ?? []
      #expect(answered.count == 4 && zip(answered, forecasts).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) })
      let short = try await client.call(
        .POST, base + "/v1/forecast", json: jsonText(["model": "stocks", "rows": Array(rows.prefix(3))]))
      #expect(short.status == 422 && short.error?.field == "rows")
      let ragged = try await client.call(
        .POST, base + "/v1/forecast",
        json: jsonText(["model": "stocks", "rows": Array(rows.prefix(6)) + [[1.0]]]))
      #expect(ragged.status == 422 && ragged.error?.field == "rows[6]")

      let heard = try await client.call(
        .POST, base + "/v1/transcribe?model=tones&beam=2", body: ServedFixtures.wav("ab cd"))
      #expect(
        heard.status == 200 && heard.json["text"] is String && (heard.json["duration"] as? Double ?? 0) > 0,
        "\(heard.text)")
      let notWAV = try await client.call(
        .POST, base + "/v1/transcribe?model=tones", body: Data("RIFF....".utf8))
      #expect(notWAV.status == 422 && notWAV.error?.field == "body", "\(notWAV.text)")
      // 601 samples a second apart: a small body, ten minutes of audio once resampled.
      let long = try await client.call(
        .POST, base + "/v1/transcribe?model=tones",
        body: WAV.encode(AudioClip(channels: [[Float](repeating: 0.1, count: 601)], sampleRate: 1)))
      #expect(
        long.status == 422 && long.error?.field == "body"
          && long.error?.message.contains("over the server's limit of 600.0 s") == true, "\(long.text)")
    }
  }

  /// With room for every stream, and with room for 3 of the 8 (the rest wait and join as
  /// streams finish).
  @Test(arguments: [64, 3])
  func generationMatchesTheModelAloneEvenWhenBatched(maximumStreams: Int) async throws {
    guard case .model(.languageModel(let model)) = models["lm"]!.content else {
      Issue.record("no lm"); return
    }
    var configuration = ServerConfiguration()
    configuration.maximumStreams = maximumStreams
    try await withServer(configuration) { base, client, _ in
      // Eight requests at once share the batch; each text is the one its seed gives alone.
      let answers = try await withThrowingTaskGroup(of: (UInt64, Answer).self) { group in
        for seed in UInt64(1)...8 {
          let body = jsonText([
            "model": "lm", "prompt": "the king", "max_tokens": 12 + Int(seed), "seed": Int(seed), "top_k": 5,
          ])
          group.addTask { (seed, try await client.call(.POST, base + "/v1/generate", json: body)) }
        }
        return try await group.reduce(into: [UInt64: [String: Any]]()) { $0[$1.0] = $1.1.json }
      }
      for seed in UInt64(1)...8 {
        var sampling = Sampling()
        (sampling.seed, sampling.topK, sampling.maximumTokens) = (seed, 5, 12 + Int(seed))
        let alone = model.generate(from: "the king", sampling: sampling)
        #expect(answers[seed]?["text"] as? String == alone.text, "seed \(seed)")
        #expect(
          answers[seed]?["finish_reason"] as? String == "length"
            && answers[seed]?["tokens"] as? Int == 12 + Int(seed))
      }
      let stopped = try await client.call(
        .POST, base + "/v1/generate",
        json: jsonText(["model": "lm", "prompt": "", "stop": ["the"], "max_tokens": 500, "seed": 3]))
      #expect(
        stopped.json["finish_reason"] as? String == "stop"
          && (stopped.json["text"] as? String)?.hasSuffix("the") == true)
      let suppressed = try await client.call(
        .POST, base + "/v1/generate",
        json: jsonText([
          "model": "lm", "prompt": "the", "suppress": ["<unk>", "the"], "max_tokens": 200, "seed": 4,
        ]))
      let words = ((suppressed.json["text"] as? String) ?? "the").split(whereSeparator: \.isWhitespace)
      #expect(
        suppressed.status == 200 && words.count > 100 && !words.contains("the") && !words.contains("<unk>"))
      let unknownToken = try await client.call(
        .POST, base + "/v1/generate",
        json: jsonText(["model": "lm", "prompt": "the", "suppress": ["the", "zebra"]]))
      #expect(unknownToken.status == 422 && unknownToken.error?.field == "suppress[1]")
      let next = try await client.call(
        .POST, base + "/v1/next", json: jsonText(["model": "lm", "prompt": "the", "top": 4]))
      #expect(
        (next.json["tokens"] as? [[String: Any]])?.map { $0["token"] as? String }
          == model.nextTokens(after: "the", top: 4).map(\.token))
    }
  }

  @Test func streamedTokensArriveBeforeTheGenerationEnds() async throws {
    try await withServer { base, client, _ in
      var chunks: [String] = []
      let head = try await client.stream(
        .POST, base + "/v1/generate",
        json: jsonText(["model": "lm", "prompt": "the", "max_tokens": 2000, "seed": 1, "stream": true])
      ) { piece in
        chunks.append(String(buffer: piece))
        return true
      }
      #expect(head.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
      #expect(chunks.count > 1)
      #expect(
        chunks.first?.contains("event: token") == true && chunks.first?.contains("event: done") == false)
      let all = chunks.joined()
      let tokens = all.components(separatedBy: "\n\n").filter { $0.hasPrefix("event: token") }.compactMap {
        event in
        (try? JSONSerialization.jsonObject(with: Data(event.dropFirst("event: token\ndata: ".count).utf8)))
          as? [String: Any]
      }
      let done = all.components(separatedBy: "\n\n").first { $0.hasPrefix("event: done") }
      let final = done.flatMap {
        (try? JSONSerialization.jsonObject(with: Data($0.dropFirst("event: done\ndata: ".count).utf8)))
          as? [String: Any]
      }
      #expect(tokens.count == 2000)
      #expect(tokens.map { $0["token"] as! String }.joined() == final?["text"] as? String)
    }
  }

  @Test func aClientThatLeavesMidStreamStopsItsGeneration() async throws {
    // A limit the test model cannot reach in the time a disconnect takes to be seen: it makes
    // thousands of tokens a second, faster than the server writes them.
    var configuration = ServerConfiguration()
    configuration.maximumGeneratedTokens = 1_000_000
    try await withServer(configuration) { base, client, _ in
      let generated = {
        let metrics = try await client.call(.GET, base + "/metrics").text
        let line = metrics.split(separator: "\n").first {
          $0.hasPrefix("glossa_generated_tokens_total{model=\"lm\"}")
        }
        return Int(line?.split(separator: " ").last ?? "0") ?? 0
      }
      let reader = Task {
        // The first tokens, then the client goes.
        try await client.stream(
          .POST, base + "/v1/generate",
          json: jsonText(["model": "lm", "prompt": "the", "max_tokens": 1_000_000, "seed": 2, "stream": true])
        ) { _ in false }
      }
      _ = try await reader.value
      try await Task.sleep(for: .milliseconds(300))
      let first = try await generated()
      try await Task.sleep(for: .milliseconds(500))
      let second = try await generated()
      #expect(first == second, "the generation went on: \(first) → \(second) tokens")
      #expect(first < 1_000_000, "the generation ran to its end: \(first) tokens")
    }
  }

  @Test func metricsCountRequestsByEndpointAndStatus() async throws {
    try await withServer { base, client, _ in
      _ = try await client.call(
        .POST, base + "/v1/tokenize", json: jsonText(["model": "words", "texts": ["a"]]))
      _ = try await client.call(
        .POST, base + "/v1/tokenize", json: jsonText(["model": "nope", "texts": ["a"]]))
      let metrics = try await client.call(.GET, base + "/metrics").text
      #expect(
        metrics.contains("glossa_http_requests_total{endpoint=\"/v1/tokenize\",status=\"200\"} 1"),
        "\(metrics)")
      #expect(metrics.contains("glossa_http_requests_total{endpoint=\"/v1/tokenize\",status=\"404\"} 1"))
      #expect(metrics.contains("glossa_http_request_duration_seconds_bucket{endpoint=\"/v1/tokenize\""))
    }
  }

  /// The OpenAPI document in the repository is the one served, and it describes every
  /// endpoint the server answers and every model kind's endpoints, with the error object.
  @Test func theOpenAPIDocumentDescribesEveryEndpoint() async throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let file = try Data(
      contentsOf: repository.appendingPathComponent("Sources/GlossaServer/Public/openapi.json"))
    let document = try JSONSerialization.jsonObject(with: file) as! [String: Any]
    let paths = document["paths"] as! [String: [String: Any]]
    let served = Set(models.names.flatMap { models[$0]!.endpoints })
    #expect(served.isSubset(of: Set(paths.keys)), "\(served.subtracting(paths.keys))")
    try await withServer { base, client, _ in
      #expect(try await client.call(.GET, base + "/openapi.json").body == file)
      for (path, operations) in paths {
        for method in operations.keys {
          let answer = try await client.call(
            method == "get" ? .GET : .POST, base + path, json: method == "post" ? "{}" : nil)
          // Each documented endpoint exists: no router 404, and each error is documented with the error object.
          #expect(answer.error?.message.hasPrefix("no such endpoint") != true, "\(method) \(path)")
          if answer.status >= 400 {
            let responses = (operations[method] as? [String: Any])?["responses"] as? [String: Any] ?? [:]
            #expect(
              responses[String(answer.status)] != nil,
              "\(method) \(path) answered \(answer.status), undocumented")
            #expect(answer.error != nil, "\(method) \(path): \(answer.text)")
          }
        }
      }
    }
  }

  @Test func aBatchStreamEqualsTheStreamAlone() throws {
    guard case .model(.languageModel(let model)) = models["lm"]!.content else {
      Issue.record("no lm"); return
    }
    var sampling = Sampling()
    (sampling.topK, sampling.maximumTokens) = (4, 6)
    let batch = GenerationBatch(model: model)
    var texts: [Int: String] = [:]
    var pieces: [Int: String] = [:]
    var samplings: [Int: Sampling] = [:]
    // The pieces make the text, which comes whole with the last event only.
    let read = { (events: [GenerationBatch.Event]) in
      for event in events {
        pieces[event.stream, default: ""] += event.piece
        if event.finish != nil {
          texts[event.stream] = event.text
          #expect(event.text == pieces[event.stream])
        } else {
          #expect(event.text.isEmpty)
        }
      }
    }
    // Streams join at different steps and one leaves early.
    for (k, prompt) in ["the cat", "a", "she was happy"].enumerated() {
      sampling.seed = UInt64(k)
      samplings[batch.add(prompt: prompt, sampling: sampling)] = sampling
      read(batch.step())
    }
    let leaving = batch.add(prompt: "the king", sampling: sampling)
    read(batch.step())
    batch.remove(leaving)
    while batch.count > 0 { read(batch.step()) }
    #expect(texts.count == 3 && texts[leaving] == nil)
    for (number, prompt) in ["the cat", "a", "she was happy"].enumerated() {
      #expect(texts[number] == model.generate(from: prompt, sampling: samplings[number]!).text, "\(prompt)")
    }
  }

  /// A step of many streams shared among threads (the output layer's product and the draws)
  /// gives each stream the tokens it gets on one thread.
  @Test func aBatchOnSeveralThreadsMakesTheSameTokens() throws {
    guard case .model(.languageModel(let model)) = models["lm"]!.content else {
      Issue.record("no lm"); return
    }
    var events: [[GenerationBatch.Event]] = []
    for threads in [1, 2, 3] {
      let batch = GenerationBatch(model: model, threads: threads)
      var sampling = Sampling()
      (sampling.topK, sampling.maximumTokens) = (5, 12)
      for k in 0..<11 {
        sampling.seed = UInt64(k)
        sampling.temperature = k % 3 == 0 ? 0 : 1
        batch.add(prompt: k % 2 == 0 ? "the cat" : "she was", sampling: sampling)
      }
      var all: [GenerationBatch.Event] = []
      while batch.count > 0 { all += batch.step() }
      events.append(all)
    }
    #expect(events[0].count == 11 * 12)
    #expect(events[1] == events[0] && events[2] == events[0])
  }
}

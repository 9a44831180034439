import Foundation
import GlossaAudio
import GlossaData
import GlossaModels
import Hummingbird

/// `POST /v1/transcribe?model=digits&beam=8&mix_down=true` with a WAV file as the body → the
/// transcript and each word's start and end in seconds.
struct TranscribeResponse: Encodable, Sendable {
  var model: String
  var text: String
  var words: [Transcript.Word]
  var duration: Double
}

/// `POST /v1/forecast`: `{"model": "aapl", "rows": [[…], …]}`, a row per time step with the
/// model's features in its order (oldest first) → the forecast for the window ending at the
/// last row, or with `"all": true` for every window, in the target's units (a value, a return
/// or the probability of a rise).
struct ForecastRequest: Decodable, Sendable {
  var model: String
  var rows: [[Double]]
  var all: Bool?
}

struct ForecastResponse: Encodable, Sendable {
  var model: String
  var features: [String]
  var target: String
  var predict: String
  var horizon: Int
  /// The row each window ends at, and its forecast.
  var ends: [Int]
  var forecasts: [Double]
}

extension GlossaServer {
  func transcribe(_ request: Request) async throws -> Response {
    let parameters = request.uri.queryParameters
    let name = parameters["model"].map(String.init) ?? ""
    let recognizer = try model(name, for: "/v1/transcribe") {
      if case .model(.speech(let recognizer)) = $0.content { recognizer } else { nil }
    }
    let beam = try parameters["beam"].map { text -> Int in
      guard let beam = Int(text), (1...64).contains(beam) else {
        throw APIError.unprocessable("must be an integer from 1 to 64", field: "beam")
      }
      return beam
    }
    let mixDown = parameters["mix_down"].map { $0 == "true" || $0 == "1" } ?? false
    let data = Data(try await body(request).readableBytesView)
    let clip: AudioClip
    do {
      clip = try WAV.decode(data, file: "the body")
    } catch {
      throw APIError(.unprocessableContent, "not a WAV file Glossa reads: \(error)", field: "body")
    }
    let limit = configuration.maximumAudioSeconds
    guard clip.duration <= limit else {
      throw APIError.unprocessable(
        "the audio lasts \(clip.duration) s, over the server's limit of \(limit) s", field: "body")
    }
    let response = try await compute(recognizer) { recognizer in
      let features: [[Float]]
      do {
        features = try recognizer.features(clip, mixDown: mixDown, file: "the body")
      } catch {
        throw APIError(.unprocessableContent, "\(error)", field: "body")
      }
      let transcript = recognizer.transcribe(features: [features], beam: beam ?? 1)[0]
      return TranscribeResponse(
        model: name, text: transcript.text, words: transcript.words, duration: clip.duration)
    }
    return json(response)
  }

  func forecast(_ request: Request) async throws -> Response {
    let query = try await decode(ForecastRequest.self, request)
    let forecaster = try model(query.model, for: "/v1/forecast") {
      if case .model(.forecaster(let forecaster)) = $0.content { forecaster } else { nil }
    }
    let c = forecaster.configuration
    guard query.rows.count >= c.window else {
      throw APIError.unprocessable(
        "\(query.rows.count) rows; the model reads windows of \(c.window)", field: "rows")
    }
    guard query.rows.count <= configuration.maximumItems * 16 else {
      throw APIError.unprocessable(
        "more rows than the server's limit of \(configuration.maximumItems * 16)", field: "rows")
    }
    for (i, row) in query.rows.enumerated() {
      guard row.count == c.features.count else {
        throw APIError.unprocessable(
          "\(row.count) values; the model reads \(c.features.count) (\(c.features.joined(separator: ", ")))",
          field: "rows[\(i)]")
      }
      if let j = row.firstIndex(where: { !$0.isFinite }) {
        throw APIError.unprocessable("\(row[j]) is not a finite value", field: "rows[\(i)][\(j)]")
      }
    }
    let series = TimeSeries(
      dates: query.rows.indices.map(String.init), columns: c.features, values: query.rows)
    let ends = query.all == true ? Array((c.window - 1)..<query.rows.count) : [query.rows.count - 1]
    let response = try await compute(forecaster) { forecaster in
      ForecastResponse(
        model: query.model, features: c.features, target: c.target, predict: c.predict.rawValue,
        horizon: c.horizon,
        ends: ends, forecasts: forecaster.forecast(series, ends: ends))
    }
    return json(response)
  }
}

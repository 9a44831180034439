import Foundation

// Each component writes its own object in a tokenizer.json (its `json`, beside its reader in
// its own file); here, the settings and the whole file.

/// A `Sequence` of components, their objects under `key`; nil when one of them has no form.
func sequenceJSON(_ key: String, _ parts: [[String: Any]?]) -> [String: Any]? {
  parts.contains { $0 == nil } ? nil : ["type": "Sequence", key: parts.map { $0! }]
}

extension Truncation {
  /// Its object in a tokenizer.json.
  var json: [String: Any] {
    [
      "direction": side.rawValue, "max_length": maximumLength, "strategy": strategy.rawValue,
      "stride": stride,
    ]
  }
}

extension Padding {
  /// Its object in a tokenizer.json.
  var json: [String: Any] {
    let strategy: Any =
      switch length {
      case .longest: "BatchLongest"
      case .fixed(let n): ["Fixed": n]
      }
    return [
      "strategy": strategy, "direction": side.rawValue,
      "pad_to_multiple_of": multiple.map { $0 as Any } ?? NSNull(),
      "pad_id": id, "pad_type_id": typeID, "pad_token": token,
    ]
  }
}

extension Tokenizer {
  /// The tokenizer.json object of this tokenizer: its added tokens, every stage, truncation
  /// and padding, as HuggingFace writes them. Throws, naming the stage, for a component
  /// HuggingFace has no form of (``CollapseWhitespace``) or a model that cannot be written.
  public func jsonObject() throws -> [String: Any] {
    func stage(_ json: [String: Any]??, _ path: String, _ component: Any?) throws -> Any {
      guard let json else { return NSNull() }
      guard let json else {
        throw TokenizerFileError(
          file: "", path: path, reason: "\(type(of: component!)) has no tokenizer.json form")
      }
      return json
    }
    let added: [[String: Any]] = addedTokens.sorted { $0.id < $1.id }.map { token, id in
      [
        "id": id, "content": token.content, "single_word": token.singleWord, "lstrip": token.stripsLeft,
        "rstrip": token.stripsRight, "normalized": token.isNormalized, "special": token.isSpecial,
      ]
    }
    return [
      "version": "1.0", "truncation": truncation?.json ?? NSNull(), "padding": padding?.json ?? NSNull(),
      "added_tokens": added, "normalizer": try stage(normalizer.map(\.json), "normalizer", normalizer),
      "pre_tokenizer": try stage(preTokenizer.map(\.json), "pre_tokenizer", preTokenizer),
      "post_processor": postProcessor?.json ?? NSNull(), "model": try TokenizerFile.json(for: model),
      "decoder": decoder is SpaceJoinDecoder ? NSNull() : try stage(.some(decoder.json), "decoder", decoder),
    ]
  }

  /// Writes the tokenizer as a tokenizer.json at `url`, through a temporary file and a rename;
  /// keys sorted, the vocabulary in id order, so the same tokenizer always gives the same bytes.
  public func write(to url: URL) throws {
    try Data(JSONText.encode(try jsonObject()).utf8).write(to: url, options: .atomic)
  }
}

import Foundation

// Each component's object in a tokenizer.json, as HuggingFace writes it (the reading side is
// TokenizerJSON.swift), so that a loaded tokenizer is written back whole.

extension Lowercase { public var json: [String: Any]? { ["type": "Lowercase"] } }
extension UnicodeNormalization { public var json: [String: Any]? { ["type": form.rawValue.uppercased()] } }
extension StripAccents { public var json: [String: Any]? { ["type": "StripAccents"] } }
extension CollapseWhitespace { public var json: [String: Any]? { nil } }
extension BertNormalizer {
  public var json: [String: Any]? {
    [
      "type": "BertNormalizer", "clean_text": cleanText, "handle_chinese_chars": handleChineseCharacters,
      "strip_accents": stripAccents, "lowercase": lowercase,
    ]
  }
}
extension Prepend { public var json: [String: Any]? { ["type": "Prepend", "prepend": prefix] } }
extension Replace {
  public var json: [String: Any]? {
    replaceJSON(pattern, isRegularExpression: isRegularExpression, content: content)
  }
}
extension Strip {
  public var json: [String: Any]? { ["type": "Strip", "strip_left": left, "strip_right": right] }
}
extension ByteLevelNormalizer { public var json: [String: Any]? { ["type": "ByteLevel"] } }
extension NormalizerSequence {
  public var json: [String: Any]? {
    sequenceJSON("normalizers", normalizers.map(\.json))
  }
}

extension WhitespacePreTokenizer { public var json: [String: Any]? { ["type": "Whitespace"] } }
extension WhitespaceSplit { public var json: [String: Any]? { ["type": "WhitespaceSplit"] } }
extension BertPreTokenizer { public var json: [String: Any]? { ["type": "BertPreTokenizer"] } }
extension Metaspace {
  public var json: [String: Any]? {
    [
      "type": "Metaspace", "replacement": String(replacement),
      "prepend_scheme": prependScheme.rawValue,
      "split": splits,
    ]
  }
}
extension ByteLevel {
  public var json: [String: Any]? {
    ["type": "ByteLevel", "add_prefix_space": addPrefixSpace, "trim_offsets": true, "use_regex": usesRegex]
  }
}
extension Split {
  public var json: [String: Any]? {
    switch pattern {
    case .regularExpression(let text):
      ["type": "Split", "pattern": ["Regex": text], "behavior": behavior.rawValue, "invert": invert]
    case .string(let text):
      ["type": "Split", "pattern": ["String": text], "behavior": behavior.rawValue, "invert": invert]
    case .digit: ["type": "Digits", "individual_digits": behavior == .isolated]
    case .punctuation: ["type": "Punctuation", "behavior": behavior.rawValue]
    case .character(let delimiter): ["type": "CharDelimiterSplit", "delimiter": String(delimiter)]
    }
  }
}
extension PreTokenizerSequence {
  public var json: [String: Any]? {
    sequenceJSON("pretokenizers", preTokenizers.map(\.json))
  }
}

extension SpaceJoinDecoder { public var json: [String: Any]? { nil } }
extension BPEDecoder { public var json: [String: Any]? { ["type": "BPEDecoder", "suffix": suffix] } }
extension WordPieceDecoder {
  public var json: [String: Any]? { ["type": "WordPiece", "prefix": prefix, "cleanup": cleanup] }
}
extension MetaspaceDecoder {
  public var json: [String: Any]? {
    [
      "type": "Metaspace", "replacement": replacement, "prepend_scheme": prependScheme.rawValue,
      "split": true,
    ]
  }
}
extension ByteLevelDecoder {
  public var json: [String: Any]? {
    ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true]
  }
}
extension ReplaceDecoder {
  public var json: [String: Any]? {
    replaceJSON(pattern, isRegularExpression: isRegularExpression, content: content)
  }
}
extension ByteFallbackDecoder { public var json: [String: Any]? { ["type": "ByteFallback"] } }
extension FuseDecoder { public var json: [String: Any]? { ["type": "Fuse"] } }
extension StripDecoder {
  public var json: [String: Any]? {
    ["type": "Strip", "content": String(content), "start": start, "stop": stop]
  }
}
extension CTCDecoder {
  public var json: [String: Any]? {
    ["type": "CTC", "pad_token": padToken, "word_delimiter_token": wordDelimiter, "cleanup": cleanup]
  }
}
extension DecoderSequence {
  public var json: [String: Any]? {
    sequenceJSON("decoders", decoders.map(\.json))
  }
}

/// A `Sequence` of components, their objects under `key`; nil when one of them has no form.
private func sequenceJSON(_ key: String, _ parts: [[String: Any]?]) -> [String: Any]? {
  parts.contains { $0 == nil } ? nil : ["type": "Sequence", key: parts.map { $0! }]
}

/// A `Replace` normalizer's or decoder's object.
private func replaceJSON(_ pattern: String, isRegularExpression: Bool, content: String) -> [String: Any] {
  ["type": "Replace", "pattern": [isRegularExpression ? "Regex" : "String": pattern], "content": content]
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

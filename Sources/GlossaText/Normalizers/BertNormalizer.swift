/// BERT's normalizer: drops control characters, turns whitespace into spaces, puts spaces
/// around CJK ideographs, strips accents and lowercases.
public struct BertNormalizer: Normalizer {
  /// Which of BERT's steps run.
  public var cleanText = true, handleChineseCharacters = true, stripAccents = true, lowercase = true
  public init(
    cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil,
    lowercase: Bool = true
  ) {
    self.cleanText = cleanText
    self.handleChineseCharacters = handleChineseCharacters
    self.stripAccents = stripAccents ?? lowercase  // BERT's rule: unset follows lowercase
    self.lowercase = lowercase
  }

  public func normalize(_ text: inout NormalizedText) {
    if cleanText {
      text.mapScalars { scalar in
        if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { return [] }
        return scalar.properties.isWhitespace ? [" "] : [scalar]
      }
    }
    if handleChineseCharacters && !text.isASCII {
      text.mapScalars { Self.isChinese($0) ? [" ", $0, " "] : [$0] }
    }
    if stripAccents { StripAccents().normalize(&text) }
    if lowercase { Lowercase().normalize(&text) }
  }

  /// ASCII text keeps its Chinese characters and accents (it has none); cleaning changes its
  /// control characters and its spaces other than " ", lowercasing its capitals.
  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    !text.contains { byte in
      (cleanText && (byte < 0x20 || byte == 0x7F)) || (lowercase && byte >= 0x41 && byte <= 0x5A)
    }
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
    switch scalar.properties.generalCategory {
    case .control, .format, .privateUse, .surrogate, .unassigned: return true
    default: return false
    }
  }

  static func isChinese(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
      0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default: return false
    }
  }
}

extension BertNormalizer {
  public var json: [String: Any]? {
    [
      "type": "BertNormalizer", "clean_text": cleanText, "handle_chinese_chars": handleChineseCharacters,
      "strip_accents": stripAccents, "lowercase": lowercase,
    ]
  }
}

extension BertNormalizer {
  /// Reads its options, all required but `strip_accents` (absent or null: it follows `lowercase`).
  init(reading node: JSONNode) throws {
    self.init(
      cleanText: try node["clean_text"].bool(),
      handleChineseCharacters: try node["handle_chinese_chars"].bool(),
      stripAccents: try node["strip_accents"].optionalBool(), lowercase: try node["lowercase"].bool())
  }
}

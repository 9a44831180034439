/// The first stage of a tokenizer: rewrites the text (case, Unicode form, accents,
/// control characters) while keeping every scalar's origin.
public protocol Normalizer: Sendable {
  func normalize(_ text: inout NormalizedText)
  /// Whether ``normalize(_:)`` would leave this ASCII text (its bytes) as it is, where that is
  /// quick to tell; false where it may change it. A tokenizer then cuts the text as it is,
  /// without keeping alignments.
  func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool
  /// Its object in a tokenizer.json; nil for a normalizer HuggingFace has no form of.
  var json: [String: Any]? { get }
}

extension Normalizer {
  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool { false }
}

/// Whether an ASCII byte is a space by `Unicode.Scalar.Properties.isWhitespace` (tab, line
/// feed, vertical tab, form feed, carriage return, space).
@inline(__always)
func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

extension JSONNode {
  /// A tokenizer.json's `normalizer` (nil for null), read by its type; without a type it knows,
  /// HuggingFace takes the first of the normalizers with options that reads the object.
  func normalizer() throws -> (any Normalizer)? {
    if isNull { return nil }
    switch self["type"].value as? String {
    case "Lowercase": return Lowercase()
    case "NFC": return UnicodeNormalization(.nfc)
    case "NFD": return UnicodeNormalization(.nfd)
    case "NFKC": return UnicodeNormalization(.nfkc)
    case "NFKD": return UnicodeNormalization(.nfkd)
    case "StripAccents": return StripAccents()
    case "BertNormalizer": return try BertNormalizer(reading: self)
    case "Prepend": return try Prepend(reading: self)
    case "Strip": return try Strip(reading: self)
    case "ByteLevel": return ByteLevelNormalizer()
    case "Precompiled": return try PrecompiledNormalizer(reading: self)
    case "Replace": return try Replace(reading: self)
    case "Sequence": return try NormalizerSequence(reading: self)
    default:
      return try untagged(
        "normalizer",
        [
          BertNormalizer.init(reading:), Strip.init(reading:), NormalizerSequence.init(reading:),
          Replace.init(reading:), Prepend.init(reading:),
        ] as [(JSONNode) throws -> any Normalizer])
    }
  }
}

/// The last stage of a tokenizer: turns tokens back into text. In a ``DecoderSequence`` each
/// decoder passes a list of strings to the next (``decodeChain(_:)``, HuggingFace's
/// `decode_chain`), and the last list is joined.
public protocol TokenDecoder: Sendable {
  func decode(_ tokens: [String]) -> String
  /// The tokens rewritten, for the next decoder of a sequence.
  func decodeChain(_ tokens: [String]) -> [String]
  /// Its object in a tokenizer.json; nil for a decoder HuggingFace has no form of.
  var json: [String: Any]? { get }
}

extension TokenDecoder {
  /// By default the whole text as one string.
  public func decodeChain(_ tokens: [String]) -> [String] { [decode(tokens)] }
}

/// A decoder that works token by token: its text is its rewritten tokens joined.
public protocol ChainDecoder: TokenDecoder {}

extension ChainDecoder {
  public func decode(_ tokens: [String]) -> String { decodeChain(tokens).joined() }
}

extension JSONNode {
  /// A tokenizer.json's `decoder` (nil for null), read by its type; without a type it knows,
  /// HuggingFace takes the first of the decoders with options that reads the object.
  func decoder() throws -> (any TokenDecoder)? {
    if isNull { return nil }
    switch self["type"].value as? String {
    case "BPEDecoder": return try BPEDecoder(reading: self)
    case "WordPiece": return try WordPieceDecoder(reading: self)
    case "Metaspace": return try MetaspaceDecoder(reading: self)
    case "ByteLevel":
      _ = try byteLevel()
      return ByteLevelDecoder()
    case "Replace": return try ReplaceDecoder(reading: self)
    case "ByteFallback": return ByteFallbackDecoder()
    case "Fuse": return FuseDecoder()
    case "Strip": return try StripDecoder(reading: self)
    case "CTC": return try CTCDecoder(reading: self)
    case "Sequence": return try DecoderSequence(reading: self)
    default:
      return try untagged(
        "decoder",
        [
          BPEDecoder.init(reading:), WordPieceDecoder.init(reading:), CTCDecoder.init(reading:),
          ReplaceDecoder.init(reading:), StripDecoder.init(reading:),
        ] as [(JSONNode) throws -> any TokenDecoder])
    }
  }
}

/// A token produced by a model from one piece: its id, text and the scalars of the piece
/// it covers.
public struct ModelToken: Sendable, Equatable {
  /// The token's id in the vocabulary.
  public let id: Int
  /// The token.
  public let text: String
  /// The scalars of the piece it covers.
  public let range: Range<Int>
}

/// The third stage of a tokenizer: turns one piece into tokens from its vocabulary.
public protocol TokenizerModel: Sendable {
  /// The tokens of a piece, given as scalars.
  func tokenize(_ piece: [Unicode.Scalar]) -> [ModelToken]
  /// The id of a token, if it is in the vocabulary.
  func id(of token: String) -> Int?
  /// The token of an id.
  func token(for id: Int) -> String?
  /// The number of tokens.
  var vocabularySize: Int { get }
  /// The model's tokens and their ids.
  var vocabulary: Vocabulary { get }
  /// Its object in a tokenizer.json; nil for a model that has no form there.
  var json: [String: Any]? { get }
}

extension TokenizerModel {
  public func id(of token: String) -> Int? { vocabulary.id(of: token) }
  public func token(for id: Int) -> String? { vocabulary.token(for: id) }
  public var vocabularySize: Int { vocabulary.count }
  public var json: [String: Any]? { nil }
}

/// The text of these scalars, its UTF-8 written straight into the string's storage.
func string(_ scalars: some Collection<Unicode.Scalar>) -> String {
  var count = 0
  for scalar in scalars { count += UTF8.width(scalar) }
  return String(unsafeUninitializedCapacity: count) { writeUTF8(of: scalars, into: $0.baseAddress!) }
}

/// Writes the UTF-8 bytes of `scalars` at `bytes` (room for all of them), returning how many.
@inline(__always)
func writeUTF8(of scalars: some Collection<Unicode.Scalar>, into bytes: UnsafeMutablePointer<UInt8>) -> Int {
  var n = 0
  for scalar in scalars {
    let v = scalar.value
    switch v {
    case 0..<0x80:
      bytes[n] = UInt8(v)
      n += 1
    case 0x80..<0x800:
      bytes[n] = UInt8(0xC0 | v >> 6)
      bytes[n + 1] = UInt8(0x80 | v & 0x3F)
      n += 2
    case 0x800..<0x10000:
      bytes[n] = UInt8(0xE0 | v >> 12)
      bytes[n + 1] = UInt8(0x80 | v >> 6 & 0x3F)
      bytes[n + 2] = UInt8(0x80 | v & 0x3F)
      n += 3
    default:
      bytes[n] = UInt8(0xF0 | v >> 18)
      bytes[n + 1] = UInt8(0x80 | v >> 12 & 0x3F)
      bytes[n + 2] = UInt8(0x80 | v >> 6 & 0x3F)
      bytes[n + 3] = UInt8(0x80 | v & 0x3F)
      n += 4
    }
  }
  return n
}

extension JSONNode {
  /// A tokenizer.json's `model`, read by its type; a Unigram model's scores are taken from
  /// `exactScores` when given. Without a type (files from before models were tagged),
  /// HuggingFace takes the first of BPE, WordPiece, WordLevel and Unigram that reads the object.
  func model(exactScores: [Double]? = nil) throws -> any TokenizerModel {
    if isNull { throw fail("a tokenizer needs a model") }
    if self["type"].isMissing {
      return try untagged(
        "model",
        [
          BPEModel.init(reading:), WordPieceModel.init(reading:), WordLevelModel.init(reading:),
          { try UnigramModel(reading: $0, exactScores: exactScores) },
        ] as [(JSONNode) throws -> any TokenizerModel])
    }
    switch try type() {
    case "WordLevel": return try WordLevelModel(reading: self)
    case "WordPiece": return try WordPieceModel(reading: self)
    case "BPE": return try BPEModel(reading: self)
    case "Unigram": return try UnigramModel(reading: self, exactScores: exactScores)
    case let other: throw self["type"].fail("unsupported model \(other)")
    }
  }
}

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
}

extension TokenizerModel {
  public func id(of token: String) -> Int? { vocabulary.id(of: token) }
  public func token(for id: Int) -> String? { vocabulary.token(for: id) }
  public var vocabularySize: Int { vocabulary.count }
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

/// Whole pieces looked up in a vocabulary; unknown ones become the unknown token.
public struct WordLevelModel: TokenizerModel {
  public let vocabulary: Vocabulary
  /// What pieces outside the vocabulary become.
  public let unknownToken: String
  public init(vocabulary: [String: Int], unknownToken: String) {
    self.vocabulary = Vocabulary(ids: vocabulary, unknownToken: unknownToken)
    self.unknownToken = unknownToken
  }
  public func tokenize(_ piece: [Unicode.Scalar]) -> [ModelToken] {
    let text = string(piece)
    if let id = vocabulary.id(of: text) { return [ModelToken(id: id, text: text, range: 0..<piece.count)] }
    guard let unknown = vocabulary.unknownID else { return [] }
    return [ModelToken(id: unknown, text: unknownToken, range: 0..<piece.count)]
  }
}

/// WordPiece (BERT): the longest vocabulary entry from the start of the word, then the
/// longest `##`-continuation from where it ended, and so on; a word that cannot be covered,
/// or is longer than `maximumCharacters`, is one unknown token.
public struct WordPieceModel: TokenizerModel {
  public let vocabulary: Vocabulary
  public let unknownToken: String
  /// The prefix of tokens that continue a word (`##`).
  public let continuingPrefix: String
  /// Longer words are one unknown token.
  public let maximumCharacters: Int
  public init(
    vocabulary: [String: Int], unknownToken: String, continuingPrefix: String = "##",
    maximumCharacters: Int = 100
  ) {
    self.vocabulary = Vocabulary(ids: vocabulary, unknownToken: unknownToken)
    self.unknownToken = unknownToken
    self.continuingPrefix = continuingPrefix
    self.maximumCharacters = maximumCharacters
  }

  public func tokenize(_ piece: [Unicode.Scalar]) -> [ModelToken] {
    let unknown = [ModelToken(id: vocabulary.unknownID ?? 0, text: unknownToken, range: 0..<piece.count)]
    guard piece.count <= maximumCharacters else { return unknown }
    var tokens: [ModelToken] = []
    var start = 0
    while start < piece.count {
      var end = piece.count
      var found: ModelToken? = nil
      while end > start {
        let candidate = (start > 0 ? continuingPrefix : "") + string(piece[start..<end])
        if let id = vocabulary.id(of: candidate) {
          found = ModelToken(id: id, text: candidate, range: start..<end)
          break
        }
        end -= 1
      }
      guard let found else { return unknown }
      tokens.append(found)
      start = end
    }
    return tokens
  }
}

/// The Unigram language model (SentencePiece): every piece has a log-probability, and a
/// word is cut into the pieces whose scores add up highest (Viterbi). A character no piece
/// covers gets the unknown id (consecutive ones fused, keeping their text, as
/// SentencePiece does), scored below every piece; with byte fallback, such a stretch becomes
/// the `<0xXX>` pieces of its UTF-8 bytes instead, each with the stretch's offsets.
public struct UnigramModel: TokenizerModel {
  /// The pieces with their log-probabilities, by id.
  public let pieces: [(String, Double)]
  /// The id of the unknown token.
  public let unknownID: Int
  /// Whether an unknown stretch is spelled in byte pieces (`<0x41>`) when the vocabulary has
  /// all of them.
  public let byteFallback: Bool
  public let vocabulary: Vocabulary
  let unknownScore: Double
  let longest: Int

  public init(pieces: [(String, Double)], unknownID: Int, byteFallback: Bool = false) {
    self.pieces = pieces
    self.unknownID = unknownID
    self.byteFallback = byteFallback
    vocabulary = Vocabulary(pieces.map(\.0), unknownToken: nil)
    unknownScore = (pieces.map(\.1).min() ?? 0) - 10
    longest = pieces.map { $0.0.unicodeScalars.count }.max() ?? 1
  }

  public func tokenize(_ piece: [Unicode.Scalar]) -> [ModelToken] {
    let n = piece.count
    guard n > 0 else { return [] }
    // best[i]: the highest score of a cut of piece[0..<i], and where its last token starts.
    var best = [(score: Double, start: Int, id: Int)](repeating: (-.infinity, -1, -1), count: n + 1)
    best[0] = (0, 0, -1)
    // The piece's UTF-8 bytes and where each scalar starts in them: candidates are looked up by
    // their bytes, without a string each.
    var utf8 = string(piece)
    var byteStarts = [Int](repeating: 0, count: n + 1)
    for (i, scalar) in piece.enumerated() { byteStarts[i + 1] = byteStarts[i] + UTF8.width(scalar) }
    utf8.withUTF8 { bytes in
      for start in 0..<n where best[start].score > -.infinity {
        var matched = false
        for end in (start + 1)...min(n, start + longest) {
          let candidate = UnsafeBufferPointer(rebasing: bytes[byteStarts[start]..<byteStarts[end]])
          guard let id = vocabulary.id(utf8: candidate) else { continue }
          if end == start + 1 { matched = true }
          let score = best[start].score + pieces[id].1
          if score > best[end].score { best[end] = (score, start, id) }
        }
        if !matched {
          let score = best[start].score + unknownScore
          if score > best[start + 1].score { best[start + 1] = (score, start, unknownID) }
        }
      }
    }
    var tokens: [ModelToken] = []
    var end = n
    while end > 0 {
      let (_, start, id) = best[end]
      // An unknown stretch keeps its own text (consecutive ones fused), with the unknown id.
      if id == unknownID, let last = tokens.last, last.id == unknownID {
        let range = start..<last.range.upperBound
        tokens[tokens.count - 1] = ModelToken(id: id, text: string(piece[range]), range: range)
      } else {
        let text = id == unknownID ? string(piece[start..<end]) : pieces[id].0
        tokens.append(ModelToken(id: id, text: text, range: start..<end))
      }
      end = start
    }
    guard byteFallback else { return tokens.reversed() }
    return tokens.reversed().flatMap { token in
      // An unknown stretch (not the unknown piece itself, met in the text).
      guard token.id == unknownID, token.text != pieces[unknownID].0,
        let bytes = byteTokens(token.text, range: token.range)
      else { return [token] }
      return bytes
    }
  }

  /// The byte pieces of an unknown stretch, or nil when one of them is missing.
  private func byteTokens(_ text: String, range: Range<Int>) -> [ModelToken]? {
    var tokens: [ModelToken] = []
    for byte in text.utf8 {
      let name = BPEModel.byteToken(byte)
      guard let id = vocabulary.id(of: name) else { return nil }
      tokens.append(ModelToken(id: id, text: name, range: range))
    }
    return tokens
  }
  public var vocabularySize: Int { pieces.count }
}

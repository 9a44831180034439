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

extension WordPieceModel {
  init(reading node: JSONNode) throws {
    let vocabulary = try node["vocab"].vocabulary()
    self.init(
      vocabulary: vocabulary, unknownToken: try node["unk_token"].token(in: vocabulary),
      continuingPrefix: try node["continuing_subword_prefix"].string(),
      maximumCharacters: try node["max_input_chars_per_word"].int())
  }

  public var json: [String: Any]? {
    [
      "type": "WordPiece", "unk_token": unknownToken, "vocab": vocabulary.ids,
      "continuing_subword_prefix": continuingPrefix, "max_input_chars_per_word": maximumCharacters,
    ]
  }
}

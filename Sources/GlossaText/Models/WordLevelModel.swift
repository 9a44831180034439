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

extension WordLevelModel {
  init(reading node: JSONNode) throws {
    let vocabulary = try node["vocab"].vocabulary()
    self.init(vocabulary: vocabulary, unknownToken: try node["unk_token"].token(in: vocabulary))
  }

  public var json: [String: Any]? {
    ["type": "WordLevel", "vocab": vocabulary.ids, "unk_token": unknownToken]
  }
}

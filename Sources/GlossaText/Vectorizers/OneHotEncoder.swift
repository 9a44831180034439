/// One-hot encoding: each token becomes a vector with a single 1 at its vocabulary index;
/// tokens outside the vocabulary become all zeros.
public struct OneHotEncoder: Sendable {
  /// The tokens, one dimension each.
  public let vocabulary: Vocabulary

  /// An encoder over `vocabulary`, one dimension per token.
  public init(vocabulary: Vocabulary) { self.vocabulary = vocabulary }

  /// An encoder over `tokens` (one dimension per distinct token, in order of first appearance).
  public init(vocabulary tokens: [String]) { self.init(vocabulary: Vocabulary(tokens, unknownToken: nil)) }

  /// The one-hot vectors of `tokens`, one row each.
  public func encode(_ tokens: [String]) -> SparseMatrix {
    SparseMatrix(
      rows: tokens.map { token in vocabulary.id(of: token).map { [$0: 1.0] } ?? [:] },
      columns: vocabulary.count)
  }
}

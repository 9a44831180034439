/// What a tokenizer makes of a text: token ids, the tokens, and where each came from.
public struct Encoding: Sendable, Equatable {
  /// Token ids.
  public var ids: [Int] = []
  /// Token strings.
  public var tokens: [String] = []
  /// Each token's scalar range in the original text (Python string indices), end exclusive.
  public var offsets: [Range<Int>] = []
  /// 1 for a special token (an added token such as `[UNK]` or `[PAD]`), else 0.
  public var specialTokensMask: [Int] = []
  /// 1 for every real token (padding would be 0).
  public var attentionMask: [Int] { ids.map { _ in 1 } }
}

/// A complete tokenizer in HuggingFace's shape: normalizer → pre-tokenizer → model, and a
/// decoder back to text. Added special tokens are recognised by id for decoding.
public struct Tokenizer: Sendable {
  public var normalizer: (any Normalizer)?
  public var preTokenizer: (any PreTokenizer)?
  public var model: any TokenizerModel
  public var decoder: any TokenDecoder
  /// Ids of special tokens (dropped when decoding with `skipSpecialTokens`).
  public var specialTokenIDs: Set<Int>

  public init(
    normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?, model: any TokenizerModel,
    decoder: any TokenDecoder = SpaceJoinDecoder(), specialTokenIDs: Set<Int> = []
  ) {
    self.normalizer = normalizer
    self.preTokenizer = preTokenizer
    self.model = model
    self.decoder = decoder
    self.specialTokenIDs = specialTokenIDs
  }

  /// Encodes one text.
  public func encode(_ text: String) -> Encoding {
    var normalized = NormalizedText(text)
    normalizer?.normalize(&normalized)
    let pieces = preTokenizer?.split(normalized) ?? [normalized]
    var encoding = Encoding()
    for piece in pieces {
      for token in model.tokenize(piece.scalars) {
        encoding.ids.append(token.id)
        encoding.tokens.append(token.text)
        encoding.offsets.append(piece.originalRange(of: token.range))
        encoding.specialTokensMask.append(specialTokenIDs.contains(token.id) ? 1 : 0)
      }
    }
    return encoding
  }

  /// The text of token ids, without special tokens unless `skipSpecialTokens` is false.
  public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
    let kept = skipSpecialTokens ? ids.filter { !specialTokenIDs.contains($0) } : ids
    return decoder.decode(kept.compactMap { model.token(for: $0) })
  }
}

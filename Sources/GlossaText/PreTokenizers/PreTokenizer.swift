/// The second stage of a tokenizer: cuts the normalized text into pieces ("words") that
/// the model encodes separately. Every piece keeps its scalars' origins.
public protocol PreTokenizer: Sendable {
  func split(_ text: NormalizedText) -> [NormalizedText]
  /// The pieces as ranges of `scalars`, for pre-tokenizers that only cut (and may then
  /// rewrite each piece with ``prepare(_:)``); nil when the text itself must change first.
  /// Lets a tokenizer without normalizer skip building alignments for the whole text.
  func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]?
  /// Rewrites one piece cut by ``PreTokenizer/pieceRanges(_:)`` before the model sees it.
  func prepare(_ piece: NormalizedText) -> NormalizedText
  /// Whether ``PreTokenizer/prepare(_:)`` leaves every piece as it is (the pre-tokenizer only
  /// cuts), so that another may cut its pieces further without building alignments.
  var onlyCuts: Bool { get }
  /// Its object in a tokenizer.json; nil for a pre-tokenizer HuggingFace has no form of.
  var json: [String: Any]? { get }
}

extension PreTokenizer {
  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? { nil }
  public func prepare(_ piece: NormalizedText) -> NormalizedText { piece }
  public var onlyCuts: Bool { false }
}

extension JSONNode {
  /// A tokenizer.json's `pre_tokenizer` (nil for null), read by its type.
  func preTokenizer() throws -> (any PreTokenizer)? {
    if isNull { return nil }
    switch try type() {
    case "Whitespace": return WhitespacePreTokenizer()
    case "WhitespaceSplit": return WhitespaceSplit()
    case "BertPreTokenizer": return BertPreTokenizer()
    case "UnicodeScripts": return UnicodeScripts()
    case "Metaspace": return try Metaspace(reading: self)
    case "ByteLevel": return try ByteLevel(reading: self)
    case "Split": return try Split(reading: self)
    case "Digits": return try Split(readingDigits: self)
    case "Punctuation": return try Split(readingPunctuation: self)
    case "CharDelimiterSplit": return try Split(readingCharDelimiterSplit: self)
    case "Sequence": return try PreTokenizerSequence(reading: self)
    case let other: throw self["type"].fail("unsupported pre-tokenizer \(other)")
    }
  }
}

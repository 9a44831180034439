/// How a word ends in BPE: the lecture appends a separate end-of-word symbol (`low` →
/// l o w _), HuggingFace glues a suffix to the last character (`low` → l o w</w>).
public enum EndOfWord: Sendable, Equatable {
  /// A symbol of its own after the last character (the lecture's `_`).
  case symbol(String)
  /// A suffix attached to the last character (HF's `</w>`).
  case suffix(String)
  /// No marker.
  case none

  /// The initial symbols of `word`: its characters, marked at the end.
  func symbols(of word: String) -> [String] {
    var symbols = word.map(String.init)
    switch self {
    case .symbol(let marker): symbols.append(marker)
    case .suffix(let suffix): if !symbols.isEmpty { symbols[symbols.count - 1] += suffix }
    case .none: break
    }
    return symbols
  }
}

/// A learned byte-pair encoding: the vocabulary and the merge rules in the order they were
/// learned. Encoding a word splits it into characters (plus the end-of-word marker), turns
/// characters outside the vocabulary into the unknown token, then applies the merges by
/// rank, earliest-learned first, as the lecture does by hand. This is also HuggingFace's
/// `BPE` model (with `end_of_word_suffix`) and GPT-2's (no unknown token).
public struct BPEModel: TokenizerModel {
  /// A merge rule: two adjacent symbols become one.
  public struct Merge: Hashable, Sendable {
    /// The two adjacent symbols.
    public let left: String, right: String
    /// The merged symbol: the two joined (WordPiece training drops the right one's `##`).
    public let result: String
    /// A rule merging `left` and `right` into `result` (their concatenation by default).
    public init(_ left: String, _ right: String, result: String? = nil) {
      self.left = left
      self.right = right
      self.result = result ?? left + right
    }
  }

  /// Token ↔ id.
  public let table: TokenTable
  /// The merges in learned order.
  public let merges: [Merge]
  /// The end-of-word convention.
  public let endOfWord: EndOfWord
  /// What symbols outside the vocabulary become (nil for byte-level models, which have none).
  public let unknownToken: String?
  private let ranks: [Merge: Int]

  /// A model from its vocabulary (token → id) and merges.
  public init(vocabulary: [String: Int], merges: [Merge], endOfWord: EndOfWord, unknownToken: String?) {
    table = TokenTable(vocabulary)
    self.merges = merges
    self.endOfWord = endOfWord
    self.unknownToken = unknownToken
    ranks = Dictionary(merges.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: min)
  }

  /// A model whose ids are the positions of `symbols`, with the unknown token (if any)
  /// added last when `symbols` lacks it.
  public init(symbols: [String], merges: [Merge], endOfWord: EndOfWord, unknownToken: String? = "[UNK]") {
    var ids: [String: Int] = [:]
    for token in symbols + (unknownToken.map { [$0] } ?? []) where ids[token] == nil {
      ids[token] = ids.count
    }
    self.init(vocabulary: ids, merges: merges, endOfWord: endOfWord, unknownToken: unknownToken)
  }

  /// The tokens by id.
  public var tokens: [String] { (0..<table.tokens.count).compactMap { table.tokens[$0] } }

  public func tokenize(_ piece: [Unicode.Scalar]) -> [ModelToken] {
    var symbols = piece.enumerated().map { (text: String($0.element), range: $0.offset..<($0.offset + 1)) }
    switch endOfWord {
    case .symbol(let marker): symbols.append((marker, piece.count..<piece.count))
    case .suffix(let suffix): if !symbols.isEmpty { symbols[symbols.count - 1].text += suffix }
    case .none: break
    }
    if let unknownToken {
      for i in symbols.indices where table.ids[symbols[i].text] == nil { symbols[i].text = unknownToken }
    }
    while symbols.count > 1 {
      // The adjacent pair learned earliest, then every occurrence of it, left to right.
      var best: (rank: Int, merge: Merge)? = nil
      for i in 0..<(symbols.count - 1) {
        let pair = Merge(symbols[i].text, symbols[i + 1].text)
        if let rank = ranks[pair], rank < best?.rank ?? .max { best = (rank, pair) }
      }
      guard let merge = best?.merge else { break }
      var merged: [(text: String, range: Range<Int>)] = []
      merged.reserveCapacity(symbols.count)
      var i = 0
      while i < symbols.count {
        if i + 1 < symbols.count && symbols[i].text == merge.left && symbols[i + 1].text == merge.right {
          merged.append((merge.result, symbols[i].range.lowerBound..<symbols[i + 1].range.upperBound))
          i += 2
        } else {
          merged.append(symbols[i])
          i += 1
        }
      }
      symbols = merged
    }
    return symbols.compactMap { symbol in
      table.ids[symbol.text].map { ModelToken(id: $0, text: symbol.text, range: symbol.range) }
    }
  }

  public func id(of token: String) -> Int? { table.ids[token] }
  public func token(for id: Int) -> String? { table.tokens[id] }
  public var vocabularySize: Int { table.ids.count }

  /// The subword tokens of one word.
  public func encode(word: String) -> [String] { tokenize(Array(word.unicodeScalars)).map(\.text) }

  /// The subword tokens of a text: whitespace-separated words, each encoded.
  public func encode(_ text: String) -> [String] {
    WhitespaceTokenizer().words(text).flatMap(encode(word:))
  }
}

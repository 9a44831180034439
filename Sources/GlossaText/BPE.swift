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
/// learned. Encoding a word splits it into characters (plus the end-of-word marker) and
/// applies the merges by rank, earliest-learned first, as the lecture does by hand;
/// symbols left outside the vocabulary become the unknown token.
public struct BPEModel: Sendable {
  /// A merge rule: two adjacent symbols become one.
  public struct Merge: Hashable, Sendable {
    public let left: String, right: String
    public init(_ left: String, _ right: String) {
      self.left = left
      self.right = right
    }
    /// The merged symbol.
    public var result: String { left + right }
  }

  /// The symbols, by id: the alphabet (first appearance, marker last), then one per merge.
  public let vocabulary: Vocabulary
  /// The merges in learned order.
  public let merges: [Merge]
  /// The end-of-word convention.
  public let endOfWord: EndOfWord
  private let ranks: [Merge: Int]

  /// A model from its parts. `unknownToken` (default `[UNK]`) is what symbols outside the
  /// vocabulary become.
  public init(symbols: [String], merges: [Merge], endOfWord: EndOfWord, unknownToken: String = "[UNK]") {
    vocabulary = Vocabulary(symbols, unknownToken: unknownToken)
    self.merges = merges
    self.endOfWord = endOfWord
    ranks = Dictionary(merges.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: min)
  }

  /// The subword tokens of one word.
  public func encode(word: String) -> [String] {
    var symbols = endOfWord.symbols(of: word)
    while symbols.count > 1 {
      // The adjacent pair learned earliest, then every occurrence of it, left to right.
      var best: (rank: Int, merge: Merge)? = nil
      for i in 0..<(symbols.count - 1) {
        let pair = Merge(symbols[i], symbols[i + 1])
        if let rank = ranks[pair], rank < best?.rank ?? .max { best = (rank, pair) }
      }
      guard let merge = best?.merge else { break }
      var merged: [String] = []
      merged.reserveCapacity(symbols.count)
      var i = 0
      while i < symbols.count {
        if i + 1 < symbols.count && symbols[i] == merge.left && symbols[i + 1] == merge.right {
          merged.append(merge.result)
          i += 2
        } else {
          merged.append(symbols[i])
          i += 1
        }
      }
      symbols = merged
    }
    return symbols.map { vocabulary.id(of: $0) == nil ? vocabulary.unknownToken : $0 }
  }

  /// The subword tokens of a text: whitespace-separated words, each encoded.
  public func encode(_ text: String) -> [String] {
    WhitespaceTokenizer().words(text).flatMap(encode(word:))
  }

  /// Token ids for a text.
  public func ids(_ text: String) -> [Int] { vocabulary.encode(encode(text)) }
}

/// A token added to a tokenizer beside its model's vocabulary (HuggingFace's `AddedToken`):
/// found in the text before the normalizer and pre-tokenizer run, and kept whole.
public struct AddedToken: Sendable, Hashable {
  /// Its text.
  public var content: String
  /// Whether it is special: left out when decoding with `skipSpecialTokens`.
  public var isSpecial: Bool
  /// Whether it only matches as a whole word (no word character just before or after).
  public var singleWord: Bool
  /// Whether it takes the whitespace just before it.
  public var stripsLeft: Bool
  /// Whether it takes the whitespace just after it.
  public var stripsRight: Bool
  /// Whether it is looked for in the normalized text (as the normalizer writes it) rather
  /// than in the text as given.
  public var isNormalized: Bool

  /// An added token; `normalized` defaults to HuggingFace's default: true unless special.
  public init(
    _ content: String, special: Bool = false, singleWord: Bool = false, stripsLeft: Bool = false,
    stripsRight: Bool = false, normalized: Bool? = nil
  ) {
    (self.content, isSpecial, self.singleWord, self.stripsLeft, self.stripsRight) = (
      content, special, singleWord, stripsLeft, stripsRight
    )
    isNormalized = normalized ?? !special
  }
}

/// A tokenizer's added tokens with their ids, and how to find them in a text: the tokens as
/// given in the original text, the normalized ones (in their normalized form) in each
/// normalized stretch between them, leftmost first and the longest at a place (HuggingFace's
/// `AddedVocabulary`, whose matches are leftmost-longest Aho–Corasick).
struct AddedVocabulary: Sendable {
  /// The tokens and their ids, in the order they were added.
  private(set) var tokens: [(token: AddedToken, id: Int)] = []
  /// Patterns by their first scalar, longest first: for the original text, and for the
  /// normalized text.
  private var original: [Unicode.Scalar: [Pattern]] = [:]
  private var normalized: [Unicode.Scalar: [Pattern]] = [:]
  /// The first UTF-8 byte of each original pattern (a text without any has none of them).
  private var firstBytes = [Bool](repeating: false, count: 256)

  private struct Pattern: Sendable {
    let scalars: [Unicode.Scalar]
    let token: AddedToken
    let id: Int
  }

  var isEmpty: Bool { tokens.isEmpty }

  /// The tokens' texts by id.
  var names: [Int: String] { Dictionary(tokens.map { ($0.id, $0.token.content) }) { first, _ in first } }

  init() {}

  /// The tokens with their ids; normalized ones are looked for as `normalizer` writes them.
  init(_ tokens: [(token: AddedToken, id: Int)], normalizer: (any Normalizer)?) {
    self.tokens = tokens
    for (token, id) in tokens where !token.content.isEmpty {
      var scalars = Array(token.content.unicodeScalars)
      if token.isNormalized, let normalizer {
        var text = NormalizedText(token.content)
        normalizer.normalize(&text)
        scalars = text.scalars
      }
      guard let first = scalars.first else { continue }
      let pattern = Pattern(scalars: scalars, token: token, id: id)
      if token.isNormalized {
        normalized[first, default: []].append(pattern)
      } else {
        original[first, default: []].append(pattern)
        firstBytes[Int(token.content.utf8.first!)] = true
      }
    }
    for key in original.keys { original[key]!.sort { $0.scalars.count > $1.scalars.count } }
    for key in normalized.keys { normalized[key]!.sort { $0.scalars.count > $1.scalars.count } }
  }

  /// Whether the text may hold an added token: it has a normalized token (which only the
  /// normalized text can show), or a byte that starts an original one.
  func mayOccur(in text: String) -> Bool {
    if !normalized.isEmpty { return true }
    if original.isEmpty { return false }
    return text.utf8.contains { firstBytes[Int($0)] }
  }

  /// `scalars` cut into stretches and the added tokens found between them (with their ids),
  /// looking for the normalized tokens or for the others. A token that must be a single word
  /// and is not is skipped (the search goes on after it); one that strips takes the
  /// whitespace beside it.
  func split(_ scalars: [Unicode.Scalar], normalizedTokens: Bool) -> [(range: Range<Int>, id: Int?)] {
    let patterns = normalizedTokens ? normalized : original
    guard !scalars.isEmpty else { return [(0..<0, nil)] }
    guard !patterns.isEmpty else { return [(0..<scalars.count, nil)] }
    var result: [(range: Range<Int>, id: Int?)] = []
    var done = 0
    var i = 0
    while i < scalars.count {
      guard let candidates = patterns[scalars[i]],
        let match = candidates.first(where: { scalars[i...].starts(with: $0.scalars) })
      else {
        i += 1
        continue
      }
      var (start, stop) = (i, i + match.scalars.count)
      i = stop
      if match.token.singleWord {
        let wordBefore = start > 0 && ScalarClass.isWord(scalars[start - 1])
        let wordAfter = stop < scalars.count && ScalarClass.isWord(scalars[stop])
        if wordBefore || wordAfter { continue }
      }
      if match.token.stripsLeft {
        while start > done, ScalarClass.isSpace(scalars[start - 1]) { start -= 1 }
      }
      if match.token.stripsRight {
        while stop < scalars.count, ScalarClass.isSpace(scalars[stop]) { stop += 1 }
      }
      if done < start { result.append((done..<start, nil)) }
      result.append((start..<stop, match.id))
      done = stop
    }
    if done < scalars.count { result.append((done..<scalars.count, nil)) }
    return result
  }
}

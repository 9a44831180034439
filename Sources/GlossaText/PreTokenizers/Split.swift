import Foundation

/// HuggingFace's `Split`: cuts the text at the matches of a pattern (a regular expression, or
/// a plain string), and keeps the matches as the behaviour says: on their own (`isolated`),
/// not at all (`removed`), joined to the piece before or after, or runs of adjacent matches as
/// one piece (`contiguous`). With `invert` the pieces between the matches are what the
/// behaviour applies to. Llama-3's and GPT-4's files cut their text this way before the
/// byte-level step. GPT-4's pattern (Llama-3's, and Qwen2's variant) runs on a hand-written
/// scanner; any other on Foundation's `NSRegularExpression` (ICU), whose
/// `\p{L}`, `\s`, look-ahead and `(?i:…)` read as the Oniguruma patterns HuggingFace's files
/// carry. HuggingFace's `Digits`, `Punctuation` and `CharDelimiterSplit` are splits whose
/// matches are single characters of a class (``digits(individually:)``,
/// ``punctuation(_:)``, ``delimiter(_:)``).
public struct Split: PreTokenizer {
  /// What becomes of the matches.
  public enum Behavior: String, Sendable, CaseIterable {
    case removed = "Removed", isolated = "Isolated", mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext", contiguous = "Contiguous"
  }

  /// What matches: a pattern as written (a regular expression, or a string matched as it is),
  /// or any one character of a class.
  public enum Pattern: Sendable, Equatable {
    case regularExpression(String), string(String)
    case digit, punctuation, character(Unicode.Scalar)
  }

  /// What matches.
  public let pattern: Pattern
  /// What becomes of the matches.
  public let behavior: Behavior
  /// Whether the pieces between the matches take the matches' part.
  public let invert: Bool
  private let expression: ScalarRegex?
  /// GPT-4's pattern (and Qwen2's), run by hand instead of by `expression`.
  private let scanner: GPT4Pattern?

  /// A split at `pattern`; throws when a regular expression does not compile.
  public init(_ pattern: Pattern, behavior: Behavior, invert: Bool = false) throws {
    (self.pattern, self.behavior, self.invert) = (pattern, behavior, invert)
    scanner = if case .regularExpression(let text) = pattern { GPT4Pattern.patterns[text] } else { nil }
    switch pattern {
    case .regularExpression where scanner != nil: expression = nil
    case .regularExpression(let text): expression = try ScalarRegex(text)
    case .string(let text): expression = try ScalarRegex(NSRegularExpression.escapedPattern(for: text))
    case .digit, .punctuation, .character: expression = nil
    }
  }

  /// HuggingFace's `Digits`: runs of numeric characters (each digit alone when
  /// `individually`) cut from the rest.
  public static func digits(individually: Bool) -> Split {
    try! Split(.digit, behavior: individually ? .isolated : .contiguous)
  }

  /// HuggingFace's `Punctuation`: each punctuation mark (ASCII symbols and every Unicode
  /// punctuation category) treated as `behavior` says.
  public static func punctuation(_ behavior: Behavior = .isolated) -> Split {
    try! Split(.punctuation, behavior: behavior)
  }

  /// HuggingFace's `CharDelimiterSplit`: cut at each `delimiter`, which is dropped.
  public static func delimiter(_ delimiter: Unicode.Scalar) -> Split {
    try! Split(.character(delimiter), behavior: .removed)
  }

  public func split(_ text: NormalizedText) -> [NormalizedText] { ranges(text.scalars).map(text.slice) }

  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? { ranges(scalars) }

  public var onlyCuts: Bool { true }

  /// The pieces the behaviour keeps, as ranges of `scalars`.
  private func ranges(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
    guard !scalars.isEmpty else { return [] }
    // The text as alternating parts, each a match or not (HuggingFace's find_matches).
    var parts: [(range: Range<Int>, isMatch: Bool)] = []
    var previous = 0
    func found(_ match: Range<Int>) {
      if previous != match.lowerBound { parts.append((previous..<match.lowerBound, invert)) }
      parts.append((match, !invert))
      previous = match.upperBound
    }
    if let scanner {
      scanner.matches(scalars, found)
    } else if let expression {
      for match in expression.matches(in: scalars) { found(match) }
    } else {
      let matches: (Unicode.Scalar) -> Bool =
        switch pattern {
        case .digit: ScalarClass.isNumber
        case .punctuation: ScalarClass.isPunctuation
        case .character(let delimiter): { $0 == delimiter }
        case .regularExpression, .string: { _ in false }
        }
      for (index, scalar) in scalars.enumerated() where matches(scalar) { found(index..<(index + 1)) }
    }
    if previous != scalars.count { parts.append((previous..<scalars.count, invert)) }
    // The pieces the behaviour keeps (empty ones dropped).
    var pieces: [Range<Int>] = []
    var previousWasMatch = false
    switch behavior {
    case .isolated: pieces = parts.map(\.range)
    case .removed: pieces = parts.filter { !$0.isMatch }.map(\.range)
    case .contiguous, .mergedWithPrevious:
      for (range, isMatch) in parts {
        let joins = behavior == .contiguous ? isMatch == previousWasMatch : isMatch && !previousWasMatch
        if joins, let last = pieces.last {
          pieces[pieces.count - 1] = last.lowerBound..<range.upperBound
        } else {
          pieces.append(range)
        }
        previousWasMatch = isMatch
      }
    case .mergedWithNext:
      for (range, isMatch) in parts.reversed() {
        if isMatch && !previousWasMatch, let last = pieces.last {
          pieces[pieces.count - 1] = range.lowerBound..<last.upperBound
        } else {
          pieces.append(range)
        }
        previousWasMatch = isMatch
      }
      pieces.reverse()
    }
    return pieces.filter { !$0.isEmpty }
  }
}

extension Split {
  public var json: [String: Any]? {
    switch pattern {
    case .regularExpression(let text):
      ["type": "Split", "pattern": ["Regex": text], "behavior": behavior.rawValue, "invert": invert]
    case .string(let text):
      ["type": "Split", "pattern": ["String": text], "behavior": behavior.rawValue, "invert": invert]
    case .digit: ["type": "Digits", "individual_digits": behavior == .isolated]
    case .punctuation: ["type": "Punctuation", "behavior": behavior.rawValue]
    case .character(let delimiter): ["type": "CharDelimiterSplit", "delimiter": String(delimiter)]
    }
  }
}

extension Split {
  /// A `Split`: its pattern (`{"String": s}` or `{"Regex": r}`), behavior and invert.
  init(reading node: JSONNode) throws {
    let pattern = node["pattern"]
    let isRegularExpression = !pattern["Regex"].isNull
    let text = try (isRegularExpression ? pattern["Regex"] : pattern["String"]).string()
    let (behavior, invert) = (try node["behavior"].behavior(), try node["invert"].bool())
    do {
      try self.init(
        isRegularExpression ? .regularExpression(text) : .string(text), behavior: behavior, invert: invert)
    } catch {
      throw pattern["Regex"].fail("the regular expression does not compile: \(error)")
    }
  }

  /// A `Digits` pre-tokenizer, as the split it is.
  init(readingDigits node: JSONNode) throws {
    self = Split.digits(individually: try node["individual_digits"].bool())
  }

  /// A `Punctuation` pre-tokenizer, as the split it is.
  init(readingPunctuation node: JSONNode) throws {
    self = Split.punctuation(node["behavior"].isMissing ? .isolated : try node["behavior"].behavior())
  }

  /// A `CharDelimiterSplit` pre-tokenizer, as the split it is.
  init(readingCharDelimiterSplit node: JSONNode) throws {
    let delimiter = try node["delimiter"].string()
    guard let scalar = delimiter.unicodeScalars.first, delimiter.unicodeScalars.count == 1 else {
      throw node["delimiter"].fail("expected one character")
    }
    self = Split.delimiter(scalar)
  }
}

extension JSONNode {
  /// A `Split` or `Punctuation` behaviour by its name.
  func behavior() throws -> Split.Behavior {
    let name = try string()
    guard let behavior = Split.Behavior(rawValue: name) else { throw fail("unknown behavior \(name)") }
    return behavior
  }
}

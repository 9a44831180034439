import Foundation

/// Turns a document into the terms a vectorizer counts: tokens from a token pattern
/// (lowercased if asked), then word n-grams; or character n-grams of the text.
public struct TermAnalyzer: Sendable {
  /// What a term is.
  public enum Unit: Sendable { case words, characters }
  /// How tokens are found.
  public enum Pattern: Sendable {
    /// The lecture's `\b\w+\b`.
    case wordCharacters
    /// scikit-learn's default `\b\w\w+\b` (tokens of two or more characters).
    case twoOrMoreWordCharacters
    /// Any regular expression (ICU syntax); each match is a token.
    case regex(String)
    /// Any word tokenizer (Treebank, whitespace, characters, …).
    case tokenizer(any WordTokenizer)

    /// The pattern a token regex names: the lecture's and scikit-learn's (with or without
    /// `(?u)`) are recognised and scanned without the regex engine, `treebank` names NLTK's
    /// rules, anything else is a regular expression.
    public init(_ pattern: String) {
      switch pattern {
      case #"\b\w+\b"#, #"(?u)\b\w+\b"#: self = .wordCharacters
      case #"\b\w\w+\b"#, #"(?u)\b\w\w+\b"#: self = .twoOrMoreWordCharacters
      case "treebank": self = .tokenizer(TreebankTokenizer())
      default: self = .regex(pattern)
      }
    }
  }

  /// Word or character terms.
  public var unit: Unit = .words
  /// How tokens are found.
  public var pattern: Pattern = .wordCharacters
  /// Whether documents are lowercased first.
  public var lowercase = true
  /// Shortest and longest n-gram.
  public var ngrams: ClosedRange<Int> = 1...1

  public init(
    unit: Unit = .words, pattern: Pattern = .wordCharacters, lowercase: Bool = true,
    ngrams: ClosedRange<Int> = 1...1
  ) {
    self.unit = unit
    self.pattern = pattern
    self.lowercase = lowercase
    self.ngrams = ngrams
  }

  /// The terms of a document, in order (repeats kept).
  public func terms(_ document: String) throws -> [String] {
    let text = lowercase ? lowercased(document) : document
    switch unit {
    case .characters:
      // scikit-learn's "char" analyzer: n-grams of the whitespace-normalized text.
      let characters = Array(text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
      return ngrams.flatMap { n in
        characters.count < n ? [] : (0...(characters.count - n)).map { String(characters[$0..<($0 + n)]) }
      }
    case .words:
      let tokens = try tokens(text)
      if ngrams == 1...1 { return tokens }
      return ngrams.flatMap { n in
        tokens.count < n ? [] : (0...(tokens.count - n)).map { tokens[$0..<($0 + n)].joined(separator: " ") }
      }
    }
  }

  func tokens(_ text: String) throws -> [String] {
    switch pattern {
    case .wordCharacters: return RegexWordTokenizer().words(text)
    case .twoOrMoreWordCharacters:
      return RegexWordTokenizer().tokenize(text).compactMap { $0.end - $0.start >= 2 ? $0.text : nil }
    case .tokenizer(let tokenizer): return tokenizer.words(text)
    case .regex(let source):
      let regex = try NSRegularExpression(pattern: source)
      return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
        Range($0.range, in: text).map { String(text[$0]) }
      }
    }
  }
}

/// `text.lowercased()`, with a fast path for ASCII text (a byte map instead of the standard
/// library's character-by-character case mapping).
func lowercased(_ text: String) -> String {
  var text = text
  return text.withUTF8 { bytes in
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(decoding: bytes, as: UTF8.self).lowercased() }
    return String(unsafeUninitializedCapacity: bytes.count) { out in
      for i in 0..<bytes.count {
        let b = bytes[i]
        out[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
      }
      return bytes.count
    }
  }
}

/// Splits text into word-level tokens.
public protocol WordTokenizer: Sendable {
  /// The tokens of `text`, in order, with their scalar offsets.
  func tokenize(_ text: String) -> [Token]
}

extension WordTokenizer {
  /// Just the tokens' texts.
  public func words(_ text: String) -> [String] { tokenize(text).map(\.text) }
}

/// Runs of non-whitespace characters (`str.split()`).
public struct WhitespaceTokenizer: WordTokenizer {
  public init() {}

  public func tokenize(_ text: String) -> [Token] {
    runs(of: text) { !$0.properties.isWhitespace }
  }
}

/// The lecture's regular expression `\b\w+\b` (Python's `re.findall` on a `str`): maximal
/// runs of word characters, which are Unicode letters, numbers and the underscore.
/// A hand-written scanner, not a regex engine.
public struct RegexWordTokenizer: WordTokenizer {
  public init() {}

  public func tokenize(_ text: String) -> [Token] { runs(of: text, where: Self.isWordCharacter) }

  /// Python's `\w` for `str` patterns: `isalnum()` or `_`.
  public static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
      let v = scalar.value
      return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
    }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .decimalNumber, .letterNumber, .otherNumber:
      return true
    default:
      return false
    }
  }
}

/// Maximal runs of scalars satisfying `belongs`, with scalar offsets.
func runs(of text: String, where belongs: (Unicode.Scalar) -> Bool) -> [Token] {
  var tokens: [Token] = []
  var current = String.UnicodeScalarView()
  var start = 0
  var offset = 0
  for scalar in text.unicodeScalars {
    if belongs(scalar) {
      if current.isEmpty { start = offset }
      current.append(scalar)
    } else if !current.isEmpty {
      tokens.append(Token(String(current), start: start, end: offset))
      current = String.UnicodeScalarView()
    }
    offset += 1
  }
  if !current.isEmpty { tokens.append(Token(String(current), start: start, end: offset)) }
  return tokens
}

/// User-perceived characters (grapheme clusters): "é" written as e + combining accent is
/// one token, as is a flag emoji. The lecture's Pokémon names become their letters.
public struct CharacterTokenizer: WordTokenizer {
  public init() {}

  public func tokenize(_ text: String) -> [Token] {
    var offset = 0
    return text.map { character in
      let length = character.unicodeScalars.count
      defer { offset += length }
      return Token(String(character), start: offset, end: offset + length)
    }
  }
}

/// Splits text into word-level tokens.
public protocol WordTokenizer: Sendable {
  /// The tokens of `text`, in order, with their scalar offsets.
  func tokenize(_ text: String) -> [Token]
  /// Just the tokens' texts (what Python's `re.findall` gives).
  func words(_ text: String) -> [String]
}

extension WordTokenizer {
  public func words(_ text: String) -> [String] { tokenize(text).map(\.text) }
}

/// Runs of non-whitespace characters (`str.split()`).
public struct WhitespaceTokenizer: WordTokenizer {
  public init() {}

  public func tokenize(_ text: String) -> [Token] {
    runTokens(of: text, ascii: Self.ascii, where: Self.belongs)
  }

  public func words(_ text: String) -> [String] { runWords(of: text, ascii: Self.ascii, where: Self.belongs) }

  private static func belongs(_ scalar: Unicode.Scalar) -> Bool { !ScalarClass.isSpace(scalar) }

  private static let ascii = (0..<128).map { !ScalarClass.isSpace(Unicode.Scalar(UInt8($0))) }
}

/// The lecture's regular expression `\b\w+\b` (Python's `re.findall` on a `str`): maximal
/// runs of word characters, which are Unicode letters, numbers and the underscore.
/// A hand-written scanner, not a regex engine.
public struct RegexWordTokenizer: WordTokenizer {
  public init() {}

  public func tokenize(_ text: String) -> [Token] {
    runTokens(of: text, ascii: Self.ascii, where: Self.isWordCharacter)
  }

  public func words(_ text: String) -> [String] {
    runWords(of: text, ascii: Self.ascii, where: Self.isWordCharacter)
  }

  /// `\w` for each ASCII byte (shared with ``WordScanner``).
  static let ascii = (0..<128).map { isWordCharacter(Unicode.Scalar(UInt8($0))) }

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

/// Calls `body` with each maximal run of scalars satisfying `belongs`: its text (cut from
/// the UTF-8 bytes) and its scalar range. `ascii[b]` must be `belongs` of ASCII byte b (a
/// table the caller keeps).
@inline(__always)
func forEachRun(
  of text: String, ascii: [Bool], where belongs: (Unicode.Scalar) -> Bool,
  _ body: (String, Range<Int>) -> Void
) {
  var text = text
  text.withUTF8 { bytes in
    ascii.withUnsafeBufferPointer { ascii in
      forEachRun(in: bytes, ascii: ascii, where: belongs) { range, scalars, onlyASCII in
        let word =
          onlyASCII
          ? asciiString(bytes, range)
          : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        body(word, scalars)
      }
    }
  }
}

/// The runs of ``forEachRun(of:ascii:where:_:)`` as tokens with their scalar offsets.
@inline(__always)
func runTokens(of text: String, ascii: [Bool], where belongs: (Unicode.Scalar) -> Bool) -> [Token] {
  var tokens: [Token] = []
  tokens.reserveCapacity(expectedRuns(text))
  forEachRun(of: text, ascii: ascii, where: belongs) {
    tokens.append(Token($0, start: $1.lowerBound, end: $1.upperBound))
  }
  return tokens
}

/// The same runs' texts alone.
@inline(__always)
func runWords(of text: String, ascii: [Bool], where belongs: (Unicode.Scalar) -> Bool) -> [String] {
  var words: [String] = []
  words.reserveCapacity(expectedRuns(text))
  forEachRun(of: text, ascii: ascii, where: belongs) { word, _ in words.append(word) }
  return words
}

/// Room for the runs of a text: about one in five bytes of prose, a guess that saves most
/// regrowing.
@inline(__always)
func expectedRuns(_ text: String) -> Int { text.utf8.count / 5 + 1 }

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

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
    runs(of: text, ascii: Self.ascii) { !ScalarClass.isSpace($0) }
  }

  private static let ascii = (0..<128).map { !ScalarClass.isSpace(Unicode.Scalar(UInt8($0))) }
}

/// The lecture's regular expression `\b\w+\b` (Python's `re.findall` on a `str`): maximal
/// runs of word characters, which are Unicode letters, numbers and the underscore.
/// A hand-written scanner, not a regex engine.
public struct RegexWordTokenizer: WordTokenizer {
  public init() {}

  public func tokenize(_ text: String) -> [Token] {
    runs(of: text, ascii: Self.ascii, where: Self.isWordCharacter)
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

/// Maximal runs of scalars satisfying `belongs` as tokens with scalar offsets; a token's
/// text is cut from the UTF-8 bytes. `ascii[b]` must be `belongs` of ASCII byte b (a table
/// the caller keeps).
@inline(__always)
func runs(of text: String, ascii: [Bool], where belongs: (Unicode.Scalar) -> Bool) -> [Token] {
  var text = text
  return text.withUTF8 { bytes in
    ascii.withUnsafeBufferPointer { ascii in
      var tokens: [Token] = []
      // About one token in five bytes of prose; a guess that saves most regrowing.
      tokens.reserveCapacity(bytes.count / 5 + 1)
      forEachRun(in: bytes, ascii: ascii, where: belongs) { range, scalars, onlyASCII in
        let word =
          onlyASCII
          ? asciiString(bytes, range)
          : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        tokens.append(Token(word, start: scalars.lowerBound, end: scalars.upperBound))
      }
      return tokens
    }
  }
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

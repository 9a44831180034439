/// Splits text into word-level tokens.
public protocol WordTokenizer: Sendable {
  /// The tokens of `text`, in order, with their scalar offsets.
  func tokenize(_ text: String) -> [Token]
  /// Just the tokens' texts (what Python's `re.findall` gives).
  func words(_ text: String) -> [String]
}

/// The lecture's word and character tokenizers by name.
public enum WordTokenization: String, Sendable, CaseIterable {
  /// Runs of non-space characters (``WhitespaceTokenizer``).
  case whitespace
  /// The lecture's `\b\w+\b` (``RegexWordTokenizer``).
  case regex
  /// NLTK's `word_tokenize` (``TreebankTokenizer``).
  case treebank
  /// User-perceived characters (``CharacterTokenizer``).
  case char

  /// The tokenizer.
  public var tokenizer: any WordTokenizer {
    switch self {
    case .whitespace: WhitespaceTokenizer()
    case .regex: RegexWordTokenizer()
    case .treebank: TreebankTokenizer()
    case .char: CharacterTokenizer()
    }
  }
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

  private static let ascii = ASCIIClass(belongs)
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

  /// `\w` for ASCII bytes (shared with ``WordScanner``).
  static let ascii = ASCIIClass(isWordCharacter)

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

/// The maximal runs of scalars satisfying `belongs` in `text`, as tokens with their scalar
/// offsets. `ascii` must be `belongs` on ASCII bytes (a class the caller keeps).
@inline(__always)
func runTokens(of text: String, ascii: ASCIIClass, where belongs: (Unicode.Scalar) -> Bool) -> [Token] {
  collectRuns(of: text, ascii: ascii, where: belongs) { Token($0, start: $1.lowerBound, end: $1.upperBound) }
}

/// The same runs' texts alone.
@inline(__always)
func runWords(of text: String, ascii: ASCIIClass, where belongs: (Unicode.Scalar) -> Bool) -> [String] {
  collectRuns(of: text, ascii: ascii, where: belongs) { word, _ in word }
}

/// `make(text, scalar range)` of each run, in an array of the runs' exact number (no growing).
/// A text of up to ``bufferedRunsLimit`` runs is scanned once, each element made in a
/// temporary buffer and then moved into the array (a bitwise copy); a longer one is scanned
/// twice, to count its runs and then to make them, so that the buffer stays small.
// Specialized for its two callers: left generic, it passes each string through a thunk that
// retains and releases it.
@_specialize(where Element == String)
@_specialize(where Element == Token)
func collectRuns<Element>(
  of text: String, ascii: ASCIIClass, where belongs: (Unicode.Scalar) -> Bool,
  _ make: (String, Range<Int>) -> Element
) -> [Element] {
  var text = text
  let layoutHolds = smallStringLayoutHolds
  return text.withUTF8 { bytes in
    @inline(__always) func makeRuns(into elements: UnsafeMutableBufferPointer<Element>) -> Int {
      var count = 0
      forEachRun(in: bytes, ascii: ascii, where: belongs) { range, scalars, onlyASCII in
        elements.initializeElement(
          at: count,
          to: make(runString(bytes, range, onlyASCII: onlyASCII, layoutHolds: layoutHolds), scalars))
        count += 1
      }
      return count
    }
    // Runs are at least one byte long and one byte apart.
    let mostRuns = bytes.count / 2 + 1
    guard mostRuns > bufferedRunsLimit else {
      return withUnsafeTemporaryAllocation(of: Element.self, capacity: mostRuns) { made in
        let found = makeRuns(into: made)
        return [Element](capacity: found) { $0.moveInitialize(fromContentsOf: made[..<found]) }
      }
    }
    var runs = 0
    forEachRun(in: bytes, ascii: ascii, where: belongs) { _, _, _ in runs += 1 }
    return [Element](capacity: runs, filledBy: makeRuns(into:))
  }
}

/// The most runs ``collectRuns(of:ascii:where:_:)`` makes in a temporary buffer (64 KB of
/// strings, 128 KB of tokens).
let bufferedRunsLimit = 1 << 12

/// The text of a run: built directly when it is all ASCII.
@inline(__always)
func runString(
  _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, onlyASCII: Bool, layoutHolds: Bool
) -> String {
  onlyASCII
    ? asciiString(bytes, range, layoutHolds: layoutHolds)
    : String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
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

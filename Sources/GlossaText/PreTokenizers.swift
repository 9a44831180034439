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

/// Scalar classes the hand-written scanners share.
enum ScalarClass {
  /// The regex `\w` of HuggingFace's Rust/Oniguruma patterns: letters, marks, digits,
  /// connector punctuation.
  static func isWord(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return RegexWordTokenizer.isWordCharacter(s) }
    switch s.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .connectorPunctuation:
      return true
    default: return s.properties.isAlphabetic || s.properties.isJoinControl
    }
  }

  static func isSpace(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return s == " " || (s.value >= 0x09 && s.value <= 0x0D) }
    return s.properties.isWhitespace
  }

  static func isLetter(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return (s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A }
    return switch s.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
    default: false
    }
  }

  static func isNumber(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return s.value >= 0x30 && s.value <= 0x39 }
    return switch s.properties.generalCategory {
    case .decimalNumber, .letterNumber, .otherNumber: true
    default: false
    }
  }

  /// BERT's punctuation: ASCII symbols and every Unicode punctuation category.
  static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
      return true
    }
    if s.isASCII { return false }
    switch s.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    default: return false
    }
  }
}

/// How a scanner treats a scalar: dropped, a piece by itself, or part of a run of its group.
/// A small integer, so that the scanners compare classes with one instruction.
struct RunClass: Equatable {
  private let code: Int8
  static let drop = RunClass(code: -1)
  static let alone = RunClass(code: -2)
  static func group(_ n: Int8) -> RunClass { RunClass(code: n) }
}

/// Calls `body` with each maximal run of elements of the same group among the elements at
/// 0 ..< `count`, where `element(i)` is the class and width of the element at i (a scalar of
/// an array, width 1, or one in UTF-8 bytes): an `.alone` element is a run of its own, and
/// `.drop` elements separate runs without belonging to any. Every run splitter's scan.
@inline(__always)
func forEachClassRun(
  count: Int, _ element: (Int) -> (RunClass, width: Int), _ body: (Range<Int>) -> Void
) {
  var start = 0
  var current = RunClass.drop
  var i = 0
  while i < count {
    let (kind, width) = element(i)
    if kind != current || kind == .alone {
      if current != .drop { body(start..<i) }
      start = i
      current = kind
    }
    i += width
  }
  if current != .drop { body(start..<count) }
}

/// The runs of ``forEachClassRun(count:_:_:)`` among scalars, as ranges.
func runRanges(_ scalars: [Unicode.Scalar], _ classify: (Unicode.Scalar) -> RunClass) -> [Range<Int>] {
  var ranges: [Range<Int>] = []
  ranges.reserveCapacity(scalars.count / 4 + 1)
  scalars.withUnsafeBufferPointer { scalars in
    forEachClassRun(count: scalars.count, { (classify(scalars[$0]), 1) }) { ranges.append($0) }
  }
  return ranges
}

/// A pre-tokenizer that only cuts runs of scalar classes; its pieces reach the model as
/// they are (no ``PreTokenizer/prepare(_:)``), which the tokenizer's ASCII path relies on.
protocol RunSplitter: PreTokenizer {
  func classify(_ scalar: Unicode.Scalar) -> RunClass
}

extension RunSplitter {
  /// The class of each ASCII scalar, for scanning ASCII bytes through a table.
  var asciiClasses: [RunClass] { (0..<128).map { classify(Unicode.Scalar(UInt8($0))) } }

  public func split(_ text: NormalizedText) -> [NormalizedText] {
    runRanges(text.scalars, classify).map(text.slice)
  }
  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? { runRanges(scalars, classify) }
  public var onlyCuts: Bool { true }
}

/// HuggingFace's `Whitespace`: the pattern `\w+|[^\w\s]+`.
public struct WhitespacePreTokenizer: RunSplitter {
  public init() {}
  func classify(_ s: Unicode.Scalar) -> RunClass {
    ScalarClass.isSpace(s) ? .drop : .group(ScalarClass.isWord(s) ? 1 : 2)
  }
}

/// HuggingFace's `WhitespaceSplit`: runs of non-whitespace.
public struct WhitespaceSplit: RunSplitter {
  public init() {}
  func classify(_ s: Unicode.Scalar) -> RunClass { ScalarClass.isSpace(s) ? .drop : .group(1) }
}

/// BERT's pre-tokenizer: splits on whitespace (dropped) and isolates every punctuation mark.
public struct BertPreTokenizer: RunSplitter {
  public init() {}
  func classify(_ s: Unicode.Scalar) -> RunClass {
    ScalarClass.isSpace(s) ? .drop : (ScalarClass.isPunctuation(s) ? .alone : .group(1))
  }
}

/// When SentencePiece's `▁` is put in front of a text.
public enum MetaspacePrependScheme: String, Sendable, CaseIterable {
  /// In front of every piece handed to the pre-tokenizer.
  case always
  /// Only in front of the piece that starts the text (not after an added token that opens it,
  /// as Llama-2 and Mistral files without the legacy behaviour have it).
  case first
  /// Never.
  case never
}

/// SentencePiece's convention: spaces become `▁`, a `▁` is put in front of the text, and
/// each piece starts at a `▁`.
public struct Metaspace: PreTokenizer {
  /// The character that stands for a space.
  public let replacement: Unicode.Scalar
  /// When `▁` is put in front of the text.
  public let prependScheme: MetaspacePrependScheme
  /// Whether pieces are cut before each `▁`.
  public let splits: Bool
  public init(
    replacement: Unicode.Scalar = "▁", prependScheme: MetaspacePrependScheme = .always, splits: Bool = true
  ) {
    self.replacement = replacement
    self.prependScheme = prependScheme
    self.splits = splits
  }

  public func split(_ text: NormalizedText) -> [NormalizedText] {
    let text = prepare(text)
    guard splits else { return text.scalars.isEmpty ? [] : [text] }
    var pieces: [NormalizedText] = []
    var start = 0
    for (i, scalar) in text.scalars.enumerated() where scalar == replacement && i > start {
      pieces.append(text.slice(start..<i))
      start = i
    }
    if start < text.scalars.count { pieces.append(text.slice(start..<text.scalars.count)) }
    return pieces
  }

  /// The cuts ``split(_:)`` makes, before each space (or `▁`) that does not open the text,
  /// for a scheme under which a piece is written the same wherever it is (not `first`).
  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? {
    guard prependScheme != .first else { return nil }
    guard splits else { return scalars.isEmpty ? [] : [scalars.indices] }
    var ranges: [Range<Int>] = []
    var start = 0
    for (i, scalar) in scalars.enumerated() where (scalar == " " || scalar == replacement) && i > start {
      ranges.append(start..<i)
      start = i
    }
    if start < scalars.count { ranges.append(start..<scalars.count) }
    return ranges
  }

  /// Spaces written as `▁`, and `▁` put in front as the scheme says.
  public func prepare(_ piece: NormalizedText) -> NormalizedText {
    var text = piece
    text.mapScalars { $0 == " " ? [replacement] : [$0] }
    let prepends =
      switch prependScheme {
      case .always: true
      // Where the piece starts in the original text, as HuggingFace's `offsets_original`.
      case .first: text.origins.first?.lowerBound == 0
      case .never: false
      }
    if prepends, let first = text.scalars.first, first != replacement {
      text.scalars.insert(replacement, at: 0)
      text.origins.insert(text.origins[0], at: 0)  // the new mark stands for the first character
    }
    return text
  }
}

/// Pre-tokenizers applied in turn, each to every piece of the one before.
public struct PreTokenizerSequence: PreTokenizer {
  /// The pre-tokenizers, in order.
  public let preTokenizers: [any PreTokenizer]
  public init(_ preTokenizers: [any PreTokenizer]) { self.preTokenizers = preTokenizers }
  public func split(_ text: NormalizedText) -> [NormalizedText] {
    preTokenizers.reduce([text]) { pieces, pre in pieces.flatMap { pre.split($0) } }
  }

  /// Each pre-tokenizer's cuts of the pieces of the one before, when all but the last only
  /// cut (Llama-3's `Split` then `ByteLevel`): the last one prepares the pieces.
  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? {
    guard preTokenizers.dropLast().allSatisfy(\.onlyCuts) else { return nil }
    var ranges = scalars.isEmpty ? [] : [0..<scalars.count]
    for pre in preTokenizers {
      var cut: [Range<Int>] = []
      cut.reserveCapacity(ranges.count)
      for range in ranges {
        let piece = range == scalars.indices ? scalars : Array(scalars[range])
        guard let parts = pre.pieceRanges(piece) else { return nil }
        for part in parts {
          cut.append((part.lowerBound + range.lowerBound)..<(part.upperBound + range.lowerBound))
        }
      }
      ranges = cut
    }
    return ranges
  }

  public func prepare(_ piece: NormalizedText) -> NormalizedText {
    preTokenizers.last.map { $0.prepare(piece) } ?? piece
  }

  public var onlyCuts: Bool { preTokenizers.allSatisfy(\.onlyCuts) }
}

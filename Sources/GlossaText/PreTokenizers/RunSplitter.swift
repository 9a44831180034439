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
    if s.isASCII { return isASCIIWhitespace(UInt8(s.value)) }
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

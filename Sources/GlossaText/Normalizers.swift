import Foundation

/// The first stage of a tokenizer: rewrites the text (case, Unicode form, accents,
/// control characters) while keeping every scalar's origin.
public protocol Normalizer: Sendable {
  func normalize(_ text: inout NormalizedText)
  /// Whether ``normalize(_:)`` would leave this ASCII text (its bytes) as it is, where that is
  /// quick to tell; false where it may change it. A tokenizer then cuts the text as it is,
  /// without keeping alignments.
  func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool
  /// Its object in a tokenizer.json; nil for a normalizer HuggingFace has no form of.
  var json: [String: Any]? { get }
}

extension Normalizer {
  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool { false }
}

/// Whether an ASCII byte is a space by `Unicode.Scalar.Properties.isWhitespace` (tab, line
/// feed, vertical tab, form feed, carriage return, space).
@inline(__always)
func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

/// Lowercases every scalar (full Unicode case mapping).
public struct Lowercase: Normalizer {
  public init() {}
  public func normalize(_ text: inout NormalizedText) {
    text.mapScalars { scalar in
      scalar.properties.changesWhenLowercased
        ? Array(scalar.properties.lowercaseMapping.unicodeScalars) : [scalar]
    }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    !text.contains { $0 >= 0x41 && $0 <= 0x5A }
  }
}

/// A Unicode normalization form.
public struct UnicodeNormalization: Normalizer {
  /// The four Unicode normalization forms.
  public enum Form: String, Sendable, CaseIterable { case nfc, nfd, nfkc, nfkd }
  /// The form applied.
  public let form: Form
  public init(_ form: Form) { self.form = form }

  public func normalize(_ text: inout NormalizedText) {
    // ASCII text is the same in every normalization form.
    guard !text.isASCII else { return }
    let form = self.form
    text.mapCharacters { Self.apply(form, to: $0) }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool { true }

  static func apply(_ form: Form, to string: String) -> String {
    let ns = string as NSString
    switch form {
    case .nfc: return ns.precomposedStringWithCanonicalMapping
    case .nfd: return ns.decomposedStringWithCanonicalMapping
    case .nfkc: return ns.precomposedStringWithCompatibilityMapping
    case .nfkd: return ns.decomposedStringWithCompatibilityMapping
    }
  }
}

/// Removes accents: decomposes (NFD) and drops the combining marks.
public struct StripAccents: Normalizer {
  public init() {}
  public func normalize(_ text: inout NormalizedText) {
    guard !text.isASCII else { return }  // no accents to strip
    UnicodeNormalization(.nfd).normalize(&text)
    text.mapScalars { $0.properties.generalCategory == .nonspacingMark ? [] : [$0] }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool { true }
}

/// Collapses every run of whitespace into one space and trims both ends.
public struct CollapseWhitespace: Normalizer {
  public init() {}
  public func normalize(_ text: inout NormalizedText) {
    var keep: [Int] = []
    var previousSpace = true
    for (i, scalar) in text.scalars.enumerated() {
      let space = scalar.properties.isWhitespace
      if !(space && previousSpace) { keep.append(i) }
      previousSpace = space
    }
    if let last = keep.last, text.scalars[last].properties.isWhitespace { keep.removeLast() }
    text = NormalizedText(
      scalars: keep.map { text.scalars[$0].properties.isWhitespace ? " " : text.scalars[$0] },
      origins: keep.map { text.origins[$0] })
  }
}

/// BERT's normalizer: drops control characters, turns whitespace into spaces, puts spaces
/// around CJK ideographs, strips accents and lowercases.
public struct BertNormalizer: Normalizer {
  /// Which of BERT's steps run.
  public var cleanText = true, handleChineseCharacters = true, stripAccents = true, lowercase = true
  public init(
    cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil,
    lowercase: Bool = true
  ) {
    self.cleanText = cleanText
    self.handleChineseCharacters = handleChineseCharacters
    self.stripAccents = stripAccents ?? lowercase  // BERT's rule: unset follows lowercase
    self.lowercase = lowercase
  }

  public func normalize(_ text: inout NormalizedText) {
    if cleanText {
      text.mapScalars { scalar in
        if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { return [] }
        return scalar.properties.isWhitespace ? [" "] : [scalar]
      }
    }
    if handleChineseCharacters && !text.isASCII {
      text.mapScalars { Self.isChinese($0) ? [" ", $0, " "] : [$0] }
    }
    if stripAccents { StripAccents().normalize(&text) }
    if lowercase { Lowercase().normalize(&text) }
  }

  /// ASCII text keeps its Chinese characters and accents (it has none); cleaning changes its
  /// control characters and its spaces other than " ", lowercasing its capitals.
  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    !text.contains { byte in
      (cleanText && (byte < 0x20 || byte == 0x7F)) || (lowercase && byte >= 0x41 && byte <= 0x5A)
    }
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
    switch scalar.properties.generalCategory {
    case .control, .format, .privateUse, .surrogate, .unassigned: return true
    default: return false
    }
  }

  static func isChinese(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
      0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default: return false
    }
  }
}

/// Normalizers applied one after another.
public struct NormalizerSequence: Normalizer {
  /// The normalizers, in order.
  public let normalizers: [any Normalizer]
  public init(_ normalizers: [any Normalizer]) { self.normalizers = normalizers }
  public func normalize(_ text: inout NormalizedText) {
    for normalizer in normalizers { normalizer.normalize(&text) }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    normalizers.allSatisfy { $0.leavesUnchanged(ascii: text) }
  }
}

/// Puts `prefix` in front of a text that is not empty (sentencepiece's `▁`, as Llama-2 and
/// Mistral files prepend it); its scalars stand for the text's first scalar.
public struct Prepend: Normalizer {
  /// What goes in front.
  public let prefix: String
  public init(_ prefix: String) { self.prefix = prefix }
  public func normalize(_ text: inout NormalizedText) {
    guard let first = text.origins.first else { return }
    let added = Array(prefix.unicodeScalars)
    text.scalars.insert(contentsOf: added, at: 0)
    text.origins.insert(contentsOf: repeatElement(first, count: added.count), at: 0)
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    text.isEmpty || prefix.isEmpty
  }
}

/// Replaces every match of `pattern` (a string, left to right, without overlaps, or a regular
/// expression) by `content`, taken literally; the k-th new scalar stands for the k-th scalar it
/// replaces (the last one when there are more), as HuggingFace aligns them.
public struct Replace: Normalizer {
  /// What is replaced, and by what.
  public let pattern: String, content: String
  /// The pattern compiled, when it is a regular expression.
  private let expression: ScalarRegex?
  /// Whether `pattern` is a regular expression.
  public var isRegularExpression: Bool { expression != nil }

  /// Replaces the string `pattern`.
  public init(_ pattern: String, with content: String) {
    precondition(!pattern.isEmpty, "Replace: an empty pattern")
    (self.pattern, self.content, expression) = (pattern, content, nil)
  }

  /// Replaces the matches of a regular expression; throws when it does not compile.
  public init(regularExpression pattern: String, with content: String) throws {
    (self.pattern, self.content, expression) = (pattern, content, try ScalarRegex(pattern))
  }

  public func normalize(_ text: inout NormalizedText) {
    let content = Array(content.unicodeScalars)
    let matches = expression?.matches(in: text.scalars) ?? stringMatches(in: text.scalars)
    guard !matches.isEmpty else { return }
    var (scalars, origins) = ([Unicode.Scalar](), [Range<Int>]())
    scalars.reserveCapacity(text.scalars.count)
    origins.reserveCapacity(text.scalars.count)
    var i = 0
    for match in matches {
      scalars += text.scalars[i..<match.lowerBound]
      origins += text.origins[i..<match.lowerBound]
      // An empty match stands for the scalar after it (or the one before, at the end).
      let last = max(match.lowerBound, min(match.upperBound, text.scalars.count) - 1)
      for k in content.indices {
        scalars.append(content[k])
        origins.append(
          text.origins.isEmpty ? 0..<0 : text.origins[min(match.lowerBound + k, last, text.origins.count - 1)]
        )
      }
      i = match.upperBound
    }
    scalars += text.scalars[i...]
    origins += text.origins[i...]
    (text.scalars, text.origins) = (scalars, origins)
  }

  /// A string pattern is looked for in the bytes; a regular expression only when it is a
  /// run of one character (`" {2,}"`), matched by hand.
  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    if let expression { return expression.matchesNothing(inASCII: text) ?? false }
    guard pattern.utf8.allSatisfy({ $0 < 0x80 }) else { return true }  // cannot occur
    let pattern = Array(self.pattern.utf8)
    guard text.count >= pattern.count else { return true }
    return !(0...(text.count - pattern.count)).contains { i in
      text[i] == pattern[0] && (1..<pattern.count).allSatisfy { text[i + $0] == pattern[$0] }
    }
  }

  /// The occurrences of the string pattern, left to right, without overlaps.
  private func stringMatches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
    let pattern = Array(self.pattern.unicodeScalars)
    var matches: [Range<Int>] = []
    var i = 0
    while i + pattern.count <= scalars.count {
      if scalars[i..<(i + pattern.count)].elementsEqual(pattern) {
        matches.append(i..<(i + pattern.count))
        i += pattern.count
      } else {
        i += 1
      }
    }
    return matches
  }
}

/// Removes whitespace from the start and the end of the text (HuggingFace's `Strip`).
public struct Strip: Normalizer {
  /// Which ends are stripped.
  public let left: Bool, right: Bool
  public init(left: Bool = true, right: Bool = true) { (self.left, self.right) = (left, right) }
  public func normalize(_ text: inout NormalizedText) {
    var (start, end) = (0, text.scalars.count)
    while left, start < end, text.scalars[start].properties.isWhitespace { start += 1 }
    while right, end > start, text.scalars[end - 1].properties.isWhitespace { end -= 1 }
    if start > 0 || end < text.scalars.count { text = text.slice(start..<end) }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let first = text.first, let last = text.last else { return true }
    return !(left && isASCIIWhitespace(first)) && !(right && isASCIIWhitespace(last))
  }
}

/// Each scalar's UTF-8 bytes written as GPT-2's printable stand-ins, each standing for the
/// scalar (HuggingFace's `ByteLevel` normalizer; ``ByteLevel`` the pre-tokenizer also cuts).
public struct ByteLevelNormalizer: Normalizer {
  public init() {}
  public func normalize(_ text: inout NormalizedText) { text = ByteLevel().prepare(text) }

  /// The printable ASCII bytes other than the space are their own stand-ins.
  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    text.allSatisfy { $0 > 0x20 && $0 < 0x7F }
  }
}

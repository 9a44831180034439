import Foundation

/// NLTK's word tokenizers, rule for rule: the Penn Treebank conventions (punctuation split
/// off, "don't" → "do" "n't", "cannot" → "can" "not", double quotes as `` and '') as a
/// sequence of regular-expression rewrites of the text, then a split on whitespace.
///
/// `.nltk` is `nltk.word_tokenize` without sentence splitting (NLTK's improved
/// `NLTKWordTokenizer`); `.classic` is the original `TreebankWordTokenizer`. Only the final
/// period of the text is split off, as NLTK does without its sentence splitter.
public struct TreebankTokenizer: WordTokenizer {
  /// NLTK's improved word tokenizer, or the original Treebank rules.
  public enum Variant: Sendable { case nltk, classic }
  /// Which rules apply.
  public let variant: Variant

  public init(_ variant: Variant = .nltk) { self.variant = variant }

  /// A rewrite: a regular expression, its replacement template, and the text that any match
  /// must contain (one of `needles`, or the text starting with `prefix`), so that a rule
  /// whose characters are absent is skipped without running the regex engine.
  ///
  /// A class, so that running through a list of rules copies one reference per rule rather
  /// than every field.
  final class Rule: @unchecked Sendable {
    let regex: NSRegularExpression
    let template: String
    let needles: [[UInt8]]
    let prefix: [UInt8]?
    let caseInsensitive: Bool
    /// The same rewrite written out by hand, for the rules that run on most texts (tested
    /// against the regex).
    let native: (@Sendable (String) -> String)?

    init(
      regex: NSRegularExpression, template: String, needles: [[UInt8]], prefix: [UInt8]?,
      caseInsensitive: Bool,
      native: (@Sendable (String) -> String)? = nil
    ) {
      (self.regex, self.template, self.needles, self.prefix) = (regex, template, needles, prefix)
      (self.caseInsensitive, self.native) = (caseInsensitive, native)
    }

    /// The text with the rule applied.
    func rewrite(_ text: String) -> String {
      if let native { return native(text) }
      return regex.stringByReplacingMatches(
        in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    /// Whether the rule could match `text` (bytes, with `lowered` its ASCII lowercasing, or
    /// nil when the text is not ASCII).
    func mayMatch(_ text: UnsafeBufferPointer<UInt8>, lowered: [UInt8]?) -> Bool {
      if let prefix { return text.starts(with: prefix) }
      guard caseInsensitive else { return needles.contains { contains(text, $0) } }
      // Unicode case folding can match in unforeseen ways: only ASCII text is filtered.
      guard let lowered else { return true }
      return lowered.withUnsafeBufferPointer { lowered in needles.contains { contains(lowered, $0) } }
    }

    private func contains(_ text: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
      guard let first = needle.first, text.count >= needle.count, let base = text.baseAddress else {
        return false
      }
      var i = 0
      while i + needle.count <= text.count {
        // The first byte by memchr, then the rest.
        guard let hit = memchr(base + i, Int32(first), text.count - needle.count + 1 - i) else {
          return false
        }
        i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
        if memcmp(base + i, needle, needle.count) == 0 { return true }
        i += 1
      }
      return false
    }
  }

  /// A rule that can only match text holding one of `needles` (or starting with `prefix`).
  static func rule(
    _ pattern: String, _ template: String, needles: [String] = [], prefix: String? = nil,
    caseInsensitive: Bool = false
  ) -> Rule {
    let options: NSRegularExpression.Options = caseInsensitive ? [.caseInsensitive] : []
    return Rule(
      regex: try! NSRegularExpression(pattern: pattern, options: options), template: template,
      needles: needles.map { Array($0.utf8) }, prefix: prefix.map { Array($0.utf8) },
      caseInsensitive: caseInsensitive)
  }

  static let startingQuotes: [Variant: [Rule]] = [
    .nltk: [
      rule("([«“‘„]|[`]+)", " $1 ", needles: ["«", "“", "‘", "„", "`"]),
      rule("^\"", "``", prefix: "\""),
      rule("(``)", " $1 ", needles: ["``"]),
      openingDoubleQuotes,
      // An opening single quote before a word that is not a clitic ('s, 're, …).
      with(
        rule("(?<!\\w)(')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)", "$1 ", needles: ["'"], caseInsensitive: true),
        splitOpeningQuotes),
    ],
    .classic: [
      rule("^\"", "``", prefix: "\""),
      rule("(``)", " $1 ", needles: ["``"]),
      openingDoubleQuotes,
    ],
  ]

  /// `([ (\[{<])("|'{2})` → "$1 `` ": a double quote (or two single ones) after a space or
  /// an opening bracket becomes an opening quote.
  static let openingDoubleQuotes = with(rule("([ (\\[{<])(\"|'{2})", "$1 `` ", needles: ["\"", "''"])) {
    rewriteBytes($0) { b, i, out in
      out.append(b[i])
      guard " ([{<".utf8.contains(b[i]) && i + 1 < b.count else { return i + 1 }
      let quote =
        b[i + 1] == UInt8(ascii: "\"")
        ? 1 : (i + 2 < b.count && b[i + 1] == UInt8(ascii: "'") && b[i + 2] == UInt8(ascii: "'")) ? 2 : 0
      guard quote > 0 else { return i + 1 }
      out += " `` ".utf8
      return i + 1 + quote
    }
  }

  /// What may follow a text's final period: closing brackets and quotes (NLTK's improved
  /// rules add the curly quotes and the space).
  static let closers = Array("])}>\"'".unicodeScalars)
  static let closersAndQuotes = Array("])}>\"'»”’ ".unicodeScalars)

  /// The punctuation rules both variants share (NLTK's lists differ in a few places only).
  static let colonOrComma = with(rule("([:,])([^\\d])", " $1 $2", needles: [":", ","]), splitColonsAndCommas)
  static let colonOrCommaAtEnd = with(rule("([:,])$", " $1 ", needles: [":", ","]), splitFinalColonOrComma)
  static let symbols = spaced(rule("[;@#$%&]", " $0 ", needles: [";", "@", "#", "$", "%", "&"]))
  static let finalPeriod = with(
    rule("([^\\.])(\\.)([\\]\\)}>\"']*)\\s*$", "$1 $2$3 ", needles: ["."]),
    { splitFinalPeriod($0, closers: closers, spaced: false) })
  static let questionOrExclamation = spaced(rule("[?!]", " $0 ", needles: ["?", "!"]))
  static let quoteBeforeSpace = rule("([^'])' ", "$1 ' ", needles: ["' "])

  static let punctuation: [Variant: [Rule]] = [
    .nltk: [
      with(
        rule("([^\\.])(\\.)([\\]\\)}>\"'»”’ ]*)\\s*$", "$1 $2 $3 ", needles: ["."]),
        { splitFinalPeriod($0, closers: closersAndQuotes, spaced: true) }),
      colonOrComma, colonOrCommaAtEnd,
      rule("\\.{2,}", " $0 ", needles: [".."]),
      symbols, finalPeriod, questionOrExclamation, quoteBeforeSpace,
      spaced(rule("[*]", " $0 ", needles: ["*"])),
    ],
    .classic: [
      colonOrComma, colonOrCommaAtEnd,
      spaced(rule("\\.\\.\\.", " ... ", needles: ["..."])),
      symbols, finalPeriod, questionOrExclamation, quoteBeforeSpace,
    ],
  ]

  static let brackets = spaced(
    rule("[\\]\\[\\(\\)\\{\\}<>]", " $0 ", needles: ["]", "[", "(", ")", "{", "}", "<", ">"]))
  static let doubleDashes = spaced(rule("--", " -- ", needles: ["--"]))
  static let bracketsAndDashes = [brackets, doubleDashes]

  /// The ending-quote rules both variants share: double quotes, then clitics split off.
  static let sharedEndingQuotes = [
    spaced(rule("''", " '' ", needles: ["''"])),
    spaced(rule("\"", " '' ", needles: ["\""]), as: "''"),
    clitics(
      rule("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 ", needles: ["'"]),
      ["'s", "'S", "'m", "'M", "'d", "'D", "'"]),
    clitics(
      rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 ", needles: ["'"]),
      ["'ll", "'LL", "'re", "'RE", "'ve", "'VE", "n't", "N'T"]),
  ]

  static let endingQuotes: [Variant: [Rule]] = [
    .nltk: [rule("([»”’])", " $1 ", needles: ["»", "”", "’"])] + sharedEndingQuotes,
    .classic: sharedEndingQuotes,
  ]

  /// "cannot" → "can not", "gimme" → "gim me", … and "'tis" → "'t is".
  static let contractions: [Rule] =
    [
      ("can", "not"), ("d", "'ye"), ("gim", "me"), ("gon", "na"), ("got", "ta"), ("lem", "me"),
      ("more", "'n"),
    ].map {
      rule("\\b(\($0))(\($1))\\b", " $1 $2 ", needles: [$0 + $1], caseInsensitive: true)
    } + [rule("\\b(wan)(na)(?=\\s)", " $1 $2 ", needles: ["wanna"], caseInsensitive: true)]
    + [("'t", "is"), ("'t", "was")].map {
      rule(" (\($0))(\($1))\\b", " $1 $2 ", needles: [" " + $0 + $1], caseInsensitive: true)
    }

  /// The tokens' texts.
  public func words(_ text: String) -> [String] { words(text, skippingRules: true) }

  /// The tokens' texts, with rules that cannot match skipped or (to check the skipping)
  /// every rule run.
  func words(_ text: String, skippingRules: Bool) -> [String] {
    func apply(_ rules: [Rule], _ text: inout String) {
      // The ASCII lowercasing that case-insensitive rules are checked against, made when
      // first needed and again only after a rule has rewritten the text.
      var lowered: [UInt8]?? = nil
      for rule in rules {
        var utf8 = text
        let mayMatch = utf8.withUTF8 { bytes in
          if rule.caseInsensitive && lowered == nil {
            lowered = .some(isASCII(bytes) ? bytes.map(asciiLowercase) : nil)
          }
          return rule.mayMatch(bytes, lowered: rule.caseInsensitive ? lowered! : nil)
        }
        guard mayMatch || !skippingRules else { continue }
        text = rule.rewrite(text)
        lowered = nil
      }
    }
    var text = text
    apply(Self.startingQuotes[variant]!, &text)
    apply(Self.punctuation[variant]!, &text)
    apply(Self.bracketsAndDashes, &text)
    text = " " + text + " "
    apply(Self.endingQuotes[variant]!, &text)
    apply(Self.contractions, &text)
    return Self.splitOnWhitespace(text)
  }

  static func with(_ rule: Rule, _ native: @escaping @Sendable (String) -> String) -> Rule {
    Rule(
      regex: rule.regex, template: rule.template, needles: rule.needles, prefix: rule.prefix,
      caseInsensitive: rule.caseInsensitive, native: native)
  }

  /// ICU's `\s`: the Unicode White_Space characters (the line terminators among them).
  static func isRegexSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }

  /// ICU's line terminators, before the last of which `$` also matches.
  static func isLineTerminator(_ s: Unicode.Scalar) -> Bool {
    ["\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains(s)
  }

  /// Where `$` can match in `text`, in order: before a final line terminator (or CR LF), and
  /// the end.
  static func ends(_ text: String) -> [String.Index] {
    let s = text.unicodeScalars
    guard let last = s.indices.last, isLineTerminator(s[last]) else { return [s.endIndex] }
    if s[last] == "\n", last > s.startIndex, s[s.index(before: last)] == "\r" {
      return [s.index(before: last), s.endIndex]
    }
    return [last, s.endIndex]
  }

  /// `([^\.])(\.)([closers]*)\s*$` → `$1 $2 $3 ` (or `$1 $2$3 ` unless `spaced`): only the
  /// text's last period can match, when a non-period precedes it and only closers, then
  /// white space (which takes in every line terminator), follow.
  static func splitFinalPeriod(_ text: String, closers: [Unicode.Scalar], spaced: Bool) -> String {
    let s = text.unicodeScalars
    guard let dot = text.utf8.lastIndex(of: UInt8(ascii: ".")), dot > s.startIndex,
      s[s.index(before: dot)] != "."
    else { return text }
    let afterDot = s.index(after: dot)
    var q = afterDot
    while q < s.endIndex && closers.contains(s[q]) { q = s.index(after: q) }
    var r = q
    while r < s.endIndex && isRegexSpace(s[r]) { r = s.index(after: r) }
    guard r == s.endIndex else { return text }
    return String(text[..<dot]) + (spaced ? " . " : " .") + String(text[afterDot..<q]) + " "
  }

  /// `([:,])([^\d])` → ` $1 $2`, left to right without overlaps.
  static func splitColonsAndCommas(_ text: String) -> String {
    rewriteBytes(text) { b, i, out in
      let c = b[i]
      if (c == UInt8(ascii: ":") || c == UInt8(ascii: ",")) && i + 1 < b.count {
        let (next, width) = utf8Scalar(b, at: i + 1)
        if next.properties.generalCategory != .decimalNumber {
          out += [0x20, c, 0x20]
          out.append(contentsOf: b[(i + 1)..<(i + 1 + width)])
          return i + 1 + width
        }
      }
      out.append(c)
      return i + 1
    }
  }

  /// `text` rewritten from its UTF-8 bytes: `step(bytes, i, &out)` appends to `out` what
  /// the text from byte i becomes and returns the byte to go on from. The hand-written rules'
  /// common loop.
  @inline(__always)
  static func rewriteBytes(
    _ text: String, _ step: (UnsafeBufferPointer<UInt8>, Int, inout [UInt8]) -> Int
  ) -> String {
    var text = text
    return text.withUTF8 { b in
      var out: [UInt8] = []
      out.reserveCapacity(b.count + 32)
      var i = 0
      while i < b.count { i = step(b, i, &out) }
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// A rule whose every match is one of its ASCII `needles`, replaced between spaces by
  /// itself or by `replacement` (`[;@#$%&]` → ` $0 `, `--` → ` -- `, `"` → ` '' `), with that
  /// rewrite written out by hand.
  static func spaced(_ rule: Rule, as replacement: String? = nil) -> Rule {
    let needles = rule.needles
    let replacement = replacement.map { Array($0.utf8) }
    // Which ASCII bytes start a needle, worked out once for the rule.
    var starts = [Bool](repeating: false, count: 128)
    for needle in needles { starts[Int(needle[0])] = true }
    return with(rule) { [starts] in spaceAround(needles, starting: starts, with: replacement, in: $0) }
  }

  /// The rule `([^' ])(clitic₁|clitic₂|…) ` with ``splitClitics(_:in:)`` as its rewrite.
  static func clitics(_ rule: Rule, _ clitics: [String]) -> Rule {
    let clitics = clitics.map { Array($0.utf8) }
    return with(rule) { splitClitics(clitics, in: $0) }
  }

  /// Each occurrence of one of `needles` (ASCII bytes; `starts[b]`: whether one starts with
  /// byte b), or `replacement` in its place, put between spaces, left to right without
  /// overlaps. ASCII bytes never occur inside a longer
  /// UTF-8 sequence, so the text is scanned as bytes.
  static func spaceAround(
    _ needles: [[UInt8]], starting starts: [Bool], with replacement: [UInt8]?, in text: String
  ) -> String {
    rewriteBytes(text) { b, i, out in
      if b[i] < 0x80 && starts[Int(b[i])] {
        for needle in needles
        where needle.count <= b.count - i && b[i..<(i + needle.count)].elementsEqual(needle) {
          out.append(0x20)
          out += replacement ?? needle
          out.append(0x20)
          return i + needle.count
        }
      }
      out.append(b[i])
      return i + 1
    }
  }

  /// `([^' ])(clitic₁|clitic₂|…) ` → `$1 $2 `: a clitic (ASCII, tried in order) after any
  /// scalar but an apostrophe or a space, and before a space, split from the word.
  static func splitClitics(_ clitics: [[UInt8]], in text: String) -> String {
    rewriteBytes(text) { b, i, out in
      let width = utf8Scalar(b, at: i).width
      let j = i + width
      if b[i] != UInt8(ascii: "'") && b[i] != UInt8(ascii: " ") {
        for clitic in clitics
        where j + clitic.count < b.count && b[j..<(j + clitic.count)].elementsEqual(clitic)
          && b[j + clitic.count] == UInt8(ascii: " ")
        {
          out += b[i..<j]
          out.append(0x20)
          out += clitic
          out.append(0x20)
          return j + clitic.count + 1
        }
      }
      out += b[i..<min(j, b.count)]
      return j
    }
  }

  /// `(?<!\w)(')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)` → `$1 `, ignoring case: an apostrophe
  /// that opens a word which does not start with a clitic ('s, 're, …) gets a space after it.
  static func splitOpeningQuotes(_ text: String) -> String {
    rewriteBytes(text) { b, i, out in
      out.append(b[i])
      if b[i] == UInt8(ascii: "'") && opensWord(b, at: i) { out.append(0x20) }
      return i + 1
    }
  }

  /// Whether the apostrophe at byte `i` follows no word character, precedes one, and is not
  /// followed by a clitic and a word boundary.
  private static func opensWord(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
    if i > 0 {
      var start = i - 1
      while start > 0 && b[start] & 0xC0 == 0x80 { start -= 1 }
      if isICUWordCharacter(utf8Scalar(b, at: start).scalar) { return false }
    }
    guard i + 1 < b.count, isICUWordCharacter(utf8Scalar(b, at: i + 1).scalar) else { return false }
    // The letters that follow, folded to lowercase ASCII (ſ, a long s, folds to s), with
    // where each ends; nil past the text or at another scalar.
    func letter(_ k: Int) -> (UInt8, end: Int)? {
      guard k < b.count else { return nil }
      if b[k] < 0x80 { return (b[k] | 0x20, k + 1) }
      if b[k] == 0xC5 && k + 1 < b.count && b[k + 1] == 0xBF { return (UInt8(ascii: "s"), k + 2) }
      return nil
    }
    func boundary(at k: Int) -> Bool { k >= b.count || !isICUWordCharacter(utf8Scalar(b, at: k).scalar) }
    guard let (first, afterFirst) = letter(i + 1) else { return true }
    switch first {
    case UInt8(ascii: "m"), UInt8(ascii: "t"), UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "n"):
      return !boundary(at: afterFirst)
    case UInt8(ascii: "r"), UInt8(ascii: "v"), UInt8(ascii: "l"):
      let second = first == UInt8(ascii: "l") ? UInt8(ascii: "l") : UInt8(ascii: "e")
      guard let (next, afterSecond) = letter(afterFirst), next == second else { return true }
      return !boundary(at: afterSecond)
    default:
      return true
    }
  }

  /// ICU's `\w` (and the word side of `\b`): alphabetic, marks, decimal digits, connector
  /// punctuation, and the zero-width (non-)joiners.
  static func isICUWordCharacter(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII { return RegexWordTokenizer.isWordCharacter(s) }
    if s.value == 0x200C || s.value == 0x200D || s.properties.isAlphabetic { return true }
    switch s.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
    default: return false
    }
  }

  /// `([:,])$` → ` $1 `: a colon or comma at the end (or before a final line terminator).
  static func splitFinalColonOrComma(_ text: String) -> String {
    let s = text.unicodeScalars
    for end in ends(text) where end > s.startIndex {
      let at = s.index(before: end)
      guard s[at] == ":" || s[at] == "," else { continue }
      return String(text[..<at]) + " " + String(s[at]) + " " + String(text[end...])
    }
    return text
  }

  /// The text split on whitespace (`Character.isWhitespace`): ASCII text by the whitespace
  /// tokenizer's byte scan (its whitespace and `Character`'s agree on ASCII: 9–13 and 32).
  static func splitOnWhitespace(_ text: String) -> [String] {
    var utf8 = text
    return utf8.withUTF8(isASCII)
      ? WhitespaceTokenizer().words(text) : text.split(whereSeparator: \.isWhitespace).map(String.init)
  }

  /// The tokens with their scalar offsets, each found in the text after the one before;
  /// the tokens ` `` ` and `''` stand for the text's double quotes (`"`, ` `` ` or `''`), taken
  /// in order.
  public func tokenize(_ text: String) -> [Token] {
    let scalars = Array(text.unicodeScalars)
    var quotes = Self.doubleQuotes(in: scalars)
    var offset = 0
    var tokens: [Token] = []
    for word in words(text) {
      var needle = Array(word.unicodeScalars)
      if ["``", "''", "\""].contains(word), !quotes.isEmpty { needle = quotes.removeFirst() }
      guard let start = Self.find(needle, in: scalars, from: offset) else { continue }
      tokens.append(Token(word, start: start, end: start + needle.count))
      offset = start + needle.count
    }
    return tokens
  }

  /// The double quotes of the text in order: each ``, '' or ".
  static func doubleQuotes(in s: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
    var result: [[Unicode.Scalar]] = []
    var i = 0
    while i < s.count {
      if i + 1 < s.count && (s[i] == "`" || s[i] == "'") && s[i + 1] == s[i] {
        result.append([s[i], s[i]])
        i += 2
      } else {
        if s[i] == "\"" { result.append(["\""]) }
        i += 1
      }
    }
    return result
  }

  static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    var i = start
    while i + needle.count <= haystack.count {
      if haystack[i] == needle[0] && needle.indices.allSatisfy({ haystack[i + $0] == needle[$0] }) {
        return i
      }
      i += 1
    }
    return nil
  }
}

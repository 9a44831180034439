/// The split pattern of GPT-4's tokenizer (cl100k), which Llama-3's and Qwen2's tokenizer.json
/// files carry in a `Split` pre-tokenizer, run by hand instead of by a regular-expression
/// engine:
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
///     | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// (Qwen2's takes digits one at a time: `\p{N}`; tiktoken's own cl100k pattern, with
/// possessive quantifiers, keeps whitespace that ends the text as one piece). At each place the first alternative that
/// matches wins, each as long as it can be: an English contraction; a word with at most one
/// character before it that is neither a letter, a digit nor a line end; up to three digits;
/// a run of symbols, with one space before it and the line ends after it; whitespace up to its
/// last line end; whitespace but the one space before a word; whitespace. `\s` is Unicode's
/// White_Space, as in HuggingFace's Oniguruma patterns. Tested piece for piece against
/// HuggingFace's `Split` on random text.
struct GPT4Pattern: Sendable {
  /// How many digits a number piece holds at most (3 for GPT-4 and Llama-3, 1 for Qwen2).
  let maximumDigits: Int
  /// Whether whitespace that runs to the end of the text is one piece (tiktoken's own cl100k
  /// pattern, `\s++$` before `\s*[\r\n]`), rather than cut after its last line end.
  var keepsTrailingWhitespace = false

  /// The patterns run by hand, as tokenizer.json files write them.
  static let patterns: [String: GPT4Pattern] = [
    #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
      GPT4Pattern(maximumDigits: 3),
    #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
      GPT4Pattern(maximumDigits: 1),
    Tokenizer.cl100kSplitPattern: GPT4Pattern(maximumDigits: 3, keepsTrailingWhitespace: true),
  ]

  /// A scalar's class in the pattern.
  private enum Class: UInt8 { case letter, number, lineEnd, space, other }

  /// The classes of the ASCII scalars.
  private static let asciiClasses: [Class] = (0..<128).map { classify(Unicode.Scalar(UInt8($0))) }

  private static func classify(_ s: Unicode.Scalar) -> Class {
    if s == "\r" || s == "\n" { return .lineEnd }
    if ScalarClass.isSpace(s) { return .space }
    if ScalarClass.isLetter(s) { return .letter }
    if ScalarClass.isNumber(s) { return .number }
    return .other
  }

  /// Calls `found` with each match in `scalars`, in order; the matches cover the text.
  func matches(_ scalars: [Unicode.Scalar], _ found: (Range<Int>) -> Void) {
    let n = scalars.count
    var classes = [Class](repeating: .other, count: n)
    for (i, s) in scalars.enumerated() {
      classes[i] = s.value < 128 ? Self.asciiClasses[Int(s.value)] : Self.classify(s)
    }
    func isSpace(_ i: Int) -> Bool { classes[i] == .space || classes[i] == .lineEnd }
    var i = 0
    while i < n {
      let end = match(at: i, scalars, classes, n, isSpace)
      found(i..<end)
      i = end
    }
  }

  /// Where the match starting at `i` ends.
  private func match(
    at i: Int, _ scalars: [Unicode.Scalar], _ classes: [Class], _ n: Int, _ isSpace: (Int) -> Bool
  ) -> Int {
    // (?i:'s|'t|'re|'ve|'m|'ll|'d): `ſ` folds to s.
    if scalars[i] == "'", i + 1 < n {
      func lower(_ k: Int) -> Unicode.Scalar {
        let s = scalars[k]
        if s == "\u{17F}" { return "s" }
        return s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value | 0x20)! : s
      }
      let second = lower(i + 1)
      if second == "s" || second == "t" || second == "m" || second == "d" { return i + 2 }
      if i + 2 < n {
        let third = lower(i + 2)
        if (second == "r" || second == "v") && third == "e" || second == "l" && third == "l" { return i + 3 }
      }
    }
    func letters(from k: Int) -> Int {
      var k = k
      while k < n && classes[k] == .letter { k += 1 }
      return k
    }
    switch classes[i] {
    case .letter: return letters(from: i + 1)
    case .number:
      var k = i + 1
      while k < n && k < i + maximumDigits && classes[k] == .number { k += 1 }
      return k
    case .other, .space:
      // [^\r\n\p{L}\p{N}]?\p{L}+
      if i + 1 < n && classes[i + 1] == .letter { return letters(from: i + 2) }
    case .lineEnd: break
    }
    // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
    let symbols = scalars[i] == " " ? i + 1 : i
    if symbols < n && classes[symbols] == .other {
      var k = symbols + 1
      while k < n && classes[k] == .other { k += 1 }
      while k < n && classes[k] == .lineEnd { k += 1 }
      return k
    }
    // Whitespace: (tiktoken: `\s++$`), `\s*[\r\n]+`, then `\s+(?!\S)`, then `\s+`.
    var end = i
    var lastLineEnd = -1
    while end < n && isSpace(end) {
      if classes[end] == .lineEnd { lastLineEnd = end }
      end += 1
    }
    if keepsTrailingWhitespace && end == n { return end }
    if lastLineEnd >= 0 { return lastLineEnd + 1 }
    if end < n && end - i >= 2 { return end - 1 }
    return end
  }
}

import Foundation

/// BLEU (Papineni et al., 2002) exactly as sacreBLEU computes it by default: each segment
/// tokenized by mteval-v13a's rules (``tokenize13a(_:)``), word n-grams of orders 1–4 counted over
/// the whole corpus, each hypothesis n-gram's count clipped to its largest count in any one
/// reference, the reference length closest to the hypothesis's (the shorter on a tie), the
/// brevity penalty BP = e^(1 − r/c) when the c hypothesis words are fewer than the r reference
/// words, and the `exp` smoothing of mteval (the k-th order without a match counts 1/2^k of a
/// match). BLEU = BP · exp(¼ Σₙ log pₙ), in percent.
public struct BLEU: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The score, 0–100.
  public var score: Double
  /// The n-gram precisions pₙ (percent), orders 1–4, smoothed.
  public var precisions: [Double]
  /// The brevity penalty.
  public var brevityPenalty: Double
  /// Hypothesis words (c) and the closest reference words (r), over the corpus.
  public var hypothesisLength: Int
  public var referenceLength: Int
  /// Matching (clipped) n-grams and hypothesis n-grams per order.
  public var counts: [Int]
  public var totals: [Int]
  /// References per segment.
  public var referenceCount: Int

  /// The version of sacreBLEU whose output these metrics reproduce (tested against its values).
  public static let sacreBLEUVersion = "2.6.0"
  /// The highest n-gram order.
  public static let maximumOrder = 4

  /// The corpus BLEU of `hypotheses` against one or more reference streams, each as long as the
  /// hypotheses (`references[k][i]` is the k-th reference of segment i), as
  /// `sacrebleu.corpus_bleu(hypotheses, references)`.
  public init(hypotheses: [String], references: [[String]]) throws {
    try Self.checkStreams(hypotheses, references)
    var counts = [Int](repeating: 0, count: Self.maximumOrder)
    var totals = counts
    var (hypothesisLength, referenceLength) = (0, 0)
    for (i, hypothesis) in hypotheses.enumerated() {
      var referenceNGrams: [String: Int] = [:]
      var lengths: [Int] = []
      for stream in references {
        let words = Self.words(stream[i])
        lengths.append(words.count)
        for (ngram, count) in Self.ngrams(words) {
          referenceNGrams[ngram] = max(referenceNGrams[ngram] ?? 0, count)
        }
      }
      let words = Self.words(hypothesis)
      hypothesisLength += words.count
      // The closest reference length; the shorter one on a tie.
      var closest = (difference: Int.max, length: 0)
      for length in lengths {
        let difference = abs(words.count - length)
        if difference < closest.difference || (difference == closest.difference && length < closest.length) {
          closest = (difference, length)
        }
      }
      referenceLength += closest.length
      for n in 1...Self.maximumOrder { totals[n - 1] += max(0, words.count - n + 1) }
      for (ngram, count) in Self.ngrams(words) {
        let order = ngram.utf8.reduce(1) { $1 == 0x20 ? $0 + 1 : $0 }
        counts[order - 1] += min(count, referenceNGrams[ngram] ?? 0)
      }
    }
    self.init(
      counts: counts, totals: totals, hypothesisLength: hypothesisLength, referenceLength: referenceLength,
      referenceCount: references.count)
  }

  /// BLEU from its sufficient statistics (sacreBLEU's `compute_bleu` with `exp` smoothing).
  public init(
    counts: [Int], totals: [Int], hypothesisLength: Int, referenceLength: Int, referenceCount: Int = 1
  ) {
    (self.counts, self.totals, self.referenceCount) = (counts, totals, referenceCount)
    (self.hypothesisLength, self.referenceLength) = (hypothesisLength, referenceLength)
    brevityPenalty =
      hypothesisLength >= referenceLength
      ? 1 : hypothesisLength > 0 ? Foundation.exp(1 - Double(referenceLength) / Double(hypothesisLength)) : 0
    precisions = [Double](repeating: 0, count: counts.count)
    score = 0
    guard counts.contains(where: { $0 > 0 }) else { return }
    var halving = 1.0
    for n in counts.indices {
      guard totals[n] > 0 else { break }
      if counts[n] == 0 {
        halving *= 2
        precisions[n] = 100 / (halving * Double(totals[n]))
      } else {
        precisions[n] = 100 * Double(counts[n]) / Double(totals[n])
      }
    }
    // A zero precision (no n-grams of that order at all) floors its log, as sacreBLEU does.
    let logs = precisions.map { $0 == 0 ? -9_999_999_999 : Foundation.log($0) }
    score = brevityPenalty * Foundation.exp(logs.reduce(0, +) / Double(counts.count))
  }

  /// sacreBLEU's signature of these settings, so that the number can be reproduced.
  public var signature: String {
    "nrefs:\(referenceCount)|case:mixed|eff:no|tok:13a|smooth:exp|version:\(Self.sacreBLEUVersion)"
  }

  /// The score as sacreBLEU prints it:
  /// `BLEU = 22.96 66.7/40.0/12.5/8.3 (BP = 1.000 ratio = 1.000 hyp_len = 6 ref_len = 6)`.
  public var description: String {
    let ratio = referenceLength > 0 ? Double(hypothesisLength) / Double(referenceLength) : 0
    return String(format: "BLEU = %.2f ", score)
      + precisions.map { String(format: "%.1f", $0) }.joined(separator: "/")
      + String(
        format: " (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)", brevityPenalty, ratio,
        hypothesisLength,
        referenceLength)
  }

  /// A segment's words: trailing whitespace removed, then ``tokenize13a(_:)``, split at spaces.
  static func words(_ segment: String) -> [Substring] {
    let scalars = Array(segment.unicodeScalars)
    let end = scalars.lastIndex { !PythonText.isSpace($0) }.map { $0 + 1 } ?? 0
    return tokenize13a(String(String.UnicodeScalarView(scalars[..<end]))).split(separator: " ")
  }

  /// The n-grams of orders 1–4 of `words` (words joined by single spaces) and their counts.
  static func ngrams(_ words: [Substring]) -> [String: Int] {
    var result: [String: Int] = [:]
    for n in 1...maximumOrder where words.count >= n {
      for start in 0...(words.count - n) {
        result[words[start..<(start + n)].joined(separator: " "), default: 0] += 1
      }
    }
    return result
  }

  static func checkStreams(_ hypotheses: [String], _ references: [[String]]) throws {
    guard !references.isEmpty else { throw MetricInputError("no reference stream") }
    for (k, stream) in references.enumerated() where stream.count != hypotheses.count {
      throw MetricInputError(
        "reference stream \(k + 1) has \(stream.count) segments, the hypotheses \(hypotheses.count)")
    }
  }

  /// mteval-v13a's tokenization, as sacreBLEU's default `13a` tokenizer applies it: `<skipped>`
  /// and hyphenated line breaks removed, four HTML entities decoded, then the symbols other than
  /// `'` `-` `.` `,` split off; a period or comma split off unless it is between digits; a dash
  /// after a digit split off; runs of whitespace made one space.
  public static func tokenize13a(_ line: String) -> String {
    typealias Scalars = [Unicode.Scalar]
    var s = Scalars(line.unicodeScalars)
    s = PythonText.replacing(s, "<skipped>", "")
    s = PythonText.replacing(s, "-\n", "")
    s = PythonText.replacing(s, "\n", " ")
    if s.contains("&") {
      for (entity, character) in [("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")] {
        s = PythonText.replacing(s, entity, character)
      }
    }
    s = [" "] + s + [" "]
    func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
    func isPeriodOrComma(_ c: Unicode.Scalar) -> Bool { c == "." || c == "," }
    // [{-~[-` -&(-+:-@/]: every ASCII symbol but ' - . , (and digits and letters).
    func isSymbol(_ c: Unicode.Scalar) -> Bool {
      switch c.value {
      case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F: true
      default: false
      }
    }
    var out = Scalars()
    out.reserveCapacity(s.count * 2)
    for c in s {
      if isSymbol(c) { out += [" ", c, " "] } else { out.append(c) }
    }
    // The three two-character rules, each a left-to-right pass of non-overlapping matches
    // (Python's re.sub): ([^0-9])([.,]) → "\1 \2 ", ([.,])([^0-9]) → " \1 \2", ([0-9])(-) → "\1 \2 ".
    func pass(
      _ s: Scalars, _ matches: (Unicode.Scalar, Unicode.Scalar) -> Bool,
      _ replace: (Unicode.Scalar, Unicode.Scalar) -> Scalars
    ) -> Scalars {
      var result = Scalars()
      result.reserveCapacity(s.count + s.count / 4)
      var i = 0
      while i < s.count {
        if i + 1 < s.count, matches(s[i], s[i + 1]) {
          result += replace(s[i], s[i + 1])
          i += 2
        } else {
          result.append(s[i])
          i += 1
        }
      }
      return result
    }
    out = pass(out, { !isDigit($0) && isPeriodOrComma($1) }) { [$0, " ", $1, " "] }
    out = pass(out, { isPeriodOrComma($0) && !isDigit($1) }) { [" ", $0, " ", $1] }
    out = pass(out, { isDigit($0) && $1 == "-" }) { [$0, " ", $1, " "] }
    return PythonText.split(out).map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
  }
}

/// Metric inputs that do not fit together.
public struct MetricInputError: Error, CustomStringConvertible, Equatable {
  public let description: String
  init(_ message: String) { description = message }
}

/// Python's string rules that sacreBLEU's specification relies on, over code points.
enum PythonText {
  /// `str.isspace()`: bidirectional class WS, B or S, or a space separator.
  static func isSpace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
      0x3000:
      true
    default: false
    }
  }

  /// `str.split()`: the runs of non-space code points.
  static func split(_ s: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
    s.split(whereSeparator: isSpace)
  }

  /// `str.replace(old, new)`: every non-overlapping occurrence, left to right.
  static func replacing(_ s: [Unicode.Scalar], _ old: String, _ new: String) -> [Unicode.Scalar] {
    let old = Array(old.unicodeScalars)
    let new = Array(new.unicodeScalars)
    guard s.count >= old.count else { return s }
    var result: [Unicode.Scalar] = []
    result.reserveCapacity(s.count)
    var i = 0
    while i < s.count {
      if i + old.count <= s.count, s[i..<(i + old.count)].elementsEqual(old) {
        result += new
        i += old.count
      } else {
        result.append(s[i])
        i += 1
      }
    }
    return result
  }
}

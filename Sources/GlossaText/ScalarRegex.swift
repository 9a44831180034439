import Foundation

/// A regular expression (Foundation's `NSRegularExpression`, ICU) matched against Unicode
/// scalars, its matches given as scalar ranges: the pattern of a `Split` or of a `Replace` in
/// a tokenizer.json. `NSRegularExpression` is immutable and may match on several threads at
/// once.
///
/// A pattern that is one character repeated (`" {2,}"`, `"▁+"`, `"-{3}"`) is matched by hand:
/// ``Run``.
final class ScalarRegex: @unchecked Sendable {
  let pattern: String
  private let regex: NSRegularExpression
  /// The pattern as a run of one character, when it is one.
  let run: Run?

  /// Throws when the pattern does not compile.
  init(_ pattern: String) throws {
    self.pattern = pattern
    regex = try NSRegularExpression(pattern: pattern)
    run = Run(pattern)
  }

  /// A pattern that matches between `least` and `most` copies of one character, greedily:
  /// the character (itself, or escaped when it is an operator) and at most one quantifier,
  /// `+`, `{n}`, `{n,}` or `{n,m}` with n ≥ 1 (no empty matches).
  struct Run: Equatable {
    let character: Unicode.Scalar
    let least: Int, most: Int

    init?(_ pattern: String) {
      var scalars = Array(pattern.unicodeScalars)[...]
      guard let first = scalars.popFirst() else { return nil }
      let operators = Set("\\^$.|?*+()[]{}".unicodeScalars)
      if first == "\\" {
        // Only an escaped operator stands for itself (`\s`, `\d`, `\1`… are classes or more).
        guard let escaped = scalars.popFirst(), operators.contains(escaped) else { return nil }
        character = escaped
      } else {
        guard !operators.contains(first), first.value >= 0x20 else { return nil }
        character = first
      }
      let quantifier = string(scalars)
      if quantifier.isEmpty {
        (least, most) = (1, 1)
      } else if quantifier == "+" {
        (least, most) = (1, .max)
      } else {
        guard quantifier.first == "{", quantifier.last == "}" else { return nil }
        let bounds = quantifier.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 1,
          bounds.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        if bounds.count == 1 {
          (least, most) = (low, low)
        } else if bounds[1].isEmpty {
          (least, most) = (low, .max)
        } else {
          guard let high = Int(bounds[1]), high >= low else { return nil }
          (least, most) = (low, high)
        }
      }
    }

    /// The matches in a run of `length` copies starting at `start`, appended to `matches`:
    /// as many of `most` as fit, then what is left if it is at least `least`.
    func matches(inRunOf length: Int, at start: Int, into matches: inout [Range<Int>]) {
      var at = start
      var left = length
      while left >= least {
        let taken = min(left, most)
        matches.append(at..<(at + taken))
        at += taken
        left -= taken
      }
    }
  }

  /// Whether the pattern matches nothing in an ASCII text, when that is quick to tell (the
  /// pattern is a ``Run``); nil otherwise.
  func matchesNothing(inASCII text: UnsafeBufferPointer<UInt8>) -> Bool? {
    guard let run else { return nil }
    guard run.character.isASCII else { return true }
    let byte = UInt8(run.character.value)
    var length = 0
    for b in text {
      length = b == byte ? length + 1 : 0
      if length == run.least { return false }
    }
    return true
  }

  /// The matches in `scalars`, in order, as ranges of scalars.
  func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
    if let run {
      var matches: [Range<Int>] = []
      var i = 0
      while i < scalars.count {
        guard scalars[i] == run.character else {
          i += 1
          continue
        }
        var end = i + 1
        while end < scalars.count && scalars[end] == run.character { end += 1 }
        run.matches(inRunOf: end - i, at: i, into: &matches)
        i = end
      }
      return matches
    }
    return icuMatches(in: scalars)
  }

  /// The matches ICU finds in `scalars` (what ``matches(in:)`` gives for any pattern).
  func icuMatches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
    let text = string(scalars)
    // The scalar at each UTF-16 offset (and one past the end), to read the matches' ranges.
    var scalarAt = [Int](repeating: 0, count: text.utf16.count + 1)
    var offset = 0
    for (index, scalar) in scalars.enumerated() {
      for k in 0..<UTF16.width(scalar) { scalarAt[offset + k] = index }
      offset += UTF16.width(scalar)
    }
    scalarAt[offset] = scalars.count
    return regex.matches(in: text, range: NSRange(location: 0, length: offset)).map {
      scalarAt[$0.range.location]..<scalarAt[$0.range.location + $0.range.length]
    }
  }

  /// `text` with every match replaced by `content`, taken literally.
  func replacingMatches(in text: String, with content: String) -> String {
    regex.stringByReplacingMatches(
      in: text, range: NSRange(location: 0, length: text.utf16.count),
      withTemplate: NSRegularExpression.escapedTemplate(for: content))
  }
}

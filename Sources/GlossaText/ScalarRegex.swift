import Foundation

/// A regular expression (Foundation's `NSRegularExpression`, ICU) matched against Unicode
/// scalars, its matches given as scalar ranges: the pattern of a `Split` or of a `Replace` in
/// a tokenizer.json. `NSRegularExpression` is immutable and may match on several threads at
/// once.
final class ScalarRegex: @unchecked Sendable {
  let pattern: String
  private let regex: NSRegularExpression

  /// Throws when the pattern does not compile.
  init(_ pattern: String) throws {
    self.pattern = pattern
    regex = try NSRegularExpression(pattern: pattern)
  }

  /// The matches in `scalars`, in order, as ranges of scalars.
  func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
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

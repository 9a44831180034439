import Foundation

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

extension Replace {
  public var json: [String: Any]? {
    replaceJSON(pattern, isRegularExpression: isRegularExpression, content: content)
  }
}

/// A `Replace` normalizer's or decoder's object.
func replaceJSON(_ pattern: String, isRegularExpression: Bool, content: String) -> [String: Any] {
  ["type": "Replace", "pattern": [isRegularExpression ? "Regex" : "String": pattern], "content": content]
}

extension Replace {
  init(reading node: JSONNode) throws {
    self = try node.replacement(string: { Replace($0, with: $1) }) {
      try Replace(regularExpression: $0, with: $1)
    }
  }
}

extension JSONNode {
  /// A `Replace` normalizer or decoder: its pattern (`{"String": s}`, never empty, or
  /// `{"Regex": r}`) and its content, made by `string` or `regularExpression`.
  func replacement<T>(
    string: (String, String) -> T, regularExpression: (String, String) throws -> T
  ) throws -> T {
    let (pattern, content) = (self["pattern"], try self["content"].string())
    if !pattern["Regex"].isNull {
      let text = try pattern["Regex"].string()
      do {
        return try regularExpression(text, content)
      } catch {
        throw pattern["Regex"].fail("the regular expression does not compile: \(error)")
      }
    }
    let text = try pattern["String"].string()
    guard !text.isEmpty else { throw pattern["String"].fail("an empty pattern") }
    return string(text, content)
  }
}

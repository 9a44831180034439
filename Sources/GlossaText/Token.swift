/// A piece of text cut out by a tokenizer, with where it came from.
public struct Token: Hashable, Sendable, CustomStringConvertible {
  /// The token's text.
  public var text: String
  /// Where it starts and ends in the original text, in Unicode scalars (Python string
  /// indices), end exclusive.
  public var start: Int, end: Int

  /// A token spanning `start..<end` scalars of the original text.
  public init(_ text: String, start: Int, end: Int) {
    self.text = text
    self.start = start
    self.end = end
  }

  public var description: String { text }
}

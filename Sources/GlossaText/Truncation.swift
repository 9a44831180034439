/// How a tokenizer cuts encodings that are too long (HuggingFace's `truncation`): to at most
/// ``maximumLength`` tokens, special tokens included, the cut windows kept as
/// ``Encoding/overflowing``.
public struct Truncation: Sendable, Equatable {
  /// Which text of a pair loses tokens.
  public enum Strategy: String, Sendable, CaseIterable {
    /// The longer text first, until both fit (HuggingFace's `longest_first`).
    case longestFirst = "LongestFirst"
    /// Only the first text (`only_first`).
    case onlyFirst = "OnlyFirst"
    /// Only the second text (`only_second`); a single text that is too long cannot be cut.
    case onlySecond = "OnlySecond"
  }

  /// The most tokens an encoding may have, special tokens included.
  public var maximumLength: Int
  /// Which text of a pair is cut.
  public var strategy: Strategy
  /// How many tokens each overflowing window repeats from the window before it.
  public var stride: Int
  /// Which end is cut (`.left`: the last tokens are kept).
  public var side: EncodingSide

  /// Truncation to `maximumLength` tokens.
  public init(
    maximumLength: Int, strategy: Strategy = .longestFirst, stride: Int = 0, side: EncodingSide = .right
  ) {
    (self.maximumLength, self.strategy, self.stride, self.side) = (maximumLength, strategy, stride, side)
  }

  /// Cuts a text's encoding and its pair's so that together they hold at most `length`
  /// tokens (the maximum less the special tokens the post-processor will add), as
  /// HuggingFace's `truncate_encodings` does.
  func apply(to first: inout Encoding, pair second: inout Encoding?, length: Int) throws(TruncationError) {
    func cut(_ encoding: inout Encoding, to target: Int) throws(TruncationError) {
      guard target < encoding.count else { return }
      guard target == 0 || stride < target else {
        throw .strideTooLong(stride: stride, length: target)
      }
      encoding.truncate(to: target, stride: stride, side: side)
    }
    if length <= 0 {
      try cut(&first, to: 0)
      if second != nil { try cut(&second!, to: 0) }
      return
    }
    let total = first.count + (second?.count ?? 0)
    guard total > length else { return }
    let excess = total - length
    switch strategy {
    case .longestFirst:
      guard var other = second else { return try cut(&first, to: length) }
      // The shorter text keeps its length when the longer one can absorb the cut; otherwise
      // both get half of the room (the second one the odd token).
      let swapped = first.count > other.count
      var (short, long) = swapped ? (other.count, first.count) : (first.count, other.count)
      long = short > length ? short : max(short, length - short)
      if short + long > length { (short, long) = (length / 2, length / 2 + length % 2) }
      let (firstLength, secondLength) = swapped ? (long, short) : (short, long)
      try cut(&first, to: firstLength)
      try cut(&other, to: secondLength)
      second = other
    case .onlyFirst, .onlySecond:
      if strategy == .onlySecond, second == nil { throw .noSecondText }
      let count = strategy == .onlyFirst ? first.count : second!.count
      guard count > excess else { throw .textTooShort(excess: excess, count: count) }
      if strategy == .onlyFirst {
        try cut(&first, to: count - excess)
      } else {
        try cut(&second!, to: count - excess)
      }
    }
  }
}

/// Why an encoding could not be truncated as its tokenizer's ``Truncation`` asks (HuggingFace
/// refuses the same inputs).
public enum TruncationError: Error, Equatable, CustomStringConvertible {
  /// `onlySecond` truncation of a single text that is too long.
  case noSecondText
  /// The text that may be cut is shorter than the tokens to remove.
  case textTooShort(excess: Int, count: Int)
  /// The stride is not below the length a window may have.
  case strideTooLong(stride: Int, length: Int)
  /// The maximum length leaves no room for the special tokens the post-processor adds.
  case tooShortForSpecialTokens(maximum: Int, special: Int)

  public var description: String {
    switch self {
    case .noSecondText: "truncation only_second needs a second text (this single text is too long)"
    case .textTooShort(let excess, let count):
      "the text to truncate has \(count) tokens, fewer than the \(excess) to remove"
    case .strideTooLong(let stride, let length):
      "the stride (\(stride)) must be below the length left for the text (\(length), the maximum less the special tokens)"
    case .tooShortForSpecialTokens(let maximum, let special):
      "the maximum length \(maximum) leaves no room for the \(special) special tokens the post-processor adds"
    }
  }
}

/// Why an input of a batch could not be truncated: its index and the reason.
public struct BatchTruncationError: Error, Equatable, CustomStringConvertible {
  /// The input's index in the batch.
  public let index: Int
  /// Why.
  public let reason: TruncationError

  public var description: String { "input \(index + 1): \(reason)" }
}

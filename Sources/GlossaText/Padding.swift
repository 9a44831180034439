/// How a tokenizer pads encodings (HuggingFace's `padding`): to a fixed length or to the
/// longest of a batch, rounded up to a multiple, with a token of attention 0.
public struct Padding: Sendable, Equatable {
  /// The length padded to.
  public enum Length: Sendable, Equatable {
    /// The longest encoding of the batch (a single text: its own length).
    case longest
    /// A fixed number of tokens (longer encodings stay as they are).
    case fixed(Int)
  }

  /// The length padded to.
  public var length: Length
  /// The padding token.
  public var token: String
  /// Its id.
  public var id: Int
  /// The segment (type id) of padding tokens.
  public var typeID: Int
  /// Which end is padded.
  public var side: EncodingSide
  /// The padded length is rounded up to a multiple of this (nil or 0: not rounded).
  public var multiple: Int?

  /// Padding with `token` (`id`).
  public init(
    _ length: Length = .longest, token: String, id: Int, typeID: Int = 0, side: EncodingSide = .right,
    multiple: Int? = nil
  ) {
    (self.length, self.token, self.id, self.typeID, self.side, self.multiple) = (
      length, token, id, typeID, side, multiple
    )
  }

  /// Pads every encoding to the batch's target length (HuggingFace's `pad_encodings`).
  func apply(to batch: inout [Encoding]) {
    guard !batch.isEmpty else { return }
    var target =
      switch length {
      case .fixed(let n): n
      case .longest: batch.map(\.count).max() ?? 0
      }
    if let multiple, multiple > 0, target % multiple > 0 { target += multiple - target % multiple }
    for i in batch.indices { batch[i].pad(to: target, with: self) }
  }
}

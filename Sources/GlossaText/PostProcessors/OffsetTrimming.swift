/// RoBERTa's and ByteLevel's `trim_offsets`: each token's offsets leave out the spaces at its
/// ends (`Ġ` or whitespace), as HuggingFace's `process_offsets` does.
public struct OffsetTrimming: Sendable, Equatable {
  /// Whether offsets are trimmed at all.
  public var isOn: Bool
  /// Whether trimming keeps the single space before the first token (`add_prefix_space`: the
  /// space was added, not cut).
  public var keepsPrefixSpace: Bool

  public init(_ isOn: Bool = true, keepsPrefixSpace: Bool = true) {
    (self.isOn, self.keepsPrefixSpace) = (isOn, keepsPrefixSpace)
  }

  /// The encoding (and its overflowing windows) with trimmed offsets.
  func apply(_ encoding: Encoding) -> Encoding {
    guard isOn else { return encoding }
    var encoding = encoding
    trim(&encoding)
    for i in encoding.overflowing.indices { trim(&encoding.overflowing[i]) }
    return encoding
  }

  /// A token's leading spaces move its start forward and its trailing spaces its end back
  /// (never past each other); the first token keeps a single leading space when
  /// ``keepsPrefixSpace``.
  private func trim(_ encoding: inout Encoding) {
    func isSpace(_ c: Character) -> Bool { c == "\u{120}" || c.isWhitespace }
    for (i, token) in encoding.tokens.enumerated() {
      let characters = Array(token)
      let leading = characters.prefix { isSpace($0) }
      let trailing = characters.reversed().prefix { isSpace($0) }
      guard !leading.isEmpty || !trailing.isEmpty else { continue }
      // Each trimmed character stands for one original scalar; `Ġ` for one byte.
      func bytes(_ trimmed: some Sequence<Character>) -> Int {
        trimmed.reduce(0) { $0 + ($1 == "\u{120}" ? 1 : $1.utf8.count) }
      }
      var (offset, byteOffset) = (encoding.offsets[i], encoding.byteOffsets[i])
      var (scalars, leadingBytes) = (leading.count, bytes(leading))
      if keepsPrefixSpace, i == 0 || offset.lowerBound == 0, scalars == 1 { (scalars, leadingBytes) = (0, 0) }
      if scalars > 0 {
        offset = min(offset.lowerBound + scalars, offset.upperBound)..<offset.upperBound
        byteOffset = min(byteOffset.lowerBound + leadingBytes, byteOffset.upperBound)..<byteOffset.upperBound
      }
      if !trailing.isEmpty, offset.upperBound >= trailing.count {
        offset = offset.lowerBound..<max(offset.upperBound - trailing.count, offset.lowerBound)
      }
      let trailingBytes = bytes(trailing)
      if !trailing.isEmpty, byteOffset.upperBound >= trailingBytes {
        byteOffset = byteOffset.lowerBound..<max(byteOffset.upperBound - trailingBytes, byteOffset.lowerBound)
      }
      (encoding.offsets[i], encoding.byteOffsets[i]) = (offset, byteOffset)
    }
  }
}

/// The lecture's words (`\b\w+\b`, Unicode-aware) scanned straight from UTF-8 bytes and handed
/// to a closure as byte buffers, so that reading a corpus makes no `String` per word. ASCII is
/// classified 16 bytes at a time and lowercased on the fly; a word holding other scalars is
/// lowercased through `String` (full Unicode case mapping).
public struct WordScanner: Sendable {
  /// Whether words are lowercased.
  public var lowercase: Bool
  /// Words with fewer scalars are skipped (2 gives scikit-learn's `\b\w\w+\b`).
  public var minimumLength: Int

  /// A scanner for `\b\w+\b` words, lowercased if asked.
  public init(lowercase: Bool = false, minimumLength: Int = 1) {
    self.lowercase = lowercase
    self.minimumLength = minimumLength
  }

  /// Calls `body` with the bytes of each word of `bytes` (valid UTF-8), in order. The buffer
  /// is only valid during the call.
  public func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    guard !bytes.isEmpty else { return }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: lowercase ? bytes.count : 0) { scratch in
      forEachRun(in: bytes, ascii: RegexWordTokenizer.ascii, where: RegexWordTokenizer.isWordCharacter) {
        range, scalars, onlyASCII in
        guard scalars.count >= minimumLength else { return }
        emit(UnsafeBufferPointer(rebasing: bytes[range]), onlyASCII: onlyASCII, scratch, body)
      }
    }
  }

  /// Hands `word` to `body`, lowercased if asked: ASCII on the fly, other scalars through
  /// `String` (full Unicode case mapping).
  @inline(__always)
  private func emit(
    _ word: UnsafeBufferPointer<UInt8>, onlyASCII: Bool, _ scratch: UnsafeMutableBufferPointer<UInt8>,
    _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    guard lowercase else { return body(word) }
    guard onlyASCII else {
      var lowered = String(decoding: word, as: UTF8.self).lowercased()
      return lowered.withUTF8 { body($0) }
    }
    for k in 0..<word.count {
      let b = word[k]
      scratch[k] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
    }
    body(UnsafeBufferPointer(rebasing: scratch[0..<word.count]))
  }
}

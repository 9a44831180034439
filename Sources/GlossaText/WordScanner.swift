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
    forEachRun(in: bytes, ascii: RegexWordTokenizer.ascii, where: RegexWordTokenizer.isWordCharacter) {
      range, scalars, onlyASCII in
      guard scalars.count >= minimumLength else { return }
      emit(UnsafeBufferPointer(rebasing: bytes[range]), onlyASCII: onlyASCII, body)
    }
  }

  /// Hands `word` to `body`, lowercased if asked: ASCII on the fly (a word of up to 64 bytes
  /// in a buffer on the stack), other scalars through `String` (full Unicode case mapping).
  @inline(__always)
  private func emit(
    _ word: UnsafeBufferPointer<UInt8>, onlyASCII: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    guard lowercase else { return body(word) }
    guard onlyASCII else {
      var lowered = String(decoding: word, as: UTF8.self).lowercased()
      return lowered.withUTF8 { body($0) }
    }
    guard word.count <= 64 else { return Array(word).map(asciiLowercase).withUnsafeBufferPointer(body) }
    var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &block) { raw in
      let lowered = raw.bindMemory(to: UInt8.self)
      for k in 0..<word.count { lowered[k] = asciiLowercase(word[k]) }
      body(UnsafeBufferPointer(rebasing: lowered[..<word.count]))
    }
  }
}

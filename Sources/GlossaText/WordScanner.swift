/// The lecture's words (`\b\w+\b`, Unicode-aware) scanned straight from UTF-8 bytes and handed
/// to a closure as byte buffers, so that reading a corpus makes no `String` per word. ASCII is
/// classified through a table and lowercased on the fly; a word holding other scalars is
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

  private static let asciiWord = (0..<128).map {
    RegexWordTokenizer.isWordCharacter(Unicode.Scalar(UInt8($0)))
  }

  /// Calls `body` with the bytes of each word of `bytes` (valid UTF-8), in order. The buffer
  /// is only valid during the call.
  public func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    guard !bytes.isEmpty else { return }
    let asciiWord = Self.asciiWord  // read once, not at every byte
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: lowercase ? bytes.count : 0) { scratch in
      var start = -1
      var scalars = 0
      var onlyASCII = true
      func flush(_ end: Int) {
        defer { start = -1 }
        guard start >= 0, scalars >= minimumLength else { return }
        let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
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
      var i = 0
      while i < bytes.count {
        let lead = bytes[i]
        let (isWord, width) = scalarBelongs(
          bytes, at: i, ascii: asciiWord, RegexWordTokenizer.isWordCharacter)
        if isWord {
          if start < 0 { (start, scalars, onlyASCII) = (i, 0, true) }
          scalars += 1
          onlyASCII = onlyASCII && lead < 0x80
        } else {
          flush(i)
        }
        i += width
      }
      flush(bytes.count)
    }
  }
}

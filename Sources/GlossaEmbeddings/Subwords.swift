/// FastText's character n-grams (Bojanowski et al. 2017): a word is wrapped in `<` and `>`
/// and cut into every run of `minimum ... maximum` characters, each hashed (32-bit FNV-1a
/// over its UTF-8 bytes, as fastText hashes) into one of `buckets` rows. "kingdom" shares
/// `<ki`, `kin`, `king` with "king", so a word never seen in training still gets a vector.
public struct CharacterNGrams: Sendable, Equatable {
  /// The shortest n-gram, in characters.
  public var minimum: Int
  /// The longest n-gram, in characters.
  public var maximum: Int
  /// How many rows the n-grams are hashed into.
  public var buckets: Int

  /// fastText's defaults: 3 to 6 characters, 2,000,000 buckets.
  public init(minimum: Int = 3, maximum: Int = 6, buckets: Int = 2_000_000) {
    self.minimum = minimum
    self.maximum = maximum
    self.buckets = buckets
  }

  /// The bucket of each n-gram of `word`, in fastText's order (by start, then length). A
  /// single character at either end is never an n-gram on its own.
  public func buckets(of word: String) -> [Int] {
    guard maximum >= minimum, minimum > 0, buckets > 0 else { return [] }
    let bytes = Array("<\(word)>".utf8)
    var found: [Int] = []
    for start in bytes.indices where bytes[start] & 0xC0 != 0x80 {
      var end = start
      var characters = 0
      while end < bytes.count && characters < maximum {
        end += 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        characters += 1
        if characters >= minimum && !(characters == 1 && (start == 0 || end == bytes.count)) {
          found.append(Int(Self.hash(bytes[start..<end]) % UInt32(buckets)))
        }
      }
    }
    return found
  }

  /// fastText's FNV-1a: each byte is sign-extended first, as its `int8_t` cast does.
  static func hash(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var h: UInt32 = 2_166_136_261
    for byte in bytes { h = (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: byte)))) &* 16_777_619 }
    return h
  }
}

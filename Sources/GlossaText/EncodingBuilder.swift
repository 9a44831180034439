/// The tokens of the text being encoded, gathered piece by piece as references into the
/// shared ``PieceMemo`` (or into a list of its own for pieces the memo did not take), then
/// written out as an ``Encoding``, each array in one pass at its exact size. One per thread;
/// kept from text to text so that an encoding costs no growing arrays.
struct EncodingBuilder {
  let memo: PieceMemo
  /// The text's tokens, as (token, its piece: where the piece starts, or its number when
  /// ``encoding(offsets:byteOffsets:)`` is given a mapping, its word). A token k ≥ 0 is the
  /// memo's, a token −1 − k is `unstored[k]`.
  private var spans: [(token: Int32, piece: Int32, word: Int32)] = []
  private var unstored: [PieceMemo.Token] = []
  /// The number of the next non-empty piece: the word of its tokens.
  private var word: Int32 = 0
  /// The UTF-8 of a piece given as scalars.
  private var scratch: [UInt8] = []

  init(memo: PieceMemo) { self.memo = memo }

  /// Starts a text.
  mutating func startText() {
    spans.removeAll(keepingCapacity: true)
    unstored.removeAll(keepingCapacity: true)
    word = 0
  }

  /// Adds the tokens of the piece with these UTF-8 bytes (where it starts, or its number),
  /// found in the memo or made by `encode`.
  @inline(__always)
  mutating func append(
    utf8 piece: UnsafeBufferPointer<UInt8>, at position: Int, _ encode: ([Unicode.Scalar]) -> [ModelToken]
  ) {
    guard !piece.isEmpty else { return }
    let at = Int32(truncatingIfNeeded: position)
    switch memo.tokens(ofUTF8: piece, encode) {
    case .stored(let range):
      for k in range { spans.append((Int32(truncatingIfNeeded: k), at, word)) }
    case .unstored(let tokens):
      for token in tokens {
        spans.append((-1 - Int32(unstored.count), at, word))
        unstored.append(token)
      }
    }
    word += 1
  }

  /// Adds one token of its own (an added token found in the text): its id and the scalars it
  /// covers (its piece, all of it), kept as its text when they are not the vocabulary's token.
  mutating func append(token id: Int, scalars: some Collection<Unicode.Scalar>, at position: Int) {
    let content = string(scalars)
    let renamed = content == memo.names.token(id) ? nil : content
    spans.append((-1 - Int32(unstored.count), Int32(truncatingIfNeeded: position), word))
    unstored.append(PieceMemo.Token(id: id, renamed: renamed, range: 0..<scalars.count))
    word += 1
  }

  /// ``append(utf8:at:_:)`` for a piece given as scalars.
  mutating func append(
    scalars piece: ArraySlice<Unicode.Scalar>, at position: Int, _ encode: ([Unicode.Scalar]) -> [ModelToken]
  ) {
    append(piece, marked: false, at: position, encode)
  }

  /// ``append(scalars:at:_:)`` for a piece the pre-tokenizer has already prepared (the general
  /// path), which `tokenize` encodes as it is. The memo keeps it apart from the pieces that the
  /// shortcuts cut from the text and prepare only when they are new, which the same bytes may
  /// spell (a literal `Ġ` in a text, and a space that ByteLevel wrote so): its key starts with
  /// 0xFF, a byte that UTF-8 never has.
  mutating func append(
    prepared piece: ArraySlice<Unicode.Scalar>, at position: Int,
    _ tokenize: ([Unicode.Scalar]) -> [ModelToken]
  ) {
    // The memo reads the marker as one U+FFFD before the piece's scalars.
    append(piece, marked: true, at: position) { tokenize(Array($0.dropFirst())) }
  }

  /// A piece given as scalars, its UTF-8 written into a buffer kept from piece to piece (four
  /// bytes a scalar at most), after 0xFF when `marked`.
  private mutating func append(
    _ piece: ArraySlice<Unicode.Scalar>, marked: Bool, at position: Int,
    _ encode: ([Unicode.Scalar]) -> [ModelToken]
  ) {
    if scratch.count < 4 * piece.count + 1 { scratch = [UInt8](repeating: 0, count: 8 * piece.count + 1) }
    let count = scratch.withUnsafeMutableBufferPointer { buffer in
      if marked { buffer[0] = 0xFF }
      return (marked ? 1 : 0) + writeUTF8(of: piece, into: buffer.baseAddress! + (marked ? 1 : 0))
    }
    let utf8 = scratch  // a reference of its own: `append` may not overlap an access to `scratch`
    utf8.withUnsafeBufferPointer {
      append(utf8: UnsafeBufferPointer(rebasing: $0[..<count]), at: position, encode)
    }
  }

  /// The encoding of the tokens gathered since ``startText()``. `offsets(range, piece)` gives
  /// the text's scalars a token's range in its piece stands for (nil: the piece is where it
  /// starts, and the range is shifted by it); `byteOffsets` maps scalar offsets to UTF-8
  /// offsets (nil for an ASCII text, whose byte offsets are its scalar offsets).
  mutating func encoding(
    offsets: ((Range<Int>, Int) -> Range<Int>)? = nil, byteOffsets: ((Range<Int>) -> Range<Int>)? = nil
  ) -> Encoding {
    let (memo, names) = (memo, memo.names)
    return unstored.withUnsafeBufferPointer { unstored in
      @inline(__always) func token(_ k: Int32) -> PieceMemo.Token {
        k >= 0 ? memo.token(Int(k)) : unstored[Int(-1 - k)]
      }
      // Whether any token is renamed, in one pass.
      var anyRenamed = false
      for span in spans { anyRenamed = anyRenamed || token(span.token).renamed != nil }
      let (zeros, ones) = (filled(0, count: spans.count), filled(1, count: spans.count))
      return spans.withUnsafeBufferPointer { spans in
        @inline(__always) func array<T>(_ element: (PieceMemo.Token, Int) -> T) -> [T] {
          Array(capacity: spans.count) { buffer in
            for (i, span) in spans.enumerated() {
              buffer.initializeElement(at: i, to: element(token(span.token), Int(span.piece)))
            }
            return spans.count
          }
        }
        var encoding = Encoding(tokensNamedBy: names)
        encoding.ids = array { token, _ in token.id }
        if anyRenamed { encoding.tokens = array { token, _ in token.renamed ?? names.token(token.id) } }
        if let offsets {
          encoding.offsets = array { token, piece in offsets(token.range, piece) }
        } else {
          encoding.offsets = array { token, start in
            (token.range.lowerBound + start)..<(token.range.upperBound + start)
          }
        }
        encoding.byteOffsets = byteOffsets.map { encoding.offsets.map($0) } ?? encoding.offsets
        // As HuggingFace's: the text's own tokens are never special (not even its unknown
        // token); the post-processing marks the ones it adds.
        encoding.specialTokensMask = zeros
        encoding.typeIDs = zeros
        encoding.attentionMask = ones
        encoding.words = spans.map(\.word)
        return encoding
      }
    }
  }

  /// Arrays of 0s and of 1s by length (up to ``filledLength``: at most 256 KB for each
  /// value), shared by the encodings whose masks are all one value, so that they cost neither
  /// an allocation nor a free (copy on write keeps a change to one encoding's mask to itself).
  private var filledArrays: [[[Int]?]] = [[], []]
  private static let filledLength = 256

  /// `count` times `value` (0 or 1), shared when not too long.
  private mutating func filled(_ value: Int, count: Int) -> [Int] {
    guard count <= Self.filledLength else { return [Int](repeating: value, count: count) }
    if filledArrays[value].count <= count {
      filledArrays[value] += [[Int]?](repeating: nil, count: count + 1 - filledArrays[value].count)
    }
    if let shared = filledArrays[value][count] { return shared }
    let array = [Int](repeating: value, count: count)
    filledArrays[value][count] = array
    return array
  }
}

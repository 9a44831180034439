import GlossaLock

/// Pieces already encoded and their tokens, shared by every thread that encodes with one
/// tokenizer (the model is deterministic, and words repeat). A piece is found by its UTF-8
/// bytes without taking a lock: its entry in a fixed-capacity ``ByteKeyTable`` is published
/// only after its tokens are stored. New pieces are added under a lock. Tokens are stored flat
/// in chunks that never move, so a token's index stays valid as long as the memo.
///
/// Bounded: once it holds `capacity` pieces, or its chunks are used up, it adds no more, and
/// a piece it lacks is encoded each time it comes (HuggingFace's cache stops adding too).
final class PieceMemo: @unchecked Sendable {
  /// One remembered token, packed in 32 bytes so that more of them share a cache line.
  struct Token {
    private let id32: Int32
    private let start: Int32, end: Int32
    /// Its text when that is not the vocabulary's token for its id (a Unigram model's
    /// unknown stretch keeps its own text), else nil.
    let renamed: String?

    init(id: Int, renamed: String?, range: Range<Int>) {
      (id32, start, end, self.renamed) = (
        Int32(id), Int32(range.lowerBound), Int32(range.upperBound), renamed
      )
    }

    var id: Int { Int(id32) }
    /// The scalars it covers, relative to its piece (or as the model gave them).
    var range: Range<Int> { Int(start)..<Int(end) }
  }

  /// Where a piece's tokens are: in the memo, or (when the memo took no more) given back.
  enum Tokens {
    case stored(Range<Int>)
    case unstored([Token])
  }

  /// The model's tokens by id, which the encodings name their tokens by.
  let names: TokenNames
  /// Pieces → where their tokens are (start in the high half, count in the low). Inserted
  /// into only under `adding`, looked up by anyone (see above), so accesses go unchecked.
  @exclusivity(unchecked) private var pieces: ByteKeyTable
  /// The token chunks, allocated as they are needed; each is filled with empty tokens first,
  /// so that storing a token is an assignment and freeing the memo frees every chunk whole.
  private let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Token>?>
  private let chunkCount: Int
  private static let chunkBits = 12
  private static let chunkSize = 1 << chunkBits
  /// The tokens stored so far, and the lock that adding takes.
  private let adding = Locked(0)

  /// A memo of at most `capacity` pieces and `tokenCapacity` tokens.
  init(names: TokenNames, capacity: Int = 1 << 17, tokenCapacity: Int = 1 << 20) {
    self.names = names
    pieces = ByteKeyTable(capacity: capacity)
    chunkCount = max(1, tokenCapacity >> Self.chunkBits)
    chunks = .allocate(capacity: chunkCount)
    chunks.initialize(repeating: nil, count: chunkCount)
  }

  deinit {
    for c in 0..<chunkCount {
      guard let chunk = chunks[c] else { continue }
      chunk.deinitialize(count: Self.chunkSize)
      chunk.deallocate()
    }
    chunks.deallocate()
  }

  /// The stored token at `index`.
  @inline(__always)
  func token(_ index: Int) -> Token {
    chunks[index >> Self.chunkBits].unsafelyUnwrapped[index & (Self.chunkSize - 1)]
  }

  /// The tokens of the piece with these UTF-8 bytes: found, or made by `encode` and stored if
  /// there is room.
  @inline(__always)
  func tokens(ofUTF8 piece: UnsafeBufferPointer<UInt8>, _ encode: ([Unicode.Scalar]) -> [ModelToken])
    -> Tokens
  {
    let position = pieces.locate(piece)
    if position.found { return .stored(Self.tokenRange(pieces.value(at: position))) }
    return add(piece, encode(Array(String(decoding: piece, as: UTF8.self).unicodeScalars)))
  }

  /// The range of tokens a piece's value stands for: start in the high half, count in the low.
  private static func tokenRange(_ value: UInt64) -> Range<Int> {
    let start = Int(value >> 32)
    return start..<(start + Int(value & 0xFFFF_FFFF))
  }

  /// Stores a piece's tokens, unless another thread stored the piece first (then its tokens
  /// are those) or there is no room (then they are given back).
  private func add(_ piece: UnsafeBufferPointer<UInt8>, _ encoded: [ModelToken]) -> Tokens {
    let tokens = encoded.map {
      Token(id: $0.id, renamed: $0.text == names.token($0.id) ? nil : $0.text, range: $0.range)
    }
    return adding.withLock { stored in
      let position = pieces.locate(piece)
      if position.found { return .stored(Self.tokenRange(pieces.value(at: position))) }
      // A piece's tokens lie in one chunk: start the next one when they do not fit.
      var start = stored
      if start & (Self.chunkSize - 1) + tokens.count > Self.chunkSize {
        start = (start >> Self.chunkBits + 1) << Self.chunkBits
      }
      let chunk = start >> Self.chunkBits
      guard !pieces.isFull, tokens.count <= Self.chunkSize, chunk < chunkCount else {
        return .unstored(tokens)
      }
      if chunks[chunk] == nil {
        let memory = UnsafeMutablePointer<Token>.allocate(capacity: Self.chunkSize)
        memory.initialize(
          repeating: Token(id: 0, renamed: nil, range: 0..<0), count: Self.chunkSize)
        chunks[chunk] = memory
      }
      let base = chunks[chunk]! + (start & (Self.chunkSize - 1))
      for (k, token) in tokens.enumerated() { base[k] = token }
      stored = start + tokens.count
      pieces.insert(piece, value: UInt64(start) << 32 | UInt64(tokens.count), at: position)
      return .stored(start..<stored)
    }
  }
}

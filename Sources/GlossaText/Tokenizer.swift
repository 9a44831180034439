import Dispatch
import Synchronization

/// What a tokenizer makes of a text: token ids, the tokens, and where each came from.
public struct Encoding: Sendable, Equatable {
  /// Token ids.
  public var ids: [Int] = []
  /// Token strings.
  public var tokens: [String] = []
  /// Each token's scalar range in the original text (Python string indices), end exclusive;
  /// empty at 0 for tokens the post-processor added.
  public var offsets: [Range<Int>] = []
  /// The same ranges in UTF-8 bytes.
  public var byteOffsets: [Range<Int>] = []
  /// 1 for a special token (an added token such as `[UNK]`, or BOS/EOS/padding), else 0.
  public var specialTokensMask: [Int] = []
  /// 1 for a real token, 0 for padding.
  public var attentionMask: [Int] = []

  mutating func append(
    id: Int, token: String, offset: Range<Int>, byteOffset: Range<Int>, special: Bool, attended: Bool = true
  ) {
    ids.append(id)
    tokens.append(token)
    offsets.append(offset)
    byteOffsets.append(byteOffset)
    specialTokensMask.append(special ? 1 : 0)
    attentionMask.append(attended ? 1 : 0)
  }

  /// Keeps the first `length` tokens.
  mutating func truncate(to length: Int) {
    guard ids.count > length else { return }
    ids.removeLast(ids.count - length)
    tokens.removeLast(tokens.count - length)
    offsets.removeLast(offsets.count - length)
    byteOffsets.removeLast(byteOffsets.count - length)
    specialTokensMask.removeLast(specialTokensMask.count - length)
    attentionMask.removeLast(attentionMask.count - length)
  }
}

/// What happens after the model: special tokens around the text, a length limit, padding.
public struct PostProcessing: Sendable {
  /// A token put before the text (`<bos>`, `[CLS]`), with its id.
  public var begin: (token: String, id: Int)?
  /// A token put after the text (`<eos>`, `[SEP]`), with its id.
  public var end: (token: String, id: Int)?
  /// The most tokens an encoding may have, special tokens included (cut at the end).
  public var maximumLength: Int?
  /// How batches are padded.
  public var padding: Padding?

  /// Padding: to a fixed length, or to the longest encoding of the batch.
  public enum Padding: Sendable {
    case toLength(Int, token: String, id: Int)
    case toLongest(token: String, id: Int)
  }

  public init(
    begin: (token: String, id: Int)? = nil, end: (token: String, id: Int)? = nil, maximumLength: Int? = nil,
    padding: Padding? = nil
  ) {
    self.begin = begin
    self.end = end
    self.maximumLength = maximumLength
    self.padding = padding
  }

  /// Truncates, then adds the begin and end tokens.
  func apply(_ encoding: inout Encoding) {
    if let maximumLength {
      encoding.truncate(to: max(0, maximumLength - (begin == nil ? 0 : 1) - (end == nil ? 0 : 1)))
    }
    if let begin {
      var framed = Encoding()
      framed.append(id: begin.id, token: begin.token, offset: 0..<0, byteOffset: 0..<0, special: true)
      for i in encoding.ids.indices {
        framed.append(
          id: encoding.ids[i], token: encoding.tokens[i], offset: encoding.offsets[i],
          byteOffset: encoding.byteOffsets[i], special: encoding.specialTokensMask[i] == 1)
      }
      encoding = framed
    }
    if let end {
      encoding.append(id: end.id, token: end.token, offset: 0..<0, byteOffset: 0..<0, special: true)
    }
  }

  /// Pads every encoding of a batch (at the end, attention 0).
  func pad(_ batch: inout [Encoding]) {
    guard let padding else { return }
    let (length, token, id): (Int, String, Int) =
      switch padding {
      case .toLength(let n, let token, let id): (n, token, id)
      case .toLongest(let token, let id): (batch.map(\.ids.count).max() ?? 0, token, id)
      }
    for i in batch.indices {
      while batch[i].ids.count < length {
        batch[i].append(
          id: id, token: token, offset: 0..<0, byteOffset: 0..<0, special: true, attended: false)
      }
    }
  }
}

/// A complete tokenizer in HuggingFace's shape: normalizer → pre-tokenizer → model, and a
/// decoder back to text. Added special tokens are recognised by id for decoding.
public struct Tokenizer: Sendable {
  /// Rewrites the text first (nil: none).
  public var normalizer: (any Normalizer)?
  /// Cuts the text into pieces (nil: the whole text is one piece).
  public var preTokenizer: (any PreTokenizer)?
  /// Turns each piece into tokens.
  public var model: any TokenizerModel
  /// Turns tokens back into text.
  public var decoder: any TokenDecoder
  /// Ids of special tokens (dropped when decoding with `skipSpecialTokens`).
  public var specialTokenIDs: Set<Int>
  /// Special tokens around each text, truncation and padding.
  public var postProcessing = PostProcessing()
  /// Pieces already encoded (the model is deterministic, and words repeat).
  private let cache = PieceCache()

  public init(
    normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?, model: any TokenizerModel,
    decoder: any TokenDecoder = SpaceJoinDecoder(), specialTokenIDs: Set<Int> = []
  ) {
    self.normalizer = normalizer
    self.preTokenizer = preTokenizer
    self.model = model
    self.decoder = decoder
    self.specialTokenIDs = specialTokenIDs
  }

  /// Encodes one text.
  public func encode(_ text: String) -> Encoding {
    // byteStart[i]: where scalar i of the original text starts in its UTF-8 bytes.
    var byteStart = [0]
    for scalar in text.unicodeScalars { byteStart.append(byteStart.last! + UTF8.width(scalar)) }
    var encoding = Encoding()
    /// Appends a token that covers `range` of the original scalars.
    func add(_ token: ModelToken, covering range: Range<Int>) {
      encoding.append(
        id: token.id, token: token.text, offset: range,
        byteOffset: byteStart[range.lowerBound]..<byteStart[range.upperBound],
        special: specialTokenIDs.contains(token.id))
    }
    let scalars = Array(text.unicodeScalars)
    if normalizer == nil, let pre = preTokenizer, let ranges = pre.pieceRanges(scalars) {
      // Fast path: cut the original scalars directly; each distinct piece is prepared and
      // encoded once, its tokens cached with ranges relative to the piece.
      for range in ranges {
        let tokens = cache.tokens(of: scalars[range]) { piece in
          let prepared = pre.prepare(NormalizedText(string(piece)))
          return model.tokenize(prepared.scalars).map { token in
            ModelToken(id: token.id, text: token.text, range: prepared.originalRange(of: token.range))
          }
        }
        for token in tokens {
          add(
            token,
            covering: (range.lowerBound + token.range.lowerBound)..<(range.lowerBound + token.range.upperBound)
          )
        }
      }
    } else {
      var normalized = NormalizedText(text)
      normalizer?.normalize(&normalized)
      for piece in preTokenizer?.split(normalized) ?? [normalized] {
        for token in cache.tokens(of: piece.scalars[...], { model.tokenize($0) }) {
          add(token, covering: piece.originalRange(of: token.range))
        }
      }
    }
    postProcessing.apply(&encoding)
    return encoding
  }

  /// Encodes many texts on all cores, then pads them as ``postProcessing`` asks.
  public func encode(batch texts: [String]) -> [Encoding] {
    nonisolated(unsafe) var results = [Encoding](repeating: Encoding(), count: texts.count)
    let chunk = max(1, texts.count / 64)
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let slots = buffer
      DispatchQueue.concurrentPerform(iterations: (texts.count + chunk - 1) / chunk) { c in
        for i in (c * chunk)..<min(texts.count, (c + 1) * chunk) { slots[i] = encode(texts[i]) }
      }
    }
    postProcessing.pad(&results)
    return results
  }

  /// The text of token ids, without special tokens unless `skipSpecialTokens` is false.
  public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
    let kept = skipSpecialTokens ? ids.filter { !specialTokenIDs.contains($0) } : ids
    return decoder.decode(kept.compactMap { model.token(for: $0) })
  }
}

/// A bounded, thread-safe memo of piece → model tokens. Frequent words are encoded once.
/// Pieces are looked up by a hash of their scalars, without building a `String`.
final class PieceCache: Sendable {
  static let capacity = 200_000

  private struct Table: ~Copyable {
    var slots = FlatHashTable(capacity: 1 << 12)
    var pieces: [[Unicode.Scalar]] = []
    var tokens: [[ModelToken]] = []
  }
  private let table = Mutex(Table())

  @inline(__always)
  private static func fingerprint(_ scalars: ArraySlice<Unicode.Scalar>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for s in scalars { h = (h ^ UInt64(s.value)) &* 0x100_0000_01b3 }
    return h
  }

  /// The tokens of `scalars`, from the memo or from `encode` (then remembered).
  func tokens(of scalars: ArraySlice<Unicode.Scalar>, _ encode: ([Unicode.Scalar]) -> [ModelToken])
    -> [ModelToken]
  {
    let key = Self.fingerprint(scalars)
    let hit = table.withLock { table -> [ModelToken]? in
      table.slots.slot(of: key) { table.pieces[Int($0)].elementsEqual(scalars) }.map { table.tokens[Int($0)] }
    }
    if let hit { return hit }
    let piece = Array(scalars)
    let tokens = encode(piece)
    table.withLock { table in
      guard table.tokens.count < Self.capacity,
        table.slots.slot(of: key, matches: { table.pieces[Int($0)] == piece }) == nil
      else { return }
      table.slots.insert(key)
      table.pieces.append(piece)
      table.tokens.append(tokens)
    }
    return tokens
  }
}

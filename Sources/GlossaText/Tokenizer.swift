import Dispatch
import Foundation
import Synchronization

/// What a tokenizer makes of a text: token ids, the tokens, and where each came from.
public struct Encoding: Sendable, Equatable {
  /// Token ids.
  public var ids: [Int] = []
  /// Token strings. An encoding whose tokens are the vocabulary's own for their ids (nearly
  /// all) keeps only the ids and makes this array when it is read, as HuggingFace's Python
  /// `Encoding.tokens` does: keep it in a local when reading it token by token.
  public var tokens: [String] {
    get { names.map { names in ids.map(names.token) } ?? storedTokens }
    set {
      storedTokens = newValue
      names = nil
    }
  }
  /// Each token's scalar range in the original text (Python string indices), end exclusive;
  /// empty at 0 for tokens the post-processor added.
  public var offsets: [Range<Int>] = []
  /// The same ranges in UTF-8 bytes.
  public var byteOffsets: [Range<Int>] = []
  /// 1 for a special token (an added token such as `[UNK]`, or BOS/EOS/padding), else 0.
  public var specialTokensMask: [Int] = []
  /// 1 for a real token, 0 for padding.
  public var attentionMask: [Int] = []
  /// Where the tokens come from: the vocabulary, by id (nil: `storedTokens`).
  private var names: TokenNames?
  private var storedTokens: [String] = []

  init() {}

  /// An encoding whose tokens are `names`' tokens of its ids.
  init(tokensNamedBy names: TokenNames) { self.names = names }

  /// Adds a token at the end, or at `index`.
  mutating func insert(
    id: Int, token: String, offset: Range<Int>, byteOffset: Range<Int>, special: Bool, attended: Bool = true,
    at index: Int? = nil
  ) {
    if let names, names.token(id) != token { tokens = tokens }
    let index = index ?? ids.count
    ids.insert(id, at: index)
    if names == nil { storedTokens.insert(token, at: index) }
    offsets.insert(offset, at: index)
    byteOffsets.insert(byteOffset, at: index)
    specialTokensMask.insert(special ? 1 : 0, at: index)
    attentionMask.insert(attended ? 1 : 0, at: index)
  }

  /// Keeps the first `length` tokens.
  mutating func truncate(to length: Int) {
    guard ids.count > length else { return }
    if names == nil { storedTokens.removeLast(storedTokens.count - length) }
    ids.removeLast(ids.count - length)
    offsets.removeLast(offsets.count - length)
    byteOffsets.removeLast(byteOffsets.count - length)
    specialTokensMask.removeLast(specialTokensMask.count - length)
    attentionMask.removeLast(attentionMask.count - length)
  }

  public static func == (a: Encoding, b: Encoding) -> Bool {
    a.ids == b.ids && a.tokens == b.tokens && a.offsets == b.offsets && a.byteOffsets == b.byteOffsets
      && a.specialTokensMask == b.specialTokensMask && a.attentionMask == b.attentionMask
  }
}

/// A model's tokens by id, shared by the encodings that keep only ids.
final class TokenNames: Sendable {
  private let model: any TokenizerModel
  init(_ model: any TokenizerModel) { self.model = model }
  func token(_ id: Int) -> String { model.token(for: id) ?? "" }
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
      encoding.insert(
        id: begin.id, token: begin.token, offset: 0..<0, byteOffset: 0..<0, special: true, at: 0)
    }
    if let end {
      encoding.insert(id: end.id, token: end.token, offset: 0..<0, byteOffset: 0..<0, special: true)
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
        batch[i].insert(
          id: id, token: token, offset: 0..<0, byteOffset: 0..<0, special: true, attended: false)
      }
    }
  }
}

/// A complete tokenizer in HuggingFace's shape: normalizer → pre-tokenizer → model, and a
/// decoder back to text. Added special tokens are recognised by id for decoding.
public struct Tokenizer: Sendable {
  /// Rewrites the text first (nil: none).
  public var normalizer: (any Normalizer)? { didSet { memo = SharedMemo(memo.names) } }
  /// Cuts the text into pieces (nil: the whole text is one piece).
  public var preTokenizer: (any PreTokenizer)? {
    didSet {
      memo = SharedMemo(memo.names)
      asciiClasses = Self.asciiClasses(of: preTokenizer)
    }
  }
  /// Turns each piece into tokens.
  public var model: any TokenizerModel { didSet { memo = SharedMemo(TokenNames(model)) } }
  /// Turns tokens back into text.
  public var decoder: any TokenDecoder
  /// Ids of special tokens (dropped when decoding with `skipSpecialTokens`).
  public var specialTokenIDs: Set<Int> { didSet { memo = SharedMemo(memo.names) } }
  /// Special tokens around each text, truncation and padding.
  public var postProcessing = PostProcessing()
  /// Pieces already encoded (the model is deterministic, and words repeat); a new one
  /// whenever a stage changes.
  private var memo: SharedMemo
  /// How the pre-tokenizer classes each ASCII scalar, when it only cuts runs of classes.
  private var asciiClasses: [RunClass]?

  public init(
    normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?, model: any TokenizerModel,
    decoder: any TokenDecoder = SpaceJoinDecoder(), specialTokenIDs: Set<Int> = []
  ) {
    self.normalizer = normalizer
    self.preTokenizer = preTokenizer
    asciiClasses = Self.asciiClasses(of: preTokenizer)
    memo = SharedMemo(TokenNames(model))
    self.model = model
    self.decoder = decoder
    self.specialTokenIDs = specialTokenIDs
  }

  /// Encodes one text. Distinct pieces are encoded once and remembered; the memo sits
  /// behind a lock, so texts encoded from several threads at once take turns: use
  /// ``encode(batch:threads:)`` to use every core.
  public func encode(_ text: String) -> Encoding {
    var encoding = memo.slots[0].table.withLock { encode(text, memo: &$0) }
    postProcessing.apply(&encoding)
    return encoding
  }

  /// Encodes many texts on `threads` cores (all by default), each thread with a memo of its
  /// own that lasts from call to call, backed by one they share (so that a new piece is
  /// encoded once, not once per thread), then pads them as ``postProcessing`` asks.
  public func encode(batch texts: [String], threads: Int? = nil) -> [Encoding] {
    nonisolated(unsafe) var results = [Encoding](repeating: Encoding(), count: texts.count)
    let workers = max(1, min(texts.count, threads ?? memo.slots.count, memo.slots.count))
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let slots = buffer
      // Workers take chunks of texts in turn, so that one slowed down (a thread of its own
      // allocates from a heap of its own, which costs more here) does not hold up the rest.
      let chunk = 64
      let nextChunk = Atomic(0)
      @Sendable func work(_ w: Int) {
        memo.slots[w].table.withLock { memo in
          while case let start = nextChunk.add(chunk, ordering: .relaxed).oldValue, start < texts.count {
            for i in start..<min(start + chunk, texts.count) {
              slots[i] = encode(texts[i], memo: &memo, backing: workers > 1 ? self.memo.shared : nil)
              postProcessing.apply(&slots[i])
            }
          }
        }
      }
      if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
    }
    postProcessing.pad(&results)
    return results
  }

  private static func asciiClasses(of preTokenizer: (any PreTokenizer)?) -> [RunClass]? {
    (preTokenizer as? any RunSplitter)?.asciiClasses
  }

  /// The fast path's fast path, for an ASCII text cut by a run splitter: runs found by
  /// looking bytes up in `classes`, pieces looked up in the memo by their bytes, and byte
  /// offsets equal to scalar offsets. Nil when the text is not all ASCII.
  private func encodeASCII(
    _ text: String, _ classes: [RunClass], memo: inout PieceMemo, backing: SharedMemo.Slot?
  ) -> Encoding? {
    var text = text
    return text.withUTF8 { bytes -> Encoding? in
      guard isASCII(bytes) else { return nil }
      func add(_ piece: Range<Int>) {
        // A run splitter leaves its pieces as they are: the model sees them directly.
        // (A closure, not `model.tokenize`, which would copy the model for every piece.)
        let entry = memo.tokens(
          ofUTF8: UnsafeBufferPointer(rebasing: bytes[piece]), specialIDs: specialTokenIDs, backing: backing
        ) { model.tokenize($0) }
        memo.appendSpans(entry, at: piece.lowerBound)
      }
      classes.withUnsafeBufferPointer { classes in
        forEachClassRun(count: bytes.count, { (classes[Int(bytes[$0])], 1) }, add)
      }
      return memo.spansEncoding()
    }
  }

  /// The encoding of one text before post-processing, through `memo`.
  private func encode(_ text: String, memo: inout PieceMemo, backing: SharedMemo.Slot? = nil) -> Encoding {
    memo.startText()
    if normalizer == nil, let classes = asciiClasses,
      let encoding = encodeASCII(text, classes, memo: &memo, backing: backing)
    {
      return encoding
    }
    let scalars = Array(text.unicodeScalars)
    var bytes = ByteOffsets(scalars)
    if normalizer == nil, let pre = preTokenizer, let pieces = pre.pieceRanges(scalars) {
      // Fast path: cut the original scalars directly; each distinct piece is prepared and
      // encoded once, its tokens remembered with ranges relative to the piece.
      for piece in pieces {
        let entry = memo.tokens(of: scalars[piece], specialIDs: specialTokenIDs, backing: backing) {
          scalars in
          let prepared = pre.prepare(NormalizedText(string(scalars)))
          return model.tokenize(prepared.scalars).map { token in
            ModelToken(id: token.id, text: token.text, range: prepared.originalRange(of: token.range))
          }
        }
        memo.appendSpans(entry, at: piece.lowerBound)
      }
      return memo.spansEncoding(byteOffsets: { bytes.range(of: $0) })
    }
    // A normalized text: each piece's tokens mapped back through the normalization.
    var normalized = NormalizedText(text)
    normalizer?.normalize(&normalized)
    let pieces = preTokenizer?.split(normalized) ?? [normalized]
    for (p, piece) in pieces.enumerated() {
      let entry = memo.tokens(of: piece.scalars[...], specialIDs: specialTokenIDs, backing: backing) {
        model.tokenize($0)
      }
      memo.appendSpans(entry, at: p)
    }
    return memo.spansEncoding(
      offsets: { pieces[$1].originalRange(of: $0) }, byteOffsets: { bytes.range(of: $0) })
  }

  /// The text of token ids, without special tokens unless `skipSpecialTokens` is false.
  public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
    let kept = skipSpecialTokens ? ids.filter { !specialTokenIDs.contains($0) } : ids
    return decoder.decode(kept.compactMap { model.token(for: $0) })
  }
}

/// A tokenizer's memos of pieces, shared by its copies: one per core, each behind its own
/// lock (batch encoding gives worker w memo w; single texts use memo 0), and one behind
/// them that the workers of a batch consult before encoding a piece.
final class SharedMemo: Sendable {
  final class Slot: Sendable {
    let table: Mutex<PieceMemo>
    init(_ names: TokenNames) { table = Mutex(PieceMemo(names: names)) }
  }
  /// The model's tokens by id.
  let names: TokenNames
  let slots: [Slot]
  /// The memo behind the workers' memos in batch encoding.
  let shared: Slot

  init(_ names: TokenNames) {
    self.names = names
    slots = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { _ in Slot(names) }
    shared = Slot(names)
  }
}

/// Pieces already encoded, their tokens stored flat (no array per piece) and found by the
/// piece's UTF-8 bytes in a ``ByteKeyTable`` whose value says where they are. Bounded: when
/// full it starts again empty at the next text. Not thread-safe.
struct PieceMemo: ~Copyable {
  /// How many pieces it holds before it starts again.
  let capacity: Int
  /// The model's tokens by id, which the encodings name their tokens by.
  let names: TokenNames

  init(names: TokenNames, capacity: Int = 1 << 17) { (self.names, self.capacity) = (names, capacity) }

  /// One remembered token, packed in 32 bytes so that more of them share a cache line.
  struct Token {
    private let id32: Int32
    let special: Bool
    private let start: Int32, end: Int32
    /// Its text when that is not the vocabulary's token for its id (a Unigram model's
    /// unknown stretch keeps its own text), else nil.
    let renamed: String?

    init(id: Int, renamed: String?, range: Range<Int>, special: Bool) {
      (id32, self.special, start, end, self.renamed) = (
        Int32(id), special, Int32(range.lowerBound), Int32(range.upperBound), renamed
      )
    }

    var id: Int { Int(id32) }
    /// The scalars it covers, relative to its piece (or as the model gave them).
    var range: Range<Int> { Int(start)..<Int(end) }
  }

  private var pieces = ByteKeyTable()
  private var tokens: [Token] = []
  /// The tokens of the text being encoded, as (token, its piece: where the piece starts, or
  /// its number when ``spansEncoding(offsets:byteOffsets:)`` is given a mapping): kept from
  /// text to text so that an encoding costs no growing arrays.
  private var spans: [(token: Int32, piece: Int32)] = []

  /// Starts a text: no spans yet, and the memo emptied if it is full (never during a text,
  /// whose spans point into it).
  mutating func startText() {
    if pieces.count >= capacity {
      pieces = ByteKeyTable()
      tokens = []
    }
    spans.removeAll(keepingCapacity: true)
  }

  /// Adds the tokens `entry` of a piece (where it starts, or its number) to the text being
  /// encoded.
  @inline(__always)
  mutating func appendSpans(_ entry: Range<Int>, at piece: Int) {
    for k in entry { spans.append((Int32(truncatingIfNeeded: k), Int32(truncatingIfNeeded: piece))) }
  }

  /// The encoding of the spans gathered since ``startText()``, each array written in one
  /// pass at its exact size. `offsets(range, piece)` gives the text's scalars a token's range
  /// in its piece stands for (nil: the piece is where it starts, and the range is shifted by
  /// it); `byteOffsets` maps scalar offsets to UTF-8 offsets (nil for an ASCII text, whose
  /// byte offsets are its scalar offsets).
  mutating func spansEncoding(
    offsets: ((Range<Int>, Int) -> Range<Int>)? = nil, byteOffsets: ((Range<Int>) -> Range<Int>)? = nil
  ) -> Encoding {
    let anySpecial = spans.contains { tokens[Int($0.token)].special }
    let anyRenamed = spans.contains { tokens[Int($0.token)].renamed != nil }
    let (zeros, ones) = (filled(0, count: spans.count), filled(1, count: spans.count))
    return tokens.withUnsafeBufferPointer { tokens in
      spans.withUnsafeBufferPointer { spans in
        @inline(__always) func array<T>(_ element: (Token, Int) -> T) -> [T] {
          Array(unsafeUninitializedCapacity: spans.count) { buffer, count in
            for (i, span) in spans.enumerated() {
              buffer.initializeElement(at: i, to: element(tokens[Int(span.token)], Int(span.piece)))
            }
            count = spans.count
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
        encoding.specialTokensMask = anySpecial ? array { token, _ in token.special ? 1 : 0 } : zeros
        encoding.attentionMask = ones
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

  /// Where in the memo the tokens of the piece with these UTF-8 bytes lie: found, or made by
  /// `encode` (then remembered); tokens whose id is in `specialIDs` are marked special.
  ///
  /// With a `backing` memo, a piece this one lacks is taken from it, or else encoded (outside
  /// the backing memo's lock, so that other threads go on) and given to it too.
  mutating func tokens(
    ofUTF8 piece: UnsafeBufferPointer<UInt8>, specialIDs: Set<Int>, backing: SharedMemo.Slot? = nil,
    _ encode: ([Unicode.Scalar]) -> [ModelToken]
  ) -> Range<Int> {
    let position = pieces.locate(piece)
    if position.found { return Self.tokenRange(pieces.value(at: position)) }
    if let backing {
      // The backing memo's tokens for the piece, copied as they are, if it has them.
      let copied = backing.table.withLock { shared in
        shared.storedTokens(of: piece).map { store(piece, at: position, $0) }
      }
      if let copied { return copied }
    }
    let encoded = encode(Array(String(decoding: piece, as: UTF8.self).unicodeScalars))
    backing?.table.withLock { $0.remember(piece, encoded, specialIDs: specialIDs) }
    return insert(piece, at: position, encoded, specialIDs: specialIDs)
  }

  /// The range of tokens a piece's value stands for: start in the high half, count in the low.
  private static func tokenRange(_ value: UInt64) -> Range<Int> {
    let start = Int(value >> 32)
    return start..<(start + Int(value & 0xFFFF_FFFF))
  }

  /// The tokens of `piece`, if the memo has it.
  private func storedTokens(of piece: UnsafeBufferPointer<UInt8>) -> ArraySlice<Token>? {
    pieces.value(of: piece).map { tokens[Self.tokenRange($0)] }
  }

  /// Remembers `piece` unless the memo has it already (or is full).
  private mutating func remember(
    _ piece: UnsafeBufferPointer<UInt8>, _ encoded: [ModelToken], specialIDs: Set<Int>
  ) {
    let position = pieces.locate(piece)
    if !position.found && pieces.count < capacity {
      _ = insert(piece, at: position, encoded, specialIDs: specialIDs)
    }
  }

  /// Stores `piece` and its tokens where ``ByteKeyTable/locate(_:)`` found room.
  private mutating func insert(
    _ piece: UnsafeBufferPointer<UInt8>, at position: ByteKeyTable.Position, _ encoded: [ModelToken],
    specialIDs: Set<Int>
  ) -> Range<Int> {
    let names = names
    return store(
      piece, at: position,
      encoded.lazy.map {
        Token(
          id: $0.id, renamed: $0.text == names.token($0.id) ? nil : $0.text, range: $0.range,
          special: specialIDs.contains($0.id))
      })
  }

  /// Stores `piece` with tokens ready to keep where ``ByteKeyTable/locate(_:)`` found room.
  private mutating func store(
    _ piece: UnsafeBufferPointer<UInt8>, at position: ByteKeyTable.Position, _ stored: some Collection<Token>
  ) -> Range<Int> {
    let start = tokens.count
    tokens.append(contentsOf: stored)
    pieces.insert(piece, value: UInt64(start) << 32 | UInt64(tokens.count - start), at: position)
    return start..<tokens.count
  }

  /// ``tokens(ofUTF8:specialIDs:backing:_:)`` for a piece given as scalars.
  mutating func tokens(
    of piece: ArraySlice<Unicode.Scalar>, specialIDs: Set<Int>, backing: SharedMemo.Slot? = nil,
    _ encode: ([Unicode.Scalar]) -> [ModelToken]
  ) -> Range<Int> {
    var utf8 = string(piece)
    return utf8.withUTF8 { tokens(ofUTF8: $0, specialIDs: specialIDs, backing: backing, encode) }
  }
}

/// Whether every byte is below 0x80, eight at a time.
@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
  guard let base = bytes.baseAddress else { return true }
  let raw = UnsafeRawPointer(base)
  var high: UInt64 = 0
  var i = 0
  while i + 8 <= bytes.count {
    high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
    i += 8
  }
  while i < bytes.count {
    high |= UInt64(bytes[i])
    i += 1
  }
  return high & 0x8080_8080_8080_8080 == 0
}

/// Byte offsets of scalar offsets in a text, found by walking from the last one asked
/// (tokens come in order, so each walk is short).
struct ByteOffsets {
  private let scalars: [Unicode.Scalar]
  private var scalar = 0
  private var byte = 0

  init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

  mutating func offset(of target: Int) -> Int {
    while scalar < target {
      byte += UTF8.width(scalars[scalar])
      scalar += 1
    }
    while scalar > target {
      scalar -= 1
      byte -= UTF8.width(scalars[scalar])
    }
    return byte
  }

  mutating func range(of scalars: Range<Int>) -> Range<Int> {
    let start = offset(of: scalars.lowerBound)
    return start..<offset(of: scalars.upperBound)
  }
}

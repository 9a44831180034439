import Dispatch
import Foundation
import GlossaLock
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
    if let names, names.token(id) != token { keepTokens() }
    let index = index ?? ids.count
    ids.insert(id, at: index)
    if names == nil { storedTokens.insert(token, at: index) }
    offsets.insert(offset, at: index)
    byteOffsets.insert(byteOffset, at: index)
    specialTokensMask.insert(special ? 1 : 0, at: index)
    attentionMask.insert(attended ? 1 : 0, at: index)
  }

  /// Stops naming the tokens by the vocabulary: they are kept as an array from here on.
  private mutating func keepTokens() {
    guard let names else { return }
    storedTokens = ids.map(names.token)
    self.names = nil
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
  /// Whether each token's offsets leave out the spaces at its ends (`Ġ` or whitespace), as
  /// RoBERTa's and ByteLevel's post-processors do with `trim_offsets`.
  public var trimsOffsets = false
  /// Whether trimming keeps the single space before the first token (`add_prefix_space`: the
  /// space was added, not cut).
  public var keepsPrefixSpace = false

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

  /// Trims the offsets, truncates, then adds the begin and end tokens.
  func apply(_ encoding: inout Encoding) {
    if trimsOffsets { trimOffsets(&encoding) }
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

  /// HuggingFace's `process_offsets`: a token's leading spaces move its start forward and its
  /// trailing spaces its end back (never past each other); the first token keeps a single
  /// leading space when ``keepsPrefixSpace``.
  private func trimOffsets(_ encoding: inout Encoding) {
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
  public var specialTokenIDs: Set<Int>
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

  /// Encodes one text. Distinct pieces are encoded once and remembered; texts encoded from
  /// several threads at once take turns: use ``encode(batch:threads:)`` to use every core.
  public func encode(_ text: String) -> Encoding {
    var encoding = memo.builders[0].withLock { encode(text, into: &$0) }
    postProcessing.apply(&encoding)
    return encoding
  }

  /// Encodes many texts on `threads` cores (all by default), which share one memo of pieces
  /// (so that a new piece is encoded once, not once per thread), then pads them as
  /// ``postProcessing`` asks.
  public func encode(batch texts: [String], threads: Int? = nil) -> [Encoding] {
    nonisolated(unsafe) var results = [Encoding](repeating: Encoding(), count: texts.count)
    let workers = max(1, min(texts.count, threads ?? memo.builders.count, memo.builders.count))
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let slots = buffer
      // Workers take chunks of texts in turn, so that one slowed down (a thread of its own
      // allocates from a heap of its own, which costs more here) does not hold up the rest.
      let chunk = 64
      let nextChunk = Atomic(0)
      @Sendable func work(_ w: Int) {
        memo.builders[w].withLock { builder in
          while case let start = nextChunk.add(chunk, ordering: .relaxed).oldValue, start < texts.count {
            for i in start..<min(start + chunk, texts.count) {
              slots[i] = encode(texts[i], into: &builder)
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
  private func encodeASCII(_ text: String, _ classes: [RunClass], into builder: inout EncodingBuilder)
    -> Encoding?
  {
    var text = text
    return text.withUTF8 { bytes -> Encoding? in
      guard isASCII(bytes) else { return nil }
      func add(_ piece: Range<Int>) {
        // A run splitter leaves its pieces as they are: the model sees them directly.
        // (A closure, not `model.tokenize`, which would copy the model for every piece.)
        builder.append(
          utf8: UnsafeBufferPointer(rebasing: bytes[piece]), at: piece.lowerBound
        ) { model.tokenize($0) }
      }
      classes.withUnsafeBufferPointer { classes in
        forEachClassRun(count: bytes.count, { (classes[Int(bytes[$0])], 1) }, add)
      }
      return builder.encoding()
    }
  }

  /// The encoding of one text before post-processing, made with `builder`.
  private func encode(_ text: String, into builder: inout EncodingBuilder) -> Encoding {
    builder.startText()
    if normalizer == nil, let classes = asciiClasses,
      let encoding = encodeASCII(text, classes, into: &builder)
    {
      return encoding
    }
    let scalars = Array(text.unicodeScalars)
    var bytes = ByteOffsets(scalars)
    if normalizer == nil, let pre = preTokenizer, let pieces = pre.pieceRanges(scalars) {
      // Fast path: cut the original scalars directly; each distinct piece is prepared and
      // encoded once, its tokens remembered with ranges relative to the piece.
      for piece in pieces {
        builder.append(scalars: scalars[piece], at: piece.lowerBound) {
          scalars in
          let prepared = pre.prepare(NormalizedText(string(scalars)))
          return model.tokenize(prepared.scalars).map { token in
            ModelToken(id: token.id, text: token.text, range: prepared.originalRange(of: token.range))
          }
        }
      }
      return builder.encoding(byteOffsets: { bytes.range(of: $0) })
    }
    // A normalized text: each piece's tokens mapped back through the normalization.
    var normalized = NormalizedText(text)
    normalizer?.normalize(&normalized)
    let pieces = preTokenizer?.split(normalized) ?? [normalized]
    for (p, piece) in pieces.enumerated() {
      builder.append(scalars: piece.scalars[...], at: p) { model.tokenize($0) }
    }
    return builder.encoding(
      offsets: { pieces[$1].originalRange(of: $0) }, byteOffsets: { bytes.range(of: $0) })
  }

  /// The text of token ids, without special tokens unless `skipSpecialTokens` is false.
  public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
    let kept = skipSpecialTokens ? ids.filter { !specialTokenIDs.contains($0) } : ids
    return decoder.decode(kept.compactMap { model.token(for: $0) })
  }
}

/// A tokenizer's memo of pieces and its encoding builders, shared by its copies: one builder
/// per core, each behind its own lock (batch encoding gives worker w builder w; single texts
/// use builder 0).
final class SharedMemo: Sendable {
  let pieces: PieceMemo
  let builders: [Locked<EncodingBuilder>]
  /// The model's tokens by id.
  var names: TokenNames { pieces.names }

  init(_ names: TokenNames) {
    pieces = PieceMemo(names: names)
    builders = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map { [pieces] _ in
      Locked(EncodingBuilder(memo: pieces))
    }
  }
}

/// Whether every byte is below 0x80 (ASCII, so valid UTF-8), checked eight bytes at a time.
@inline(__always)
public func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
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

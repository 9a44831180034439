import Dispatch
import Foundation
import GlossaLock
import Synchronization

/// A complete tokenizer in HuggingFace's shape: added tokens found first, then normalizer →
/// pre-tokenizer → model for the text between them, then truncation, the post-processor and
/// padding; and a decoder back to text.
public struct Tokenizer: Sendable {
  /// Rewrites the text first (nil: none).
  public var normalizer: (any Normalizer)? {
    didSet {
      added = AddedVocabulary(added.tokens, normalizer: normalizer)
      memo = SharedMemo(memo.names)
    }
  }
  /// Cuts the text into pieces (nil: the whole text is one piece).
  public var preTokenizer: (any PreTokenizer)? {
    didSet {
      memo = SharedMemo(memo.names)
      asciiClasses = Self.asciiClasses(of: preTokenizer)
    }
  }
  /// Turns each piece into tokens.
  public var model: any TokenizerModel { didSet { memo = SharedMemo(TokenNames(model, added: added.names)) } }
  /// Turns tokens back into text.
  public var decoder: any TokenDecoder
  /// Ids of special tokens (dropped when decoding with `skipSpecialTokens`).
  public var specialTokenIDs: Set<Int>
  /// Special tokens around each text or pair, their type ids (nil: none, and a pair's second
  /// text is of type 1).
  public var postProcessor: (any PostProcessor)?
  /// How encodings that are too long are cut (nil: they are not).
  public var truncation: Truncation?
  /// How encodings are padded (nil: they are not).
  public var padding: Padding?
  /// Whether a text without added tokens may skip the general path's alignments (cut as it
  /// is when the normalizer leaves it so, looked up by its bytes when it is ASCII); false
  /// only for the tests that hold those shortcuts to the general path.
  var takesShortcuts = true
  /// Tokens found in the text before anything else, and their ids.
  private var added = AddedVocabulary()
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

  /// The added tokens and their ids, in the order they were added.
  public var addedTokens: [(token: AddedToken, id: Int)] { added.tokens }

  /// Adds tokens found whole in texts before anything else (HuggingFace's `add_tokens`):
  /// a token of the model's vocabulary keeps its id, another gets the next free id after the
  /// vocabulary and the tokens added before; special ones join ``specialTokenIDs``. A token
  /// already added with the same settings, or empty, is skipped. Returns how many were added.
  @discardableResult
  public mutating func add(_ tokens: [AddedToken]) -> Int {
    var list = added.tokens
    var next = max(model.vocabularySize, (list.map(\.id).max() ?? -1) + 1)
    var count = 0
    for token in tokens where !token.content.isEmpty && !list.contains(where: { $0.token == token }) {
      let id: Int
      if let known = model.id(of: token.content)
        ?? list.first(where: { $0.token.content == token.content })?.id
      {
        id = known
      } else {
        id = next
        next += 1
      }
      list.removeAll { $0.token.content == token.content }
      list.append((token, id))
      if token.isSpecial { specialTokenIDs.insert(id) }
      count += 1
    }
    setAddedTokens(list)
    return count
  }

  /// Sets the added tokens with the ids they have (a tokenizer.json's `added_tokens`).
  mutating func setAddedTokens(_ tokens: [(token: AddedToken, id: Int)]) {
    added = AddedVocabulary(tokens, normalizer: normalizer)
    memo = SharedMemo(TokenNames(model, added: added.names))
  }

  /// Encodes one text as HuggingFace's `encode` does, with the special tokens of the
  /// ``postProcessor``, ``truncation`` and ``padding``. A text that truncation cannot cut as
  /// it asks (`onlySecond` without a second text, a stride too long) is left whole:
  /// ``encode(_:pair:addingSpecialTokens:)`` reports it. Distinct pieces are encoded once and
  /// remembered; texts encoded from several threads at once take turns: use
  /// ``encode(batch:threads:addingSpecialTokens:)`` to use every core.
  public func encode(_ text: String) -> Encoding {
    memo.builders[0].withLock { encode(text, nil, addingSpecialTokens: true, into: &$0).encoding }
  }

  /// Encodes a text, or a pair of texts (a question and its context, two sentences), as
  /// HuggingFace's `encode(text, pair, add_special_tokens)` does: each text's tokens (the
  /// second's offsets count from its own start), truncated together, laid out by the
  /// ``postProcessor`` with their type ids, padded. Throws when truncation cannot cut them as
  /// it asks.
  public func encode(_ text: String, pair: String?, addingSpecialTokens: Bool = true) throws(TruncationError)
    -> Encoding
  {
    let (encoding, failure) = memo.builders[0].withLock {
      encode(text, pair, addingSpecialTokens: addingSpecialTokens, into: &$0)
    }
    if let failure { throw failure }
    return encoding
  }

  /// Encodes many texts on `threads` cores (all by default), which share one memo of pieces
  /// (so that a new piece is encoded once, not once per thread), then pads them together as
  /// ``padding`` asks (to the longest of the batch, or to a fixed length), as HuggingFace's
  /// `encode_batch` does. A text truncation cannot cut is left whole, as in ``encode(_:)``.
  public func encode(batch texts: [String], threads: Int? = nil, addingSpecialTokens: Bool = true)
    -> [Encoding]
  {
    encode(count: texts.count, threads: threads, padsTogether: true) { i, builder in
      encode(texts[i], nil, addingSpecialTokens: addingSpecialTokens, into: &builder)
    }.encodings
  }

  /// Encodes many texts, each with its pair when `pairs` is given (text i with `pairs[i]`), on
  /// `threads` cores, as ``encode(_:pair:addingSpecialTokens:)`` each; then pads them
  /// together (HuggingFace's `encode_batch`), or each alone when `padsTogether` is false (as
  /// `encode` would, one by one: the lines of a stream). Throws for the first input that
  /// truncation cannot cut, naming it.
  public func encode(
    batch texts: [String], pairs: [String]?, threads: Int? = nil, addingSpecialTokens: Bool = true,
    padsTogether: Bool = true
  ) throws(BatchTruncationError) -> [Encoding] {
    precondition(pairs == nil || pairs!.count == texts.count, "a pair for each text")
    let (encodings, failure) = encode(count: texts.count, threads: threads, padsTogether: padsTogether) {
      i, builder in
      encode(texts[i], pairs?[i], addingSpecialTokens: addingSpecialTokens, into: &builder)
    }
    if let failure { throw failure }
    return encodings
  }

  /// Encodes `count` inputs, input i by `encodeInput(i, builder)`, on `threads` cores, then
  /// pads them together if asked; and the first input's truncation error, if any.
  private func encode(
    count: Int, threads: Int?, padsTogether: Bool,
    _ encodeInput: (Int, inout EncodingBuilder) -> (Encoding, TruncationError?)
  ) -> (encodings: [Encoding], failure: BatchTruncationError?) {
    nonisolated(unsafe) var results = [Encoding](repeating: Encoding(), count: count)
    let failure = Locked<BatchTruncationError?>(nil)
    let workers = max(1, min(count, threads ?? memo.builders.count, memo.builders.count))
    withoutActuallyEscaping(encodeInput) { encodeInput in
      nonisolated(unsafe) let encodeInput = encodeInput
      results.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let slots = buffer
        // Workers take chunks of texts in turn, so that one slowed down (a thread of its own
        // allocates from a heap of its own, which costs more here) does not hold up the rest.
        let chunk = 64
        let nextChunk = Atomic(0)
        @Sendable func work(_ w: Int) {
          memo.builders[w].withLock { builder in
            while case let start = nextChunk.add(chunk, ordering: .relaxed).oldValue, start < count {
              for i in start..<min(start + chunk, count) {
                let error: TruncationError?
                (slots[i], error) = encodeInput(i, &builder)
                guard let error else { continue }
                failure.withLock { first in
                  if first.map({ $0.index > i }) ?? true {
                    first = BatchTruncationError(index: i, reason: error)
                  }
                }
              }
            }
          }
        }
        if workers == 1 {
          work(0)
        } else {
          DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
      }
    }
    if padsTogether { padding?.apply(to: &results) }
    return (results, failure.withLock { $0 })
  }

  /// One text or pair, post-processed (HuggingFace's `encode` then `post_process`): truncated
  /// to leave room for the special tokens, processed and joined, padded alone (a batch is
  /// padded again together). A text truncation cannot cut is left whole, and the reason given.
  private func encode(
    _ text: String, _ pair: String?, addingSpecialTokens: Bool, into builder: inout EncodingBuilder
  ) -> (encoding: Encoding, failure: TruncationError?) {
    var failure: TruncationError?
    var first = encode(text, into: &builder)
    var second = pair.map { pair in
      var encoding = encode(pair, into: &builder)
      encoding.setTypeIDs(1)
      return encoding
    }
    if let truncation {
      let special = addingSpecialTokens ? postProcessor?.addedTokenCount(pair: pair != nil) ?? 0 : 0
      let (keptFirst, keptSecond) = (first, second)
      do throws(TruncationError) {
        guard truncation.maximumLength >= special else {
          throw .tooShortForSpecialTokens(maximum: truncation.maximumLength, special: special)
        }
        try truncation.apply(to: &first, pair: &second, length: truncation.maximumLength - special)
      } catch {
        failure = error
        (first, second) = (keptFirst, keptSecond)
      }
    }
    var encoding: Encoding
    if second == nil && postProcessor == nil {
      // A single text without post-processor: nothing to mark or join.
      encoding = first
    } else {
      var parts = [first] + (second.map { [$0] } ?? [])
      // As HuggingFace: a post-processor's texts are marked as texts 0 and 1, and so is a pair
      // joined without one.
      for i in parts.indices { parts[i].setSequenceID(i) }
      let processed = postProcessor?.process(parts, addingSpecialTokens: addingSpecialTokens) ?? parts
      encoding = processed.count == 1 ? processed[0] : processed.reduce(into: Encoding()) { $0.append($1) }
    }
    if let padding {
      var single = [encoding]
      padding.apply(to: &single)
      encoding = single[0]
    }
    return (encoding, failure)
  }

  private static func asciiClasses(of preTokenizer: (any PreTokenizer)?) -> [RunClass]? {
    (preTokenizer as? any RunSplitter)?.asciiClasses
  }

  /// The fast path's fast path, for an ASCII text cut by a run splitter: runs found by
  /// looking bytes up in `classes`, pieces looked up in the memo by their bytes, and byte
  /// offsets equal to scalar offsets. `bytes` are the text's, all ASCII.
  private func encodeASCII(
    _ bytes: UnsafeBufferPointer<UInt8>, _ classes: [RunClass], into builder: inout EncodingBuilder
  ) -> Encoding {
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

  /// The encoding of one text before post-processing, made with `builder`.
  private func encode(_ text: String, into builder: inout EncodingBuilder) -> Encoding {
    builder.startText()
    if added.mayOccur(in: text) { return encodeAroundAddedTokens(text, into: &builder) }
    guard takesShortcuts else {
      let scalars = Array(text.unicodeScalars)
      return encode(scalars, normalized: normalize(scalars), into: &builder)
    }
    var text = text
    let ascii = text.withUTF8(isASCII)
    // An ASCII text the normalizer would leave as it is is cut as it is, as without one.
    let unnormalized =
      normalizer == nil || (ascii && text.withUTF8 { normalizer?.leavesUnchanged(ascii: $0) == true })
    if unnormalized, ascii, let classes = asciiClasses {
      return text.withUTF8 { encodeASCII($0, classes, into: &builder) }
    }
    // Fast path: cut the original scalars directly; each distinct piece is prepared and encoded
    // once, its tokens remembered with ranges relative to the piece.
    if unnormalized, ascii, let pre = preTokenizer {
      let encodePiece = { encode(piece: $0, preparedBy: pre) }
      // An ASCII text's pieces are looked up by their bytes, whose offsets are the scalars'.
      let encoding = text.withUTF8 { bytes -> Encoding? in
        guard let pieces = pre.pieceRanges(bytes.map { Unicode.Scalar($0) }) else { return nil }
        for piece in pieces {
          builder.append(utf8: UnsafeBufferPointer(rebasing: bytes[piece]), at: piece.lowerBound, encodePiece)
        }
        return builder.encoding()
      }
      if let encoding { return encoding }
    }
    let scalars = Array(text.unicodeScalars)
    let normalized = unnormalized ? nil : normalize(scalars)
    // A text the normalizer left as it was (most texts, for sentencepiece's charsmap) is cut
    // as it is too.
    if normalized?.isUnchanged(from: scalars) ?? true, let pre = preTokenizer,
      let pieces = pre.pieceRanges(scalars)
    {
      var bytes = ByteOffsets(scalars)
      for piece in pieces {
        builder.append(scalars: scalars[piece], at: piece.lowerBound) { encode(piece: $0, preparedBy: pre) }
      }
      return builder.encoding(byteOffsets: { bytes.range(of: $0) })
    }
    return encode(scalars, normalized: normalized ?? NormalizedText(scalars: scalars), into: &builder)
  }

  /// `scalars` as the normalizer leaves them (all of them kept as they are without one).
  private func normalize(_ scalars: [Unicode.Scalar]) -> NormalizedText {
    var text = NormalizedText(scalars: scalars)
    normalizer?.normalize(&text)
    return text
  }

  /// The general path: the text `scalars` as normalized, cut into pieces, each piece's tokens
  /// mapped back through the normalization.
  private func encode(
    _ scalars: [Unicode.Scalar], normalized: NormalizedText, into builder: inout EncodingBuilder
  ) -> Encoding {
    var bytes = ByteOffsets(scalars)
    let pieces = preTokenizer?.split(normalized) ?? [normalized]
    for (p, piece) in pieces.enumerated() {
      builder.append(prepared: piece.scalars[...], at: p) { model.tokenize($0) }
    }
    return builder.encoding(
      offsets: { pieces[$1].originalRange(of: $0) }, byteOffsets: { bytes.range(of: $0) })
  }

  /// The tokens of a piece the pre-tokenizer cut from the text, prepared by it, with ranges
  /// relative to the piece.
  private func encode(piece scalars: [Unicode.Scalar], preparedBy pre: any PreTokenizer) -> [ModelToken] {
    let prepared = pre.prepare(NormalizedText(string(scalars)))
    return model.tokenize(prepared.scalars).map { token in
      ModelToken(id: token.id, text: token.text, range: prepared.originalRange(of: token.range))
    }
  }

  /// ``encodeAroundAddedTokens(_:into:)`` without a normalizer, for a pre-tokenizer that cuts
  /// the scalars as they are: the stretches between added tokens are cut straight from the
  /// text, with no alignments built. Nil when the pre-tokenizer must rewrite a stretch first.
  private func encodeAroundAddedTokensUnnormalized(
    _ scalars: [Unicode.Scalar], _ pre: any PreTokenizer, into builder: inout EncodingBuilder
  ) -> Encoding? {
    func addToken(_ id: Int, _ range: Range<Int>) {
      builder.append(token: id, scalars: scalars[range], at: range.lowerBound)
    }
    for (stretch, id) in added.split(scalars, normalizedTokens: false) {
      if let id {
        addToken(id, stretch)
        continue
      }
      // With no normalizer, the normalized tokens are looked for in the text as it is.
      for (part, id) in added.split(Array(scalars[stretch]), normalizedTokens: true) {
        let range = (part.lowerBound + stretch.lowerBound)..<(part.upperBound + stretch.lowerBound)
        if let id {
          addToken(id, range)
          continue
        }
        guard let pieces = pre.pieceRanges(Array(scalars[range])) else { return nil }
        for piece in pieces {
          let start = piece.lowerBound + range.lowerBound
          builder.append(scalars: scalars[start..<(piece.upperBound + range.lowerBound)], at: start) {
            encode(piece: $0, preparedBy: pre)
          }
        }
      }
    }
    var bytes = ByteOffsets(scalars)
    return builder.encoding(byteOffsets: { bytes.range(of: $0) })
  }

  /// The encoding of a text that may hold added tokens, before post-processing: the added
  /// tokens as they are in the text cut out first, each stretch between them normalized, the
  /// normalized added tokens cut out of it, and the rest pre-tokenized and given to the model
  /// (so that each stretch is normalized and pre-tokenized on its own, as in HuggingFace).
  private func encodeAroundAddedTokens(_ text: String, into builder: inout EncodingBuilder) -> Encoding {
    let scalars = Array(text.unicodeScalars)
    if normalizer == nil, let pre = preTokenizer {
      if let encoding = encodeAroundAddedTokensUnnormalized(scalars, pre, into: &builder) { return encoding }
      builder.startText()
    }
    var bytes = ByteOffsets(scalars)
    var pieces: [NormalizedText] = []
    func addToken(_ id: Int, _ piece: NormalizedText) {
      pieces.append(piece)
      builder.append(token: id, scalars: piece.scalars, at: pieces.count - 1)
    }
    for (stretch, id) in added.split(scalars, normalizedTokens: false) {
      let original = NormalizedText(scalars: Array(scalars[stretch]), origins: stretch.map { $0..<($0 + 1) })
      if let id {
        addToken(id, original)
        continue
      }
      var normalized = original
      normalizer?.normalize(&normalized)
      for (part, id) in added.split(normalized.scalars, normalizedTokens: true) {
        let piece = normalized.slice(part)
        if let id {
          addToken(id, piece)
          continue
        }
        for piece in preTokenizer?.split(piece) ?? [piece] {
          pieces.append(piece)
          builder.append(prepared: piece.scalars[...], at: pieces.count - 1) { model.tokenize($0) }
        }
      }
    }
    return builder.encoding(
      offsets: { pieces[$1].originalRange(of: $0) }, byteOffsets: { bytes.range(of: $0) })
  }

  /// The text of token ids, without special tokens unless `skipSpecialTokens` is false.
  public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
    let kept = skipSpecialTokens ? ids.filter { !specialTokenIDs.contains($0) } : ids
    return decoder.decode(kept.compactMap { memo.names.knownToken($0) })
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

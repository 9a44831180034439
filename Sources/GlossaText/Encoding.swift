/// What a tokenizer makes of a text (or of a pair of texts): token ids, the tokens, and where
/// each came from, as HuggingFace's `Encoding` holds them.
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
  /// Each token's scalar range in its text (Python string indices; a pair's second text
  /// counts from its own start), end exclusive; empty at 0 for tokens the post-processor
  /// added.
  public var offsets: [Range<Int>] = []
  /// The same ranges in UTF-8 bytes.
  public var byteOffsets: [Range<Int>] = []
  /// Which segment each token belongs to (BERT's token type ids: 0 for the first text, 1 for
  /// the second, as the post-processor's template says).
  public var typeIDs: [Int] = []
  /// 1 for a token the post-processor or the padding added (`[CLS]`, `</s>`, `[PAD]`), else 0.
  public var specialTokensMask: [Int] = []
  /// 1 for a real token, 0 for padding.
  public var attentionMask: [Int] = []
  /// The word each token comes from: the number of the piece the pre-tokenizer cut it from
  /// (an added token found in the text counts as a piece), counted from 0 in each text of a
  /// pair; nil for the tokens the post-processor or the padding added (HuggingFace's `word_ids`).
  public var wordIDs: [Int?] {
    get { words.map { $0 < 0 ? nil : Int($0) } }
    set { words = newValue.map { $0.map { Int32(truncatingIfNeeded: $0) } ?? -1 } }
  }
  /// ``wordIDs``, −1 for none.
  var words: [Int32] = []
  /// The text (0, or 1 for a pair's second) each token comes from, nil for the tokens the
  /// post-processor or the padding added: HuggingFace's `sequence_ids`, with its rules. The
  /// texts are marked when a post-processor runs (or a pair is joined without one); an encoding
  /// with no mark counts every token, padding included, as text 0.
  public var sequenceIDs: [Int?] {
    guard !sequenceRanges.isEmpty else { return Array(repeating: 0, count: count) }
    var ids = [Int?](repeating: nil, count: count)
    for sequence in 0..<sequenceRanges.count {
      for i in (sequenceRanges[sequence] ?? 0..<count).clamped(to: 0..<count) { ids[i] = sequence }
    }
    return ids
  }
  /// Where each marked text's tokens are (HuggingFace's `sequence_ranges`).
  var sequenceRanges: [Int: Range<Int>] = [:]
  /// The windows truncation cut off, each a whole encoding with the same special tokens and
  /// padding (HuggingFace's `overflowing`); empty when nothing was cut.
  public var overflowing: [Encoding] = []
  /// Where the tokens come from: the vocabulary, by id (nil: `storedTokens`).
  private var names: TokenNames?
  private var storedTokens: [String] = []

  /// An empty encoding.
  public init() {}

  /// An encoding whose tokens are `names`' tokens of its ids.
  init(tokensNamedBy names: TokenNames) { self.names = names }

  /// Tokens the post-processor adds: `tokens` with their ids, all of segment `typeID`.
  init(special tokens: [(token: String, id: Int)], typeID: Int) {
    ids = tokens.map(\.id)
    storedTokens = tokens.map(\.token)
    offsets = Array(repeating: 0..<0, count: tokens.count)
    byteOffsets = offsets
    typeIDs = Array(repeating: typeID, count: tokens.count)
    specialTokensMask = Array(repeating: 1, count: tokens.count)
    attentionMask = specialTokensMask
    words = Array(repeating: -1, count: tokens.count)
  }

  /// The number of tokens.
  public var count: Int { ids.count }

  /// Stops naming the tokens by the vocabulary: they are kept as an array from here on.
  private mutating func keepTokens() {
    guard let names else { return }
    storedTokens = ids.map(names.token)
    self.names = nil
  }

  /// Sets every token's segment.
  mutating func setTypeIDs(_ typeID: Int) { typeIDs = Array(repeating: typeID, count: ids.count) }

  /// Marks all the tokens, and those of each overflowing window, as text `sequence`'s.
  mutating func setSequenceID(_ sequence: Int) {
    sequenceRanges[sequence] = 0..<count
    for i in overflowing.indices { overflowing[i].sequenceRanges[sequence] = 0..<overflowing[i].count }
  }

  /// The tokens `range` (without overflowing windows).
  func slice(_ range: Range<Int>) -> Encoding {
    var part = Encoding()
    part.names = names
    if names == nil { part.storedTokens = Array(storedTokens[range]) }
    part.ids = Array(ids[range])
    part.offsets = Array(offsets[range])
    part.byteOffsets = Array(byteOffsets[range])
    part.typeIDs = Array(typeIDs[range])
    part.specialTokensMask = Array(specialTokensMask[range])
    part.attentionMask = Array(attentionMask[range])
    part.words = Array(words[range])
    return part
  }

  /// Appends `other`'s tokens (offsets unchanged: each text keeps its own) and combines the
  /// overflowing windows as HuggingFace's `merge_with` does: each of ours with the whole of
  /// `other` and with each of its windows, then ours whole with each of its windows.
  mutating func append(_ other: Encoding) {
    var windows: [Encoding] = []
    for window in overflowing {
      windows.append(window.appending(other.withoutOverflowing))
      for otherWindow in other.overflowing { windows.append(window.appending(otherWindow)) }
    }
    for otherWindow in other.overflowing { windows.append(withoutOverflowing.appending(otherWindow)) }
    appendTokens(of: other)
    overflowing = windows
  }

  private var withoutOverflowing: Encoding {
    var copy = self
    copy.overflowing = []
    return copy
  }

  private func appending(_ other: Encoding) -> Encoding {
    var copy = self
    copy.append(other)
    return copy
  }

  /// Appends the tokens alone, keeping them named by the vocabulary when both sides' tokens
  /// are its own.
  private mutating func appendTokens(of other: Encoding) {
    let shift = ids.count
    for (sequence, range) in other.sequenceRanges {
      sequenceRanges[sequence] = (range.lowerBound + shift)..<(range.upperBound + shift)
    }
    // Tokens kept as strings that are the vocabulary's own (the post-processor's `<s>` before
    // a text) are named by it from here on, so that the text's tokens need no strings.
    if names == nil, let otherNames = other.names,
      zip(ids, storedTokens).allSatisfy({ otherNames.knownToken($0) == $1 })
    {
      (names, storedTokens) = (otherNames, [])
    }
    if let names, other.names !== names {
      let otherTokens = other.tokens
      if zip(other.ids, otherTokens).contains(where: { names.token($0) != $1 }) {
        keepTokens()
        storedTokens += otherTokens
      }
    } else if names == nil {
      storedTokens += other.tokens
    }
    ids += other.ids
    offsets += other.offsets
    byteOffsets += other.byteOffsets
    typeIDs += other.typeIDs
    specialTokensMask += other.specialTokensMask
    attentionMask += other.attentionMask
    words += other.words
  }

  /// Keeps `length` tokens from the start (`.right`: the end is cut) or from the end, the rest
  /// going to ``overflowing`` as windows of `length` tokens that each repeat `stride` tokens
  /// of the window before (HuggingFace's `Encoding::truncate`).
  mutating func truncate(to length: Int, stride: Int, side: EncodingSide) {
    let count = ids.count
    guard length < count else { return }
    if length == 0 {
      let whole = self
      self = Encoding()
      names = whole.names
      overflowing = [whole]
      return
    }
    let step = length - stride
    var windows: [Range<Int>] = []
    switch side {
    case .right:
      var start = 0
      while start < count {
        let stop = min(start + length, count)
        windows.append(start..<stop)
        if stop == count { break }
        start += step
      }
    case .left:
      var stop = count
      while stop > 0 {
        let start = max(stop - length, 0)
        windows.append(start..<stop)
        if start == 0 { break }
        stop -= step
      }
    }
    let whole = self
    self = whole.slice(windows[0])
    overflowing = windows.dropFirst().map { whole.slice($0) }
  }

  /// Pads with `count` copies of a token at one end (and every overflowing window to the
  /// same length): HuggingFace's `Encoding::pad`.
  mutating func pad(to length: Int, with padding: Padding) {
    for i in overflowing.indices { overflowing[i].pad(to: length, with: padding) }
    let count = length - ids.count
    guard count > 0 else { return }
    var filler = Encoding(
      special: Array(repeating: (token: padding.token, id: padding.id), count: count), typeID: padding.typeID)
    filler.attentionMask = Array(repeating: 0, count: count)
    switch padding.side {
    case .right: appendTokens(of: filler)
    case .left:
      let windows = overflowing
      filler.appendTokens(of: self)
      self = filler
      overflowing = windows
    }
  }

  public static func == (a: Encoding, b: Encoding) -> Bool {
    a.ids == b.ids && a.tokens == b.tokens && a.offsets == b.offsets && a.byteOffsets == b.byteOffsets
      && a.typeIDs == b.typeIDs && a.specialTokensMask == b.specialTokensMask
      && a.attentionMask == b.attentionMask && a.words == b.words && a.sequenceRanges == b.sequenceRanges
      && a.overflowing == b.overflowing
  }
}

/// An end of an encoding, where truncation cuts or padding goes: its start (`left`) or its end
/// (`right`), as HuggingFace's `direction` names them.
public enum EncodingSide: String, Sendable, CaseIterable {
  case left = "Left"
  case right = "Right"
}

/// A model's tokens by id (and the added tokens' beyond it), shared by the encodings that keep
/// only ids.
final class TokenNames: Sendable {
  private let model: any TokenizerModel
  private let added: [Int: String]
  init(_ model: any TokenizerModel, added: [Int: String] = [:]) { (self.model, self.added) = (model, added) }
  func token(_ id: Int) -> String { knownToken(id) ?? "" }
  /// The token of an id, nil for an id neither the model nor the added tokens have.
  func knownToken(_ id: Int) -> String? {
    added.isEmpty ? model.token(for: id) : added[id] ?? model.token(for: id)
  }
}

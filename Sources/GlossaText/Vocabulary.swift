import Foundation

/// A two-way map between tokens and integer ids, the step from text to numbers that a
/// network can read. It is the one such map in Glossa: tokenizer models, vectorizers, word
/// embeddings and the task models each keep theirs in a `Vocabulary`.
///
/// A vocabulary may carry each token's count (one built by counting a corpus, or a word
/// embedding's), and an unknown token that tokens outside it become. Ids are dense
/// (0, 1, 2, …) except in a vocabulary read from a file whose ids leave gaps. Tokens are
/// looked up by their UTF-8 bytes in an open-addressing table, so that the trainers' loops can
/// look a word up straight from the text's bytes (``id(utf8:)``) without making a `String`.
public struct Vocabulary: Sendable {
  /// Id → token (nil where no token has the id), for ids up to about four times the count.
  private var byID: [String?] = []
  /// The tokens of larger ids, when a file's ids are too sparse for an array.
  private var sparseByID: [Int: String] = [:]
  /// Token bytes → id.
  private var index = TokenIndex()
  /// How often each token was counted, by id; empty for a vocabulary made without counts.
  public private(set) var counts: [Int] = []
  /// The token unknown tokens become, if any.
  public let unknownToken: String?

  /// A vocabulary holding `tokens` in order (id = position; a repeated token keeps its first
  /// id). The unknown token, when given, is added at the end if `tokens` lacks it. `counts`,
  /// when given, are the tokens' counts (one per token).
  public init(_ tokens: [String], counts: [Int] = [], unknownToken: String? = "<unk>") {
    if !counts.isEmpty && counts.count != tokens.count {
      fatalError("Vocabulary: \(counts.count) counts for \(tokens.count) tokens")
    }
    self.unknownToken = unknownToken
    byID.reserveCapacity(tokens.count + 1)
    for (k, token) in tokens.enumerated() {
      let before = byID.count
      add(token)
      if byID.count > before && !counts.isEmpty { self.counts.append(counts[k]) }
    }
    if let unknownToken, index.id(of: unknownToken) == nil {
      add(unknownToken)
      if !counts.isEmpty { self.counts.append(0) }
    }
  }

  /// A vocabulary of tokens with the ids given (a tokenizer file's `vocab`), which may leave
  /// gaps. Two tokens given the same id: the one that sorts first keeps it.
  public init(ids: [String: Int], unknownToken: String? = nil) {
    self.init(
      ordered: ids.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }).map { ($0.key, $0.value) },
      unknownToken: unknownToken)
  }

  /// A vocabulary of (token, id) pairs in increasing order of id (of token among equal ids):
  /// the first token of an id keeps it; negative ids are left out.
  init(ordered pairs: [(token: String, id: Int)], unknownToken: String? = nil) {
    self.unknownToken = unknownToken
    let maximum = pairs.last?.id ?? -1
    let dense = maximum < 4 * pairs.count + 1024
    if dense { byID = [String?](repeating: nil, count: maximum + 1) }
    for (token, id) in pairs where id >= 0 {
      guard self.token(for: id) == nil else { continue }
      if dense { byID[id] = token } else { sparseByID[id] = token }
      index.insert(token, id: id)
    }
  }

  /// A vocabulary built from a corpus of tokens: the special tokens first, then every
  /// token seen at least `minimumFrequency` times, most frequent first (ties: first
  /// appearance), at most `maximumSize` entries in all, each with its count.
  public init<S: Sequence>(
    counting corpus: S, specialTokens: [String] = ["<pad>", "<unk>", "<bos>", "<eos>"],
    unknownToken: String = "<unk>", minimumFrequency: Int = 1, maximumSize: Int? = nil
  ) where S.Element == String {
    let counter = TokenCounter()
    for token in corpus { counter.add(token) }
    self.init(
      counts: counter.counted, specialTokens: specialTokens, unknownToken: unknownToken,
      minimumFrequency: minimumFrequency, maximumSize: maximumSize)
  }

  /// A vocabulary from distinct tokens with their counts, in order of first appearance: the
  /// special tokens first, then tokens seen at least `minimumFrequency` times, most
  /// frequent first (ties: first appearance), at most `maximumSize` entries in all. The
  /// special and unknown tokens count 0. Without an unknown token (nil) and special tokens,
  /// this is a word embedding's vocabulary.
  public init(
    counts: [(token: String, count: Int)], specialTokens: [String] = ["<pad>", "<unk>", "<bos>", "<eos>"],
    unknownToken: String? = "<unk>", minimumFrequency: Int = 1, maximumSize: Int? = nil
  ) {
    let special = Set(specialTokens + (unknownToken.map { [$0] } ?? []))
    let kept = counts.indices.filter {
      !special.contains(counts[$0].token) && counts[$0].count >= minimumFrequency
    }
    var ranked = Self.frequencyOrder(kept.map { counts[$0].count }).map { counts[kept[$0]] }
    var leading = specialTokens
    if let unknownToken, !specialTokens.contains(unknownToken) { leading.append(unknownToken) }
    if let maximumSize { ranked = Array(ranked.prefix(max(maximumSize - leading.count, 0))) }
    self.init(
      leading + ranked.map(\.token), counts: [Int](repeating: 0, count: leading.count) + ranked.map(\.count),
      unknownToken: unknownToken)
  }

  /// The positions of `counts` ordered most frequent first, ties in order of position (first
  /// appearance): the order of every counted vocabulary.
  public static func frequencyOrder(_ counts: [Int]) -> [Int] {
    counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
  }

  /// The number of tokens.
  public var count: Int { index.count }

  /// The tokens in order of id.
  public var tokens: [String] {
    byID.compactMap { $0 } + sparseByID.sorted { $0.key < $1.key }.map(\.value)
  }

  /// Every token with its id (a tokenizer file's `vocab`).
  public var ids: [String: Int] {
    var result = [String: Int](minimumCapacity: count)
    for (id, token) in byID.enumerated() { if let token { result[token] = id } }
    for (id, token) in sparseByID { result[token] = id }
    return result
  }

  /// The id of the unknown token, if the vocabulary has one.
  public var unknownID: Int? { unknownToken.flatMap(id(of:)) }

  /// The sum of the counts.
  public var totalCount: Int { counts.reduce(0, +) }

  /// The id of `token`, or nil when it is not in the vocabulary.
  @inline(__always)
  public func id(of token: String) -> Int? { index.id(of: token) }

  /// The id of the token with these UTF-8 bytes, or nil.
  @inline(__always)
  public func id(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int? { index.id(of: bytes) }

  /// The token with id `id`, or nil.
  @inline(__always)
  public func token(for id: Int) -> String? {
    id >= 0 && id < byID.count ? byID[id] : sparseByID[id]
  }

  /// Whether `token` is in the vocabulary.
  public func contains(_ token: String) -> Bool { id(of: token) != nil }

  /// Token ids; tokens outside the vocabulary become ``unknownID`` (and are left out when the
  /// vocabulary has no unknown token).
  public func encode(_ tokens: [String]) -> [Int] {
    let unknown = unknownID
    return tokens.compactMap { id(of: $0) ?? unknown }
  }

  /// Tokens; ids outside the vocabulary become the unknown token (and are left out when the
  /// vocabulary has none).
  public func decode(_ ids: [Int]) -> [String] { ids.compactMap { token(for: $0) ?? unknownToken } }

  /// Adds a token with the next id, if new; returns its id.
  @discardableResult
  public mutating func add(_ token: String) -> Int {
    if let id = index.id(of: token) { return id }
    if !isKnownUniquelyReferenced(&index) { index = index.copy() }
    let id = byID.count
    byID.append(token)
    index.insert(token, id: id)
    return id
  }
}

extension Vocabulary {
  /// Writes the tokens one per line in order of id (the `vocab.txt` of BERT's files, and the
  /// `.vocab` beside a Matrix Market file), through a temporary file renamed into place.
  public func write(linesTo url: URL) throws {
    try Data((tokens.joined(separator: "\n") + (count > 0 ? "\n" : "")).utf8).write(to: url, options: .atomic)
  }

  /// The tokens of a file written by ``write(linesTo:)``, one per line, ids in line order.
  public init(linesOf url: URL, unknownToken: String? = nil) throws {
    self.init(try readLines(of: url), unknownToken: unknownToken)
  }
}

extension Vocabulary: Equatable {
  public static func == (a: Vocabulary, b: Vocabulary) -> Bool {
    a.byID == b.byID && a.sparseByID == b.sparseByID && a.counts == b.counts
      && a.unknownToken == b.unknownToken
  }
}

/// Tokens counted in order of first appearance, looked up by their UTF-8 bytes: the counting
/// a vocabulary is built from (words for tokenizer training, a corpus for word embeddings,
/// tokens for a model's vocabulary). Only each distinct token becomes a `String`.
public final class TokenCounter {
  /// Looks counted tokens up by their bytes; a token's id is its place in order of first appearance.
  let table = TermTable()
  // Only the owner adds (the counter is not shared while counting), so accesses go unchecked:
  // an exclusivity check per word would cost more than the count.
  @exclusivity(unchecked) private var tally: [Int] = []

  /// The counts, by id.
  public var counts: [Int] { tally }

  /// An empty counter.
  public init() {}

  /// The distinct tokens counted, in order of first appearance.
  public var tokens: [String] { table.terms }

  /// Each distinct token with its count, in order of first appearance.
  public var counted: [(token: String, count: Int)] {
    zip(table.terms, counts).map { (token: $0, count: $1) }
  }

  /// The number of distinct tokens.
  public var count: Int { tally.count }

  /// Adds `count` occurrences of the token with these UTF-8 bytes; returns its id.
  @inline(__always)
  @discardableResult
  public func add(_ bytes: UnsafeBufferPointer<UInt8>, count: Int = 1) -> Int {
    let id = Int(table.id(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: bytes.count))
    if id == tally.count { tally.append(0) }
    tally[id] += count
    return id
  }

  /// Adds `count` occurrences of `token`; returns its id.
  @discardableResult
  public func add(_ token: String, count: Int = 1) -> Int {
    var token = token
    return token.withUTF8 { add($0, count: count) }
  }

  /// Adds every count of `other`, its new tokens after this counter's own in their order.
  public func merge(_ other: TokenCounter) {
    for (token, count) in zip(other.table.terms, other.counts) { add(token, count: count) }
  }
}

/// Token bytes → id, in a growing ``ByteKeyTable``; a class so that copies of a vocabulary
/// share it until one of them adds a token.
private final class TokenIndex: @unchecked Sendable {
  // Only a uniquely referenced index is changed (see Vocabulary.add), so accesses go unchecked.
  @exclusivity(unchecked) private var table = ByteKeyTable()
  /// The tokens inserted, in order, for copying.
  private var inserted: [(String, Int)] = []

  var count: Int { table.count }

  @inline(__always)
  func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    table.value(of: bytes).map { Int(truncatingIfNeeded: $0) }
  }

  @inline(__always)
  func id(of token: String) -> Int? {
    token.utf8.withContiguousStorageIfAvailable { id(of: $0) }
      ?? Array(token.utf8).withUnsafeBufferPointer { id(of: $0) }
  }

  /// Adds a token that is not in the index.
  func insert(_ token: String, id: Int) {
    var token = token
    token.withUTF8 { bytes in
      let position = table.locate(bytes)
      if !position.found { table.insert(bytes, value: UInt64(id), at: position) }
    }
    inserted.append((token, id))
  }

  func copy() -> TokenIndex {
    let copy = TokenIndex()
    for (token, id) in inserted { copy.insert(token, id: id) }
    return copy
  }
}

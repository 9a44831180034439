/// A two-way map between tokens and integer ids, the step from text to numbers that a
/// network can read. Tokens outside it map to the unknown token's id.
public struct Vocabulary: Sendable, Equatable {
  /// The tokens, by id.
  public private(set) var tokens: [String]
  private var ids: [String: Int]
  /// The token unknown tokens become.
  public let unknownToken: String

  /// A vocabulary holding `tokens` in order (id = position). The unknown token is added at
  /// the end if `tokens` lacks it.
  public init(_ tokens: [String], unknownToken: String = "<unk>") {
    self.tokens = []
    ids = [:]
    self.unknownToken = unknownToken
    for token in tokens + [unknownToken] where ids[token] == nil {
      ids[token] = self.tokens.count
      self.tokens.append(token)
    }
  }

  /// A vocabulary built from a corpus of tokens: the special tokens first, then every
  /// token seen at least `minimumFrequency` times, most frequent first (ties: first
  /// appearance), at most `maximumSize` entries in all.
  public init<S: Sequence>(
    counting corpus: S, specialTokens: [String] = ["<pad>", "<unk>", "<bos>", "<eos>"],
    unknownToken: String = "<unk>", minimumFrequency: Int = 1, maximumSize: Int? = nil
  ) where S.Element == String {
    var counts: [String: Int] = [:]
    var order: [String] = []
    for token in corpus {
      if counts[token] == nil { order.append(token) }
      counts[token, default: 0] += 1
    }
    self.init(
      counts: order.map { ($0, counts[$0]!) }, specialTokens: specialTokens, unknownToken: unknownToken,
      minimumFrequency: minimumFrequency, maximumSize: maximumSize)
  }

  /// A vocabulary from distinct tokens with their counts, in order of first appearance: the
  /// special tokens first, then tokens seen at least `minimumFrequency` times, most
  /// frequent first (ties: first appearance), at most `maximumSize` entries in all.
  public init(
    counts: [(token: String, count: Int)], specialTokens: [String] = ["<pad>", "<unk>", "<bos>", "<eos>"],
    unknownToken: String = "<unk>", minimumFrequency: Int = 1, maximumSize: Int? = nil
  ) {
    let special = Set(specialTokens + [unknownToken])
    let ranked = counts.enumerated()
      .filter { !special.contains($0.element.token) && $0.element.count >= minimumFrequency }
      .sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }
      .map(\.element.token)
    var all = specialTokens.contains(unknownToken) ? specialTokens : specialTokens + [unknownToken]
    all += ranked
    if let maximumSize { all = Array(all.prefix(max(maximumSize, all.count - ranked.count))) }
    self.init(all, unknownToken: unknownToken)
  }

  /// The number of tokens.
  public var count: Int { tokens.count }

  /// The id of the unknown token.
  public var unknownID: Int { ids[unknownToken]! }

  /// The id of `token`, or nil when it is not in the vocabulary.
  public func id(of token: String) -> Int? { ids[token] }

  /// The token with id `id`, or nil.
  public func token(for id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }

  /// Token ids; unknown tokens become ``unknownID``.
  public func encode(_ tokens: [String]) -> [Int] { tokens.map { ids[$0] ?? unknownID } }

  /// Tokens; ids outside the vocabulary become the unknown token.
  public func decode(_ ids: [Int]) -> [String] { ids.map { token(for: $0) ?? unknownToken } }

  /// Adds a token at the end, if new; returns its id.
  @discardableResult
  public mutating func add(_ token: String) -> Int {
    if let id = ids[token] { return id }
    ids[token] = tokens.count
    tokens.append(token)
    return tokens.count - 1
  }
}

import Foundation

/// tiktoken's byte-level BPE: each token is a byte string with a rank, and a piece of text is
/// encoded as tiktoken does: the whole piece when it is a token, else its bytes merged again
/// and again at the adjacent pair whose joined bytes have the lowest rank (the leftmost of
/// equals), until no joined pair is a token. A token's id is its rank; its text is its bytes
/// written with GPT-2's printable stand-ins (``ByteLevel/byteToScalar``), as byte-level
/// tokenizer.json files write them.
public struct TiktokenModel: TokenizerModel {
  /// Each token's rank by its bytes: a dictionary made from the model's table on every read
  /// (encoding looks ranks up in the table itself), so read it once, not per token.
  public var ranks: [[UInt8]: Int] {
    Dictionary(table.tokens.map { (Array($0.bytes), $0.rank) }) { first, _ in first }
  }
  public let vocabulary: Vocabulary
  /// The same ranks, looked up on raw bytes.
  private let table: RankTable

  /// A model of these ranks.
  public init(ranks: [[UInt8]: Int]) {
    let table = RankTable()
    for (bytes, rank) in ranks { _ = bytes.withUnsafeBufferPointer { table.add($0, rank: rank) } }
    self.init(table)
  }

  /// A model of the ranks in `table` (which is not changed after).
  init(_ table: RankTable) {
    self.table = table
    let tokens = table.tokens.map { (token: Self.text(of: $0.bytes), id: $0.rank) }
    vocabulary = Vocabulary(ordered: tokens.sorted { ($0.id, $0.token) < ($1.id, $1.token) })
  }

  /// The tokens of a piece written with GPT-2's stand-ins (a ``ByteLevel`` pre-tokenizer
  /// without its own pattern makes them), each covering its bytes' scalars.
  public func tokenize(_ piece: [Unicode.Scalar]) -> [ModelToken] {
    let bytes = piece.map { ByteLevel.byte(of: $0) ?? 0 }
    guard !bytes.isEmpty else { return [] }
    return bytes.withUnsafeBufferPointer { bytes in
      func rank(_ range: Range<Int>) -> Int? { table.rank(of: UnsafeBufferPointer(rebasing: bytes[range])) }
      if let rank = rank(0..<bytes.count) { return [token(rank, 0..<bytes.count, piece)] }
      // Each part's start; merged at the pair of lowest rank until none is a token.
      var starts = Array(bytes.indices)
      func end(_ k: Int) -> Int { k + 1 < starts.count ? starts[k + 1] : bytes.count }
      func pairRank(_ k: Int) -> Int? { k + 1 < starts.count ? rank(starts[k]..<end(k + 1)) : nil }
      var pairRanks = starts.indices.map(pairRank)
      while true {
        var best: (rank: Int, at: Int)?
        for (k, r) in pairRanks.enumerated() {
          if let r, best.map({ r < $0.rank }) ?? true { best = (r, k) }
        }
        guard let (_, k) = best else { break }
        starts.remove(at: k + 1)
        pairRanks.remove(at: k + 1)
        pairRanks[k] = pairRank(k)
        if k > 0 { pairRanks[k - 1] = pairRank(k - 1) }
      }
      return starts.indices.map { k in token(rank(starts[k]..<end(k)) ?? 0, starts[k]..<end(k), piece) }
    }
  }

  private func token(_ rank: Int, _ range: Range<Int>, _ piece: [Unicode.Scalar]) -> ModelToken {
    ModelToken(id: rank, text: string(piece[range]), range: range)
  }

  /// Its object in a tokenizer.json: ``bytePairModel``'s.
  public var json: [String: Any]? { bytePairModel.json }

  /// The same model in HuggingFace's form, as tokenizer.json files write it: a byte-level BPE
  /// with `ignore_merges` (a whole piece that is a token stays whole), ids the ranks, and a merge
  /// for every way of cutting a token in two tokens, ordered by the rank of the token they make
  /// (then of the left part, then of the right). Merging the adjacent pair of lowest merge rank
  /// then merges, as tiktoken does, the pair whose joined bytes have the lowest rank.
  public var bytePairModel: BPEModel {
    var merges: [(rank: Int, left: Int, right: Int, merge: BPEModel.Merge)] = []
    for (bytes, rank) in table.tokens where bytes.count > 1 {
      for cut in 1..<bytes.count {
        guard let left = table.rank(of: UnsafeBufferPointer(rebasing: bytes[..<cut])),
          let right = table.rank(of: UnsafeBufferPointer(rebasing: bytes[cut...]))
        else {
          continue
        }
        let merge = BPEModel.Merge(Self.text(of: bytes[..<cut]), Self.text(of: bytes[cut...]))
        merges.append((rank, left, right, merge))
      }
    }
    merges.sort { ($0.rank, $0.left, $0.right) < ($1.rank, $1.left, $1.right) }
    return BPEModel(
      vocabulary: vocabulary.ids, merges: merges.map(\.merge), endOfWord: .none, unknownToken: nil,
      ignoresMerges: true)
  }

  /// Bytes written with GPT-2's printable stand-ins.
  static func text(of bytes: some Collection<UInt8>) -> String {
    string(bytes.lazy.map { ByteLevel.byteToScalar[Int($0)] })
  }

  /// The model's `.tiktoken` rank file: each token's bytes in base64, a space and its rank, a
  /// line each in rank order.
  public var rankFile: Data {
    var data = Data()
    for (bytes, rank) in table.tokens.sorted(by: { $0.rank < $1.rank }) {
      data += Data((Data(bytes).base64EncodedString() + " \(rank)\n").utf8)
    }
    return data
  }
}

extension TiktokenModel {
  /// Why a model has no `.tiktoken` form.
  public struct Unconvertible: Error, CustomStringConvertible {
    public let description: String
  }

  /// The ranks of a byte-level BPE (a tokenizer.json's, GPT-2's) taken as its ids, when tiktoken
  /// would encode with them as the BPE does: every token spelled in GPT-2's byte stand-ins, no
  /// unknown token, prefix or suffix, and the merges in the order of the ids of the tokens they
  /// make (as GPT-2's and every tiktoken-made file's are).
  public init(_ model: BPEModel) throws(Unconvertible) {
    guard model.unknownToken == nil, model.continuingPrefix == nil, model.endOfWord == .none else {
      throw Unconvertible(
        description: "a BPE with an unknown token, a continuing prefix or an end-of-word marker has no ranks")
    }
    var ranks: [[UInt8]: Int] = [:]
    for (token, id) in model.vocabulary.ids {
      var bytes: [UInt8] = []
      for scalar in token.unicodeScalars {
        guard let byte = ByteLevel.byte(of: scalar) else {
          throw Unconvertible(description: "\(token) (id \(id)) is not a byte-level token")
        }
        bytes.append(byte)
      }
      ranks[bytes] = id
    }
    var last = -1
    for (k, merge) in model.merges.enumerated() {
      guard let id = model.vocabulary.id(of: merge.result) else { continue }
      guard id >= last else {
        throw Unconvertible(
          description: "merge \(k + 1) (\(merge.left) \(merge.right)) makes id \(id), below the \(last) "
            + "an earlier merge makes: ranks by id would merge in another order")
      }
      last = id
    }
    self.init(ranks: ranks)
  }
}

extension Tokenizer {
  /// GPT-2's split pattern as tiktoken writes it (r50k, p50k).
  public static let gpt2SplitPattern =
    #"'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
  /// cl100k's split pattern as tiktoken writes it (GPT-4, GPT-3.5).
  public static let cl100kSplitPattern =
    #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#

  /// A tokenizer from tiktoken's `.tiktoken` rank file (one token a line: its bytes in base64,
  /// a space, its rank), cut by `pattern` (a regular expression: ``gpt2SplitPattern``,
  /// ``cl100kSplitPattern``, or the one its encoding names) and with `specialTokens` (by id),
  /// found whole in the text as tiktoken's `allowed_special="all"` finds them. Errors name the
  /// file and the line.
  public static func tiktoken(contentsOf url: URL, pattern: String, specialTokens: [String: Int] = [:]) throws
    -> Tokenizer
  {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw TokenizerFileError(file: url.path, path: "", reason: "cannot be read")
    }
    return try tiktoken(data: data, file: url.path, pattern: pattern, specialTokens: specialTokens)
  }

  /// ``tiktoken(contentsOf:pattern:specialTokens:)`` for the bytes of a rank file; `file`
  /// names it in errors.
  public static func tiktoken(data: Data, file: String, pattern: String, specialTokens: [String: Int] = [:])
    throws
    -> Tokenizer
  {
    let ranks = RankTable()
    var byRank: [Int: Int] = [:]
    var number = 0
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      let bytes = raw.bindMemory(to: UInt8.self)
      var start = 0
      while start < bytes.count {
        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        defer { start = end + 1 }
        number += 1
        guard end > start else { continue }
        func fail(_ reason: String) -> TokenizerFileError {
          TokenizerFileError(file: file, path: "line \(number)", reason: reason)
        }
        // Two fields between spaces, as tiktoken's `line.split()` reads them (a `\r` before the
        // line end included).
        guard let fields = twoFields(UnsafeBufferPointer(rebasing: bytes[start..<end])),
          let token = decodeBase64(fields.0), !token.isEmpty
        else {
          throw fail("expected a token in base64, a space and its rank")
        }
        guard let rank = decimal(fields.1), rank < Int(UInt32.max) else {
          throw fail("expected a rank from 0 to \(UInt32.max - 1)")
        }
        if let other = byRank.updateValue(number, forKey: rank) {
          throw fail("rank \(rank) is also line \(other)'s")
        }
        guard token.withUnsafeBufferPointer({ ranks.add($0, rank: rank) }) else {
          throw fail("a token given twice")
        }
      }
    }
    guard !ranks.tokens.isEmpty else { throw TokenizerFileError(file: file, path: "", reason: "no tokens") }
    let split: Split
    do {
      split = try Split(.regularExpression(pattern), behavior: .isolated)
    } catch {
      throw TokenizerFileError(
        file: file, path: "pattern", reason: "the regular expression does not compile: \(error)")
    }
    let model = TiktokenModel(ranks)
    for (token, id) in specialTokens where model.token(for: id) != nil || id < 0 {
      throw TokenizerFileError(file: file, path: "special token \(token)", reason: "id \(id) is a rank's")
    }
    // GPT-2's pattern is ByteLevel's own, run by its scanner.
    let preTokenizer: any PreTokenizer =
      pattern == gpt2SplitPattern ? ByteLevel() : PreTokenizerSequence([split, ByteLevel(usesRegex: false)])
    var tokenizer = Tokenizer(
      normalizer: nil, preTokenizer: preTokenizer, model: model,
      decoder: ByteLevelDecoder(), specialTokenIDs: Set(specialTokens.values))
    tokenizer.setAddedTokens(
      specialTokens.sorted { $0.value < $1.value }.map { (AddedToken($0.key, special: true), $0.value) })
    return tokenizer
  }
}

/// The bytes that standard base64 (`+`, `/`, `=` padding, as `.tiktoken` files write it) spells,
/// or nil when `text` is not that.
func decodeBase64(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
  guard text.count % 4 == 0 else { return nil }
  var bytes: [UInt8] = []
  bytes.reserveCapacity(text.count / 4 * 3)
  var i = 0
  while i < text.count {
    var group: UInt32 = 0
    var padding = 0
    for k in 0..<4 {
      let c = text[i + k]
      let value: UInt32
      switch c {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(c - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(c - UInt8(ascii: "a")) + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(c - UInt8(ascii: "0")) + 52
      case UInt8(ascii: "+"): value = 62
      case UInt8(ascii: "/"): value = 63
      // Padding only at the end of the last group, at most two.
      case UInt8(ascii: "=")
      where i + 4 == text.count && k >= 2 && (k == 3 || text[i + 3] == UInt8(ascii: "=")):
        value = 0
        padding += 1
      default: return nil
      }
      group = group << 6 | value
    }
    bytes.append(UInt8(group >> 16))
    if padding < 2 { bytes.append(UInt8(group >> 8 & 0xFF)) }
    if padding < 1 { bytes.append(UInt8(group & 0xFF)) }
    i += 4
  }
  return bytes
}

/// The two parts of `line` between runs of ASCII whitespace (space, tab, line feed, vertical
/// tab, form feed, carriage return), as Python's `bytes.split()` cuts them; nil when there are
/// not exactly two.
func twoFields(_ line: UnsafeBufferPointer<UInt8>) -> (
  UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>
)? {
  var fields: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?)
  var start: Int?
  for i in 0...line.count {
    let isSpace = i == line.count || isASCIIWhitespace(line[i])
    if isSpace, let s = start {
      let field = UnsafeBufferPointer(rebasing: line[s..<i])
      if fields.0 == nil { fields.0 = field } else if fields.1 == nil { fields.1 = field } else { return nil }
      start = nil
    } else if !isSpace, start == nil {
      start = i
    }
  }
  guard let first = fields.0, let second = fields.1 else { return nil }
  return (first, second)
}

/// The non-negative decimal number `text` spells (ASCII digits only, at most 18), or nil.
func decimal(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
  guard !text.isEmpty, text.count <= 18 else { return nil }
  var value = 0
  for c in text {
    guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
    value = value * 10 + Int(c - UInt8(ascii: "0"))
  }
  return value
}

/// Byte strings → ranks, looked up on raw bytes (no array made, no `Hasher` run per lookup):
/// each token's bytes are stored once in a ``ByteKeyTable``, which also keeps them for
/// listing. Filled before the model that holds it is made, and only read after, by any thread.
final class RankTable: @unchecked Sendable {
  private var table = ByteKeyTable()
  /// Every token's stored bytes and rank, in the order they were added.
  private(set) var tokens: [(bytes: UnsafeBufferPointer<UInt8>, rank: Int)] = []

  /// Adds `bytes` with `rank`; false, and nothing added, when the bytes are there already.
  func add(_ bytes: UnsafeBufferPointer<UInt8>, rank: Int) -> Bool {
    let position = table.locate(bytes)
    guard !position.found, let stored = table.insert(bytes, value: UInt64(rank), at: position) else {
      return false
    }
    tokens.append((UnsafeBufferPointer(start: stored, count: bytes.count), rank))
    return true
  }

  /// The rank of these bytes, if they are a token.
  @inline(__always)
  func rank(of bytes: UnsafeBufferPointer<UInt8>) -> Int? { table.value(of: bytes).map { Int($0) } }
}

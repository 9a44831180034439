import Foundation

/// How a word ends in BPE: the lecture appends a separate end-of-word symbol (`low` →
/// l o w _), HuggingFace glues a suffix to the last character (`low` → l o w</w>).
public enum EndOfWord: Sendable, Equatable {
  /// A symbol of its own after the last character (the lecture's `_`).
  case symbol(String)
  /// A suffix attached to the last character (HF's `</w>`).
  case suffix(String)
  /// No marker.
  case none

  /// The convention a marker names: none when empty, a suffix when it starts with `<`
  /// (`</w>`), otherwise a symbol of its own (`_`).
  public init(marker: String) {
    self = marker.isEmpty ? .none : marker.hasPrefix("<") ? .suffix(marker) : .symbol(marker)
  }

  /// The initial symbols of `word`: its characters, marked at the end.
  func symbols(of word: String) -> [String] {
    var symbols = word.map(String.init)
    switch self {
    case .symbol(let marker): symbols.append(marker)
    case .suffix(let suffix): if !symbols.isEmpty { symbols[symbols.count - 1] += suffix }
    case .none: break
    }
    return symbols
  }
}

/// A learned byte-pair encoding: the vocabulary and the merge rules in the order they were
/// learned. Encoding a word splits it into characters (plus the end-of-word marker), turns
/// characters outside the vocabulary into the unknown token, then applies the merges by
/// rank, earliest-learned first, as the lecture does by hand. This is also HuggingFace's
/// `BPE` model (with `end_of_word_suffix`) and GPT-2's (no unknown token).
public struct BPEModel: TokenizerModel {
  /// A merge rule: two adjacent symbols become one.
  public struct Merge: Hashable, Sendable {
    /// The two adjacent symbols.
    public let left: String, right: String
    /// The merged symbol: the two joined (WordPiece training drops the right one's `##`).
    public let result: String
    /// A rule merging `left` and `right` into `result` (their concatenation by default).
    public init(_ left: String, _ right: String, result: String? = nil) {
      self.left = left
      self.right = right
      self.result = result ?? left + right
    }
  }

  /// Token ↔ id.
  public let vocabulary: Vocabulary
  /// The merges in learned order.
  public let merges: [Merge]
  /// The end-of-word convention.
  public let endOfWord: EndOfWord
  /// What symbols outside the vocabulary become (nil for byte-level models, which have none).
  public let unknownToken: String?
  /// The prefix of every character but a word's first as an initial symbol (HuggingFace's
  /// `continuing_subword_prefix`, `##` in WordPiece's manner); a merge's result drops the right
  /// symbol's.
  public let continuingPrefix: String?
  /// Whether a character outside the vocabulary becomes the tokens of its UTF-8 bytes,
  /// `<0x00>` … `<0xFF>`, when the vocabulary has them all (sentencepiece's byte fallback, as
  /// Llama-2 and Mistral use it), rather than the unknown token.
  public let byteFallback: Bool
  /// Whether consecutive characters outside the vocabulary make one unknown token.
  public let fusesUnknown: Bool
  /// Whether a piece that is a token of the vocabulary as a whole is that token, without
  /// merging (Llama-3's `ignore_merges`).
  public let ignoresMerges: Bool
  /// Each merge by the ids of its two symbols: its rank (the earliest, if learned twice) and
  /// the id of its result. Merges of symbols outside the vocabulary are left out, as
  /// HuggingFace refuses them.
  private let pairs: IntegerKeyTable<MergeRule>
  private let unknownID: Int32?
  /// The id of each ASCII character as a symbol of its own (−1: not in the vocabulary).
  private let asciiIDs: [Int32]
  /// The id of each byte's token `<0xXX>` for byte fallback (−1: not in the vocabulary).
  private let byteIDs: [Int32]

  /// A model from its vocabulary (token → id) and merges, with sentencepiece's byte fallback
  /// and fused unknown tokens when asked.
  public init(
    vocabulary: [String: Int], merges: [Merge], endOfWord: EndOfWord, unknownToken: String?,
    continuingPrefix: String? = nil, byteFallback: Bool = false, fusesUnknown: Bool = false,
    ignoresMerges: Bool = false
  ) {
    let table = Vocabulary(ids: vocabulary, unknownToken: unknownToken)
    self.vocabulary = table
    self.merges = merges
    self.endOfWord = endOfWord
    self.unknownToken = unknownToken
    self.continuingPrefix = continuingPrefix?.isEmpty == true ? nil : continuingPrefix
    (self.byteFallback, self.fusesUnknown, self.ignoresMerges) = (byteFallback, fusesUnknown, ignoresMerges)
    byteIDs = (0..<256).map { byte in
      byteFallback ? table.id(of: Self.byteToken(UInt8(byte))).map(Int32.init) ?? -1 : -1
    }
    unknownID = table.unknownID.map(Int32.init)
    var pairs = IntegerKeyTable(capacity: merges.count, filler: MergeRule(rank: -1, result: 0))
    for (rank, merge) in merges.enumerated() {
      guard let left = table.id(of: merge.left), let right = table.id(of: merge.right),
        let result = table.id(of: merge.result)
      else { continue }
      pairs.insertIfAbsent(
        pairKey(Int32(left), Int32(right)), MergeRule(rank: Int32(rank), result: Int32(result)))
    }
    self.pairs = pairs
    asciiIDs = (0..<128).map { table.id(of: String(UnicodeScalar(UInt8($0)))).map(Int32.init) ?? -1 }
  }

  /// A model whose ids are the positions of `symbols`, with the unknown token (if any)
  /// added last when `symbols` lacks it.
  public init(symbols: [String], merges: [Merge], endOfWord: EndOfWord, unknownToken: String? = "[UNK]") {
    var ids: [String: Int] = [:]
    for token in symbols + (unknownToken.map { [$0] } ?? []) where ids[token] == nil {
      ids[token] = ids.count
    }
    self.init(vocabulary: ids, merges: merges, endOfWord: endOfWord, unknownToken: unknownToken)
  }

  /// The tokens by id.
  public var tokens: [String] { vocabulary.tokens }

  public func tokenize(_ piece: [Unicode.Scalar]) -> [ModelToken] {
    if ignoresMerges, endOfWord == .none {
      var view = String.UnicodeScalarView()
      view.append(contentsOf: piece)
      let text = String(view)
      if let id = vocabulary.id(of: text) { return [ModelToken(id: id, text: text, range: 0..<piece.count)] }
    }
    // Byte fallback may give up to four symbols a scalar, and the marker's bytes.
    let marker: Int =
      switch endOfWord {
      case .suffix(let text), .symbol(let text): text.utf8.count
      case .none: 0
      }
    let capacity = byteFallback ? 4 * piece.count + marker + 1 : piece.count + 1
    return withUnsafeTemporaryAllocation(of: Symbol.self, capacity: capacity) { symbols in
      let count = merge(symbols, count: initialSymbols(of: piece, into: symbols))
      return symbols[..<count].map { symbol in
        ModelToken(
          id: Int(symbol.id), text: vocabulary.token(for: Int(symbol.id)) ?? "",
          range: Int(symbol.start)..<Int(symbol.end))
      }
    }
  }

  /// A symbol while merging: its id, the scalars it covers, and the rank and result of the
  /// pair it starts (rank .max: no merge).
  private struct Symbol {
    var id: Int32
    var start: Int32, end: Int32
    var rank = Int32.max, result: Int32 = 0
    /// Where it was before the last merge pass (−1: made by it).
    var source: Int32 = -1
  }

  /// The token that stands for a byte in byte fallback: `<0x41>` for 65.
  static func byteToken(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "<0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 15)])>"
  }

  /// Writes the symbols of `piece` (its scalars as ids, marked at the end) and returns how
  /// many. A symbol outside the vocabulary becomes its bytes' tokens with byte fallback (each
  /// standing for the whole character), else the unknown token (one for a run of them when
  /// fusing), or is dropped when there is none (as HuggingFace does). `symbols` has room for
  /// four per scalar.
  private func initialSymbols(of piece: [Unicode.Scalar], into symbols: UnsafeMutableBufferPointer<Symbol>)
    -> Int
  {
    var count = 0
    func append(_ id: Int32, _ offset: Int, length: Int32 = 1) {
      symbols.initializeElement(
        at: count, to: Symbol(id: id, start: Int32(offset), end: Int32(offset) + length))
      count += 1
    }
    func add(_ id: Int32?, _ offset: Int, _ text: @autoclosure () -> String, length: Int32 = 1) {
      if let id { return append(id, offset, length: length) }
      if byteFallback {
        let text = text()
        if text.utf8.allSatisfy({ byteIDs[Int($0)] >= 0 }) {
          for byte in text.utf8 { append(byteIDs[Int(byte)], offset, length: length) }
          return
        }
      }
      guard let unknownID else { return }
      if fusesUnknown, count > 0, symbols[count - 1].id == unknownID, symbols[count - 1].end == Int32(offset)
      {
        symbols[count - 1].end = Int32(offset) + length
      } else {
        append(unknownID, offset, length: length)
      }
    }
    for (offset, scalar) in piece.enumerated() {
      let isLast = offset == piece.count - 1
      if case .suffix(let suffix) = endOfWord, isLast {
        let text = (offset > 0 ? continuingPrefix ?? "" : "") + String(scalar) + suffix
        add(vocabulary.id(of: text).map(Int32.init), offset, text)
      } else if let continuingPrefix, offset > 0 {
        // Byte fallback spells the prefix's bytes too, as HuggingFace does.
        let text = continuingPrefix + String(scalar)
        add(vocabulary.id(of: text).map(Int32.init), offset, text)
      } else if scalar.isASCII {
        let id = asciiIDs[Int(scalar.value)]
        add(id >= 0 ? id : nil, offset, String(scalar))
      } else {
        add(vocabulary.id(of: String(scalar)).map(Int32.init), offset, String(scalar))
      }
    }
    if case .symbol(let marker) = endOfWord {
      add(vocabulary.id(of: marker).map(Int32.init), piece.count, marker, length: 0)
    }
    return count
  }

  /// Applies the merges to the first `count` symbols, in place, and returns how many are left:
  /// each pass takes the adjacent pair learned earliest and merges every occurrence of it, left
  /// to right; pair ranks are kept up to date so that a pass looks up only the pairs it made.
  private func merge(_ symbols: UnsafeMutableBufferPointer<Symbol>, count: Int) -> Int {
    var count = count
    func lookUp(_ i: Int) {
      let rule = i + 1 < count ? pairs.value(of: pairKey(symbols[i].id, symbols[i + 1].id)) : nil
      (symbols[i].rank, symbols[i].result) = rule.map { ($0.rank, $0.result) } ?? (.max, 0)
    }
    for i in 0..<count { lookUp(i) }
    while true {
      var best = Int32.max
      for i in 0..<count { best = min(best, symbols[i].rank) }
      if best == .max { return count }
      var kept = 0
      var i = 0
      while i < count {
        if symbols[i].rank == best {
          symbols[kept] = Symbol(id: symbols[i].result, start: symbols[i].start, end: symbols[i + 1].end)
          i += 2
        } else {
          symbols[kept] = symbols[i]
          symbols[kept].source = Int32(i)
          i += 1
        }
        kept += 1
      }
      count = kept
      // A pair of two untouched neighbours keeps its rank; the others are looked up.
      for k in 0..<count
      where !(symbols[k].source >= 0 && k + 1 < count && symbols[k + 1].source == symbols[k].source + 1) {
        lookUp(k)
      }
    }
  }

  /// The subword tokens of one word.
  public func encode(word: String) -> [String] { tokenize(Array(word.unicodeScalars)).map(\.text) }

  /// The subword tokens of a text: whitespace-separated words, each encoded.
  public func encode(_ text: String) -> [String] {
    WhitespaceTokenizer().words(text).flatMap(encode(word:))
  }
}

/// A merge rule as the encoder looks it up by the ids of its two symbols: its rank and the
/// id of its result, kept beside the key in one table entry.
struct MergeRule: BitwiseCopyable, Sendable {
  var rank: Int32
  var result: Int32
}

extension BPEModel {
  /// Reads its vocabulary, its merges (strings `"left right"` or pairs), its unknown token and
  /// options; refuses dropout, which would make encodings random.
  init(reading node: JSONNode) throws {
    let vocabulary = try node["vocab"].vocabulary()
    let prefix = try node["continuing_subword_prefix"].optionalString()
    let merges = try node["merges"].array().map { item -> BPEModel.Merge in
      if let pair = item.value as? [String], pair.count == 2 {
        return try item.merge(pair[0], pair[1], prefix: prefix, in: vocabulary)
      }
      let parts = try item.string().split(separator: " ", omittingEmptySubsequences: false)
      guard parts.count == 2 else { throw item.fail("expected a merge \"left right\" or [left, right]") }
      return try item.merge(String(parts[0]), String(parts[1]), prefix: prefix, in: vocabulary)
    }
    let endOfWord: EndOfWord =
      if let suffix = try node["end_of_word_suffix"].optionalString() {
        .suffix(suffix)
      } else if let symbol = try node["glossa_end_of_word_symbol"].optionalString() { .symbol(symbol) } else {
        .none
      }
    if !node["dropout"].isNull, (node["dropout"].value as? NSNumber)?.doubleValue != 0 {
      throw node["dropout"].fail("BPE dropout is not supported (encodings would be random)")
    }
    self.init(
      vocabulary: vocabulary, merges: merges, endOfWord: endOfWord,
      unknownToken: node["unk_token"].isNull ? nil : try node["unk_token"].token(in: vocabulary),
      continuingPrefix: prefix, byteFallback: try node["byte_fallback"].optionalBool() ?? false,
      fusesUnknown: try node["fuse_unk"].optionalBool() ?? false,
      ignoresMerges: try node["ignore_merges"].optionalBool() ?? false)
  }

  /// Its object, the lecture's end-of-word symbol in a field of Glossa's own.
  public var json: [String: Any]? {
    var json: [String: Any] = [
      "type": "BPE", "dropout": NSNull(), "unk_token": unknownToken ?? NSNull(),
      "continuing_subword_prefix": continuingPrefix ?? NSNull(), "end_of_word_suffix": NSNull(),
      "fuse_unk": fusesUnknown, "byte_fallback": byteFallback, "ignore_merges": ignoresMerges,
      "vocab": vocabulary.ids, "merges": merges.map { [$0.left, $0.right] },
    ]
    switch endOfWord {
    case .suffix(let suffix): json["end_of_word_suffix"] = suffix
    case .symbol(let symbol): json["glossa_end_of_word_symbol"] = symbol
    case .none: break
    }
    return json
  }
}

extension JSONNode {
  /// A BPE merge of `left` and `right`, each in `vocabulary` and so their merged symbol: with a
  /// continuing-subword prefix, the right one starts with it and the merged symbol drops it
  /// (`a` + `##b` → `ab`), as HuggingFace builds it.
  func merge(_ left: String, _ right: String, prefix: String?, in vocabulary: [String: Int]) throws
    -> BPEModel.Merge
  {
    var result = left + right
    if let prefix, !prefix.isEmpty {
      guard right.utf8.starts(with: prefix.utf8) else {
        throw fail("\(right) does not start with the continuing-subword prefix \(prefix)")
      }
      result = left + String(decoding: right.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }
    for symbol in [left, right, result] where vocabulary[symbol] == nil {
      throw fail("\(symbol) is not in the vocabulary")
    }
    return BPEModel.Merge(left, right, result: result)
  }
}

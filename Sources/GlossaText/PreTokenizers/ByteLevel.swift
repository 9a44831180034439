/// GPT-2's byte-level pre-tokenizer: the text is cut with GPT-2's pattern (contractions,
/// optionally space-prefixed runs of letters, of numbers and of other symbols, and
/// whitespace), then each piece's UTF-8 bytes are written as printable characters, so the
/// model never meets an unknown symbol.
public struct ByteLevel: PreTokenizer {
  /// Whether a space is put before the text, so its first word is cut like the others.
  public let addPrefixSpace: Bool
  /// Whether the text is cut with GPT-2's pattern; without, it is one piece (a `Split` before
  /// it cuts it, as Llama-3's files do).
  public let usesRegex: Bool
  /// A byte-level pre-tokenizer (GPT-2 uses no prefix space, and its pattern).
  public init(addPrefixSpace: Bool = false, usesRegex: Bool = true) {
    (self.addPrefixSpace, self.usesRegex) = (addPrefixSpace, usesRegex)
  }

  /// GPT-2's byte → character table: printable Latin-1 bytes stand for themselves, the
  /// others are shifted to U+0100 and up.
  public static let byteToScalar: [Unicode.Scalar] = {
    var table = [Unicode.Scalar?](repeating: nil, count: 256)
    let printable = Array(33...126) + Array(161...172) + Array(174...255)
    for b in printable { table[b] = Unicode.Scalar(UInt32(b)) }
    var next: UInt32 = 256
    for b in 0..<256 where table[b] == nil {
      table[b] = Unicode.Scalar(next)
      next += 1
    }
    return table.map { $0! }
  }()

  /// The byte a stand-in scalar of ``byteToScalar`` spells, nil for any other scalar.
  @inline(__always)
  public static func byte(of scalar: Unicode.Scalar) -> UInt8? {
    let value = Int(scalar.value)
    guard value < standInBytes.count, case let byte = standInBytes[value], byte >= 0 else { return nil }
    return UInt8(byte)
  }

  /// The inverse of ``byteToScalar`` as an array by scalar value (−1: not a stand-in): the
  /// stand-ins all lie below U+0144.
  private static let standInBytes: [Int16] = {
    var table = [Int16](repeating: -1, count: Int(byteToScalar.map(\.value).max()!) + 1)
    for (byte, scalar) in byteToScalar.enumerated() { table[Int(scalar.value)] = Int16(byte) }
    return table
  }()

  public func split(_ text: NormalizedText) -> [NormalizedText] {
    var text = text
    if addPrefixSpace, text.scalars.first.map({ !ScalarClass.isSpace($0) }) ?? false {
      text.scalars.insert(" ", at: 0)
      text.origins.insert(text.origins[0].lowerBound..<text.origins[0].lowerBound, at: 0)
    }
    return cut(text.scalars).map { prepare(text.slice($0)) }
  }

  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? {
    addPrefixSpace ? nil : cut(scalars)
  }

  /// The pieces: GPT-2's, or the whole text.
  private func cut(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
    usesRegex ? Self.pieces(scalars) : (scalars.isEmpty ? [] : [0..<scalars.count])
  }

  /// Writes each UTF-8 byte of the piece as its printable stand-in.
  public func prepare(_ piece: NormalizedText) -> NormalizedText {
    var piece = piece
    piece.mapScalars { scalar, emit in UTF8.encode(scalar) { emit(Self.byteToScalar[Int($0)]) } }
    return piece
  }

  /// GPT-2's pattern `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
  /// as a scanner: the ranges of the pieces.
  static func pieces(_ s: [Unicode.Scalar]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var i = 0
    let n = s.count
    func run(from j: Int, _ belongs: (Unicode.Scalar) -> Bool) -> Int {
      var k = j
      while k < n && belongs(s[k]) { k += 1 }
      return k
    }
    let isLetter = ScalarClass.isLetter, isNumber = ScalarClass.isNumber, isSpace = ScalarClass.isSpace
    let isOther: (Unicode.Scalar) -> Bool = { !isSpace($0) && !isLetter($0) && !isNumber($0) }
    while i < n {
      if s[i] == "'", let length = contraction(s, after: i) {
        result.append(i..<(i + 1 + length))
        i += 1 + length
        continue
      }
      let start = i
      let body = s[i] == " " && i + 1 < n && !isSpace(s[i + 1]) ? i + 1 : i
      let c = s[body]
      if isLetter(c) {
        i = run(from: body, isLetter)
      } else if isNumber(c) {
        i = run(from: body, isNumber)
      } else if isOther(c) {
        i = run(from: body, isOther)
      } else {
        // Whitespace: all of it at the end of the text, else all but the last scalar
        // (which may prefix the next piece), else the single scalar.
        let end = run(from: start, isSpace)
        i = end == n || end - start == 1 ? end : end - 1
      }
      result.append(start..<i)
    }
    return result
  }

  /// The length of the contraction after an apostrophe at `i` ('s 't 're 've 'm 'll 'd), if any.
  static func contraction(_ s: [Unicode.Scalar], after i: Int) -> Int? {
    func at(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
    switch (at(1), at(2)) {
    case ("r", "e"), ("v", "e"), ("l", "l"): return 2
    case ("s", _), ("t", _), ("m", _), ("d", _): return 1
    default: return nil
    }
  }
}

extension ByteLevel {
  public var json: [String: Any]? {
    ["type": "ByteLevel", "add_prefix_space": addPrefixSpace, "trim_offsets": true, "use_regex": usesRegex]
  }
}

extension ByteLevel {
  init(reading node: JSONNode) throws {
    let settings = try node.byteLevel()
    self.init(addPrefixSpace: settings.addPrefixSpace, usesRegex: settings.usesRegex)
  }
}

extension JSONNode {
  /// A `ByteLevel` object's settings, read as HuggingFace reads them for the pre-tokenizer, the
  /// post-processor and the decoder alike (one type there): `add_prefix_space` and
  /// `trim_offsets` required, `use_regex` true when absent.
  func byteLevel() throws -> (addPrefixSpace: Bool, trimsOffsets: Bool, usesRegex: Bool) {
    (
      try self["add_prefix_space"].bool(), try self["trim_offsets"].bool(),
      try self["use_regex"].bool(default: true)
    )
  }
}

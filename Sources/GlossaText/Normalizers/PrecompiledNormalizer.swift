import Foundation

/// SentencePiece's own normalization, as the tokenizer.json of T5, XLM-R, ALBERT and other
/// SentencePiece models carries it (`Precompiled`): a "charsmap" that maps character
/// sequences to their replacements (NFKC with SentencePiece's own rules: control characters
/// removed, odd spaces made plain, full-width forms narrowed, …).
///
/// The charsmap is a little-endian 32-bit size, a double-array trie (darts-clone's units) of that
/// many bytes, then the replacements, each ending with a zero byte. The trie maps a key's
/// bytes to the offset of its replacement. As HuggingFace applies it: each user-perceived
/// character shorter than 6 UTF-8 bytes is looked up whole; one that is not found (or longer)
/// is looked up scalar by scalar; the first (shortest) key that prefixes what is looked up
/// wins and replaces all of it; what no key prefixes stays as it is.
public struct PrecompiledNormalizer: Normalizer {
  /// A charsmap that cannot be read.
  public struct Malformed: Error, CustomStringConvertible {
    public let description: String
  }

  /// The charsmap as given (a tokenizer.json holds it in base64), written back unchanged.
  public let charsmap: [UInt8]
  /// The trie's units.
  private let units: [UInt32]
  /// The replacements, each ending with a zero byte.
  private let replacements: [UInt8]
  /// Whether each ASCII character, and a carriage return with a line feed (one character),
  /// is replaced by something else.
  private var changesASCII = [Bool](repeating: false, count: 128), changesCRLF = false

  /// Reads a charsmap; throws when it is shorter than its trie says or its replacements are
  /// not UTF-8 (as HuggingFace refuses them).
  public init(charsmap: [UInt8]) throws(Malformed) {
    guard charsmap.count >= 4 else {
      throw Malformed(description: "\(charsmap.count) bytes, too short for the trie's size")
    }
    // Whole units only: the replacements start after the last one (a size that is not a
    // multiple of 4 leaves its odd bytes to them, as HuggingFace reads it).
    let size = Int(littleEndian: charsmap[0..<4]) / 4 * 4
    guard size <= charsmap.count - 4 else {
      throw Malformed(description: "a trie of \(size) bytes in \(charsmap.count - 4)")
    }
    self.charsmap = charsmap
    units = stride(from: 4, to: 4 + size, by: 4).map { UInt32(Int(littleEndian: charsmap[$0..<($0 + 4)])) }
    replacements = Array(charsmap[(4 + size)...])
    guard String(validating: replacements, as: UTF8.self) != nil else {
      throw Malformed(description: "the replacements after the trie are not UTF-8")
    }
    for byte in 0..<UInt8(128) {
      changesASCII[Int(byte)] = replacement(of: [byte]).map { $0 != String(UnicodeScalar(byte)) } ?? false
    }
    changesCRLF = replacement(of: Array("\r\n".utf8)).map { $0 != "\r\n" } ?? false
  }

  public func normalize(_ text: inout NormalizedText) {
    var changes: [(scalar: Unicode.Scalar, change: Int)] = []
    changes.reserveCapacity(text.scalars.count)
    var modified = false
    for character in text.text {
      if character.utf8.count < 6, let replacement = self.replacement(of: character.utf8) {
        Self.replace(character.unicodeScalars.count, by: replacement, in: &changes)
        modified = true
        continue
      }
      for scalar in character.unicodeScalars {
        if let replacement = self.replacement(of: scalar.utf8) {
          Self.replace(1, by: replacement, in: &changes)
          modified = true
        } else {
          changes.append((scalar, 0))
        }
      }
    }
    if modified { text.transform(changes) }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    for (i, byte) in text.enumerated() {
      if changesASCII[Int(byte)] { return false }
      if changesCRLF && byte == 0x0D && i + 1 < text.count && text[i + 1] == 0x0A { return false }
    }
    return true
  }

  /// The changes that put `replacement` for `count` old scalars, as HuggingFace counts them:
  /// the extra new scalars inserted (+1), or the last new one taking away the old ones left
  /// over (the one before it when the replacement is empty).
  private static func replace(
    _ count: Int, by replacement: String, in changes: inout [(scalar: Unicode.Scalar, change: Int)]
  ) {
    let new = Array(replacement.unicodeScalars)
    changes += new.map { ($0, 0) }
    let difference = new.count - count
    if difference > 0 {
      for i in (changes.count - difference)..<changes.count { changes[i].change = 1 }
    } else if difference < 0, !changes.isEmpty {
      changes[changes.count - 1].change += difference
    }
  }

  /// The replacement of the first key that prefixes `key` (UTF-8 bytes; the walk stops at a
  /// zero byte), or nil; a trie that points outside itself finds nothing.
  public func replacement(of key: some Sequence<UInt8>) -> String? {
    func unit(_ i: Int) -> UInt32? { i < units.count ? units[i] : nil }
    // A unit: the offset to its children (bits 10…, shifted 8 more when bit 9 is set), a
    // leaf below it (bit 8), its label (the low byte, and bit 31 set for a value unit).
    func offset(_ u: UInt32) -> Int { Int((u >> 10) << ((u & (1 << 9)) >> 6)) }
    guard var node = unit(0).map(offset) else { return nil }
    for byte in key {
      if byte == 0 { break }
      node ^= Int(byte)
      guard let u = unit(node), u & ((1 << 31) | 0xFF) == UInt32(byte) else { return nil }
      node ^= offset(u)
      if u & (1 << 8) != 0 {
        guard let leaf = unit(node) else { return nil }
        let start = Int(leaf & ((1 << 31) - 1))
        guard start <= replacements.count else { return nil }
        let end = replacements[start...].firstIndex(of: 0) ?? replacements.count
        return String(validating: replacements[start..<end], as: UTF8.self)
      }
    }
    return nil
  }

  public var json: [String: Any]? {
    ["type": "Precompiled", "precompiled_charsmap": Data(charsmap).base64EncodedString()]
  }
}

extension PrecompiledNormalizer {
  /// Reads its base64 charsmap.
  init(reading node: JSONNode) throws {
    let field = node["precompiled_charsmap"]
    guard let charsmap = Data(base64Encoded: try field.string()) else { throw field.fail("expected base64") }
    do { try self.init(charsmap: Array(charsmap)) } catch { throw field.fail("\(error)") }
  }
}

extension Int {
  /// The number four little-endian bytes spell.
  fileprivate init(littleEndian bytes: ArraySlice<UInt8>) {
    self = bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
  }
}

import Foundation
import GlossaText
import Testing

/// One text as HuggingFace's tokenizers encoded it, as the parity fixtures keep it: ids, tokens,
/// character offsets, and, where the fixture has them, the special-tokens mask and the text
/// decoded again (special tokens skipped).
struct HuggingFaceEncoding: Decodable {
  let text: String
  let ids: [Int]
  let tokens: [String]
  let offsets: [[Int]]
  let special_tokens_mask: [Int]?
  let decoded: String?

  /// The first way `tokenizer` encodes or decodes the text otherwise than HuggingFace did, or
  /// nil when it does the same.
  func difference(_ tokenizer: Tokenizer) -> String? {
    let encoding = tokenizer.encode(text)
    let offsets = encoding.offsets.map { [$0.lowerBound, $0.upperBound] }
    if encoding.tokens != tokens { return "tokens \(encoding.tokens) expected \(tokens)" }
    if encoding.ids != ids { return "ids \(encoding.ids) expected \(ids)" }
    if offsets != self.offsets { return "offsets \(offsets) expected \(self.offsets)" }
    if let mask = special_tokens_mask, encoding.specialTokensMask != mask {
      return "special tokens mask \(encoding.specialTokensMask) expected \(mask)"
    }
    if let decoded, tokenizer.decode(encoding.ids) != decoded {
      return "decoded \(tokenizer.decode(encoding.ids).debugDescription) expected \(decoded.debugDescription)"
    }
    return nil
  }
}

/// A case of a parity fixture file: a tokenizer.json as HuggingFace wrote it, and what
/// HuggingFace made of some texts with it.
struct HuggingFaceCase: Decodable {
  let name: String
  let encodings: [HuggingFaceEncoding]
  /// The tokenizer.json's bytes.
  private(set) var json = Data()

  private enum CodingKeys: String, CodingKey { case name, encodings }

  /// The cases of `Fixtures/<file>` beside these tests (a JSON array of objects with a name,
  /// a tokenizer and encodings).
  static func load(_ file: String) throws -> [HuggingFaceCase] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/\(file)")
    let data = try Data(contentsOf: url)
    var cases = try JSONDecoder().decode([HuggingFaceCase].self, from: data)
    let objects = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    for (i, object) in zip(cases.indices, objects) {
      cases[i].json = try JSONSerialization.data(withJSONObject: object["tokenizer"] ?? [:])
    }
    return cases
  }

  /// The tokenizer, read as Glossa reads tokenizer.json files.
  func tokenizer() throws -> Tokenizer { try Tokenizer(json: json, file: name) }

  /// Expects the tokenizer to encode (and decode) every text as HuggingFace did.
  func expectEncodingsAreHuggingFaces() throws {
    let tokenizer = try tokenizer()
    for encoding in encodings {
      #expect(encoding.difference(tokenizer) == nil, "\(name): \(encoding.text.debugDescription)")
    }
  }
}

import Foundation
import GlossaText
import Testing

/// One text (or pair of texts) as HuggingFace's tokenizers encoded it, as the parity fixtures
/// keep it: ids, tokens, character offsets, and, where the fixture has them, the type ids, the
/// masks, the overflowing windows and the text decoded again (special tokens skipped); or the
/// error HuggingFace gave.
struct HuggingFaceEncoding: Decodable {
  let text: String
  let pair: String?
  let add_special_tokens: Bool?
  let error: String?
  let encoding: Expected?
  let decoded: String?

  /// What HuggingFace's `Encoding` held.
  struct Expected: Decodable {
    let ids: [Int]
    let tokens: [String]
    let offsets: [[Int]]
    let type_ids: [Int]?
    let special_tokens_mask: [Int]?
    let attention_mask: [Int]?
    let word_ids: [Int?]?
    let sequence_ids: [Int?]?
    let overflowing: [Expected]?

    /// The first way `encoding` differs from this, or nil.
    func difference(_ encoding: Encoding) -> String? {
      let offsets = encoding.offsets.map { [$0.lowerBound, $0.upperBound] }
      if encoding.tokens != tokens { return "tokens \(encoding.tokens) expected \(tokens)" }
      if encoding.ids != ids { return "ids \(encoding.ids) expected \(ids)" }
      if offsets != self.offsets { return "offsets \(offsets) expected \(self.offsets)" }
      if let type_ids, encoding.typeIDs != type_ids {
        return "type ids \(encoding.typeIDs) expected \(type_ids)"
      }
      if let mask = special_tokens_mask, encoding.specialTokensMask != mask {
        return "special tokens mask \(encoding.specialTokensMask) expected \(mask)"
      }
      if let word_ids, encoding.wordIDs != word_ids {
        return "word ids \(encoding.wordIDs) expected \(word_ids)"
      }
      if let sequence_ids, encoding.sequenceIDs != sequence_ids {
        return "sequence ids \(encoding.sequenceIDs) expected \(sequence_ids)"
      }
      if let mask = attention_mask, encoding.attentionMask != mask {
        return "attention mask \(encoding.attentionMask) expected \(mask)"
      }
      if let overflowing {
        guard encoding.overflowing.count == overflowing.count else {
          return "\(encoding.overflowing.count) overflowing windows, expected \(overflowing.count)"
        }
        for (k, (window, expected)) in zip(encoding.overflowing, overflowing).enumerated() {
          if let difference = expected.difference(window) { return "overflowing window \(k): \(difference)" }
        }
      }
      return nil
    }
  }

  private enum CodingKeys: String, CodingKey { case text, pair, add_special_tokens, error, decoded }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    text = try container.decode(String.self, forKey: .text)
    pair = try container.decodeIfPresent(String.self, forKey: .pair)
    add_special_tokens = try container.decodeIfPresent(Bool.self, forKey: .add_special_tokens)
    error = try container.decodeIfPresent(String.self, forKey: .error)
    decoded = try container.decodeIfPresent(String.self, forKey: .decoded)
    encoding = error == nil ? try Expected(from: decoder) : nil
  }

  /// The first way `tokenizer` encodes or decodes the text otherwise than HuggingFace did
  /// (an error where HuggingFace gave one, an encoding where it gave one), or nil when it does
  /// the same.
  func difference(_ tokenizer: Tokenizer) -> String? {
    let adding = add_special_tokens ?? true
    let encoding: Encoding
    do {
      encoding = try tokenizer.encode(text, pair: pair, addingSpecialTokens: adding)
    } catch {
      return self.error == nil ? "error \(error), expected none" : nil
    }
    if let error = self.error { return "no error, expected \(error)" }
    if pair == nil, adding, encoding != tokenizer.encode(text) {
      return "encode(_:) differs from encode(_:pair:)"
    }
    if let difference = self.encoding!.difference(encoding) { return difference }
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
  /// Batches HuggingFace's `encode_batch` encoded (padded together), where the fixture has them.
  let batches: [Batch]?
  /// The tokenizer.json's bytes.
  private(set) var json = Data()

  /// Texts, or pairs of texts, encoded together: their encodings, or HuggingFace's error.
  struct Batch: Decodable {
    let inputs: Inputs
    let encodings: [HuggingFaceEncoding.Expected]?
    let error: String?

    enum Inputs: Decodable {
      case texts([String]), pairs([[String]])
      init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let texts = try? container.decode([String].self) {
          self = .texts(texts)
        } else {
          self = .pairs(try container.decode([[String]].self))
        }
      }
    }
  }

  private enum CodingKeys: String, CodingKey { case name, encodings, batches }

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

  /// Expects the tokenizer to encode (and decode) every text and pair, and every batch, as
  /// HuggingFace did.
  func expectEncodingsAreHuggingFaces() throws {
    let tokenizer = try tokenizer()
    for encoding in encodings {
      #expect(
        encoding.difference(tokenizer) == nil,
        "\(name): \(encoding.text.debugDescription) \(encoding.pair?.debugDescription ?? "")")
    }
    for (b, batch) in (batches ?? []).enumerated() {
      let result: [Encoding]
      switch batch.inputs {
      case .texts(let texts):
        guard batch.error == nil else {
          #expect(throws: BatchTruncationError.self) { try tokenizer.encode(batch: texts, pairs: nil) }
          continue
        }
        result = tokenizer.encode(batch: texts)
        #expect(try tokenizer.encode(batch: texts, pairs: nil) == result)
      case .pairs(let pairs):
        do {
          result = try tokenizer.encode(batch: pairs.map { $0[0] }, pairs: pairs.map { $0[1] })
          #expect(batch.error == nil, "\(name): batch \(b) encoded, expected \(batch.error ?? "")")
        } catch {
          #expect(batch.error != nil, "\(name): batch \(b): \(error)")
          continue
        }
      }
      let expected = batch.encodings ?? []
      #expect(result.count == expected.count)
      for (k, (encoding, expected)) in zip(result, expected).enumerated() {
        #expect(expected.difference(encoding) == nil, "\(name): batch \(b), input \(k)")
      }
    }
  }
}

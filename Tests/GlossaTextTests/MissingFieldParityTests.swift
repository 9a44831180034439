import Foundation
import GlossaText
import Testing

/// A tokenizer.json short of one field, or with null for it, is loaded or refused as HuggingFace
/// loads or refuses it, and when loaded encodes as HuggingFace does (so a default filled in is
/// HuggingFace's default): Fixtures/missing_field_cases.json, made by
/// make_missing_field_cases.py from the other parity fixtures' tokenizers.
@Suite struct MissingFieldParityTests {
  struct Cases: Decodable {
    /// Texts, each alone (`[text, null]`) or as a pair.
    let inputs: [[String?]]
    let cases: [Case]
  }

  struct Case: Decodable {
    let source: String
    let index: Int
    let path: [Step]
    let operation: String
    let kind: String
    let loads: Bool
    /// HuggingFace's ids for each input, nil where it failed to encode it.
    let ids: [[Int]?]?
    let error: String?
  }

  /// A key of an object or an index into an array.
  enum Step: Decodable {
    case key(String), index(Int)
    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let index = try? container.decode(Int.self) {
        self = .index(index)
      } else {
        self = .key(try container.decode(String.self))
      }
    }
  }

  /// `value` with the field at `path` taken out or set to null.
  static func changing(_ value: Any, at path: ArraySlice<Step>, null: Bool) -> Any {
    guard let step = path.first else { return value }
    switch step {
    case .key(let key):
      var object = value as! [String: Any]
      if path.count == 1 {
        object[key] = null ? NSNull() : nil
      } else {
        object[key] = changing(object[key]!, at: path.dropFirst(), null: null)
      }
      return object
    case .index(let index):
      var array = value as! [Any]
      array[index] = changing(array[index], at: path.dropFirst(), null: null)
      return array
    }
  }

  @Test func aFileShortOfAFieldIsReadAsHuggingFaceReadsIt() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/missing_field_cases.json")
    let data = try Data(contentsOf: url)
    let fixture = try JSONDecoder().decode(Cases.self, from: data)
    // The tokenizers changed: the other fixtures' and the ones this fixture adds.
    let extras = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["extras"] as? [Any] ?? []
    var sources: [String: [[String: Any]]] = ["extras": extras.map { ["tokenizer": $0] }]
    for file in Set(fixture.cases.map(\.source)) where file != "extras" {
      let data = try Data(contentsOf: url.deletingLastPathComponent().appendingPathComponent(file))
      sources[file] = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    }
    #expect(fixture.cases.count > 250)
    for expected in fixture.cases {
      let original = sources[expected.source]![expected.index]["tokenizer"]!
      let changed = Self.changing(original, at: expected.path[...], null: expected.operation == "null")
      let json = try JSONSerialization.data(withJSONObject: changed)
      let label = "\(expected.operation) \(expected.kind) (\(expected.source) #\(expected.index))"
      let tokenizer: Tokenizer
      do {
        tokenizer = try Tokenizer(json: json, file: label)
      } catch {
        // Refused where HuggingFace refuses, or where HuggingFace loads a file it then cannot
        // encode with (a template naming a special token it does not define panics).
        #expect(!expected.loads || expected.ids!.contains { $0 == nil }, "\(label): refused: \(error)")
        continue
      }
      guard expected.loads else {
        Issue.record("\(label): loaded; HuggingFace refuses it: \(expected.error ?? "")")
        continue
      }
      for (input, ids) in zip(fixture.inputs, expected.ids!) {
        let encoded = try? tokenizer.encode(input[0]!, pair: input[1]).ids
        if let ids { #expect(encoded == ids, "\(label): \(input)") }
      }
    }
  }
}

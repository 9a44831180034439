/// A post-processor written as templates (HuggingFace's `TemplateProcessing`): the single
/// text's (`[CLS] $A [SEP]`) and the pair's (`[CLS] $A [SEP] $B:1 [SEP]:1`), each piece a text
/// or a special token with its type id.
public struct TemplateProcessing: PostProcessor {
  /// A piece of a template.
  public enum Piece: Sendable, Equatable {
    /// The first text (`$A`, 0) or the second (`$B`, 1), its tokens given `typeID`.
    case text(Int, typeID: Int)
    /// The special token named so in ``TemplateProcessing/specialTokens``.
    case special(String, typeID: Int)
  }

  /// The template of a single text.
  public let single: [Piece]
  /// The template of a pair.
  public let pair: [Piece]
  /// The special tokens by name: each one or more tokens with their ids.
  public let specialTokens: [String: [(token: String, id: Int)]]

  /// A template processor; every special token the templates name must be given, and a single
  /// text's template cannot use the second text.
  public init(single: [Piece], pair: [Piece], specialTokens: [String: [(token: String, id: Int)]]) throws {
    let missing = Set((single + pair).compactMap { if case .special(let name, _) = $0 { name } else { nil } })
      .subtracting(specialTokens.keys)
    guard missing.isEmpty else {
      throw TemplateError("missing special tokens \(missing.sorted().joined(separator: ", "))")
    }
    guard !single.contains(where: { if case .text(let k, _) = $0 { k != 0 } else { false } }) else {
      throw TemplateError("a single text's template can only use $A")
    }
    guard (single + pair).allSatisfy({ if case .text(let k, _) = $0 { k == 0 || k == 1 } else { true } })
    else {
      throw TemplateError("texts are $A and $B only")
    }
    (self.single, self.pair, self.specialTokens) = (single, pair, specialTokens)
  }

  /// Why a template cannot be used.
  public struct TemplateError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
  }

  /// Lays the texts out as the template says: each text's tokens take its type id (their
  /// overflowing windows keep theirs), special tokens are added when asked.
  public func process(_ encodings: [Encoding], addingSpecialTokens: Bool) -> [Encoding] {
    (encodings.count == 1 ? single : pair).compactMap { piece in
      switch piece {
      case .text(let k, let typeID):
        var encoding = encodings[k]
        encoding.setTypeIDs(typeID)
        return encoding
      case .special(let name, let typeID):
        return addingSpecialTokens ? Encoding(special: specialTokens[name]!, typeID: typeID) : nil
      }
    }
  }

  public func addedTokenCount(pair: Bool) -> Int {
    (pair ? self.pair : single).reduce(0) {
      if case .special(let name, _) = $1 { $0 + specialTokens[name]!.count } else { $0 }
    }
  }

  public var json: [String: Any] {
    func pieces(_ template: [Piece]) -> [[String: Any]] {
      template.map { piece in
        switch piece {
        case .text(let k, let typeID): ["Sequence": ["id": k == 0 ? "A" : "B", "type_id": typeID]]
        case .special(let name, let typeID): ["SpecialToken": ["id": name, "type_id": typeID]]
        }
      }
    }
    return [
      "type": "TemplateProcessing", "single": pieces(single), "pair": pieces(pair),
      "special_tokens": specialTokens.mapValues { tokens -> [String: Any] in
        ["ids": tokens.map(\.id), "tokens": tokens.map(\.token)]
      }.reduce(into: [String: Any]()) { result, entry in
        result[entry.key] = entry.value.merging(["id": entry.key]) { $1 }
      },
    ]
  }
}

extension TemplateProcessing {
  /// Reads the templates (`{"Sequence": {"id": "A", "type_id": 0}}` or `{"SpecialToken": …}`
  /// pieces; a missing pair template is `$A $B:1`) and the special tokens by name.
  init(reading node: JSONNode) throws {
    func template(_ list: JSONNode) throws -> [TemplateProcessing.Piece] {
      try list.array().map { piece in
        if !piece["Sequence"].isNull {
          let name = try piece["Sequence"]["id"].string()
          guard name == "A" || name == "B" else { throw piece["Sequence"]["id"].fail("expected A or B") }
          return .text(name == "A" ? 0 : 1, typeID: try piece["Sequence"]["type_id"].id())
        }
        guard !piece["SpecialToken"].isNull else { throw piece.fail("expected a Sequence or a SpecialToken") }
        return .special(
          try piece["SpecialToken"]["id"].string(), typeID: try piece["SpecialToken"]["type_id"].id())
      }
    }
    var specialTokens: [String: [(token: String, id: Int)]] = [:]
    guard let names = node["special_tokens"].value as? [String: Any] else {
      throw node["special_tokens"].expected("an object of special tokens by name")
    }
    for name in names.keys.sorted() {
      let entry = node["special_tokens"][name]
      _ = try entry["id"].string()
      let (ids, tokens) = (try entry["ids"].array(), try entry["tokens"].array())
      guard ids.count == tokens.count else { throw entry.fail("ids and tokens must be as many") }
      specialTokens[name] = try zip(tokens, ids).map { (try $0.string(), try $1.id()) }
    }
    do {
      try self.init(
        single: try template(node["single"]), pair: try template(node["pair"]), specialTokens: specialTokens)
    } catch let error as TemplateProcessing.TemplateError {
      throw node.fail(error.description)
    }
  }
}

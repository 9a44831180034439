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

/// BERT's post-processor (HuggingFace's `BertProcessing`): `[CLS] A [SEP]` and `[CLS] A [SEP]
/// B [SEP]`, the second text and its `[SEP]` of type 1.
public struct BertProcessing: PostProcessor {
  /// The token put first, and the one after each text.
  public let classification: (token: String, id: Int), separator: (token: String, id: Int)
  private let template: TemplateProcessing

  public init(classification: (token: String, id: Int), separator: (token: String, id: Int)) {
    (self.classification, self.separator) = (classification, separator)
    template = try! TemplateProcessing(
      single: [.special("cls", typeID: 0), .text(0, typeID: 0), .special("sep", typeID: 0)],
      pair: [
        .special("cls", typeID: 0), .text(0, typeID: 0), .special("sep", typeID: 0), .text(1, typeID: 1),
        .special("sep", typeID: 1),
      ], specialTokens: ["cls": [classification], "sep": [separator]])
  }

  /// Without special tokens the texts keep their own type ids (0 and 1).
  public func process(_ encodings: [Encoding], addingSpecialTokens: Bool) -> [Encoding] {
    addingSpecialTokens ? template.process(encodings, addingSpecialTokens: true) : encodings
  }

  public func addedTokenCount(pair: Bool) -> Int { pair ? 3 : 2 }

  public var json: [String: Any] {
    [
      "type": "BertProcessing", "cls": [classification.token, classification.id] as [Any],
      "sep": [separator.token, separator.id] as [Any],
    ]
  }
}

/// RoBERTa's post-processor (HuggingFace's `RobertaProcessing`): `<s> A </s>` and `<s> A </s>
/// </s> B </s>`, every type id 0, offsets trimmed of spaces.
public struct RobertaProcessing: PostProcessor {
  /// The token put first, and the one around each text's end.
  public let classification: (token: String, id: Int), separator: (token: String, id: Int)
  /// The offset trimming (`trim_offsets`, `add_prefix_space`).
  public let offsets: OffsetTrimming
  private let template: TemplateProcessing

  public init(
    classification: (token: String, id: Int), separator: (token: String, id: Int),
    offsets: OffsetTrimming = OffsetTrimming()
  ) {
    (self.classification, self.separator, self.offsets) = (classification, separator, offsets)
    template = try! TemplateProcessing(
      single: [.special("cls", typeID: 0), .text(0, typeID: 0), .special("sep", typeID: 0)],
      pair: [
        .special("cls", typeID: 0), .text(0, typeID: 0), .special("sep", typeID: 0),
        .special("sep", typeID: 0),
        .text(1, typeID: 0), .special("sep", typeID: 0),
      ], specialTokens: ["cls": [classification], "sep": [separator]])
  }

  /// Every type id becomes 0; the overflowing windows' too when special tokens are added
  /// (without them, as in HuggingFace, the windows keep theirs).
  public func process(_ encodings: [Encoding], addingSpecialTokens: Bool) -> [Encoding] {
    let zeroed = encodings.map(offsets.apply).map { encoding in
      var encoding = encoding
      encoding.setTypeIDs(0)
      if addingSpecialTokens {
        for i in encoding.overflowing.indices { encoding.overflowing[i].setTypeIDs(0) }
      }
      return encoding
    }
    return addingSpecialTokens ? template.process(zeroed, addingSpecialTokens: true) : zeroed
  }

  public func addedTokenCount(pair: Bool) -> Int { pair ? 4 : 2 }

  public var json: [String: Any] {
    [
      "type": "RobertaProcessing", "cls": [classification.token, classification.id] as [Any],
      "sep": [separator.token, separator.id] as [Any], "trim_offsets": offsets.isOn,
      "add_prefix_space": offsets.keepsPrefixSpace,
    ]
  }
}

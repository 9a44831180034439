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

extension RobertaProcessing {
  init(reading node: JSONNode) throws {
    self.init(
      classification: try node["cls"].tokenAndID(), separator: try node["sep"].tokenAndID(),
      offsets: OffsetTrimming(
        try node["trim_offsets"].optionalBool() ?? true,
        keepsPrefixSpace: try node["add_prefix_space"].optionalBool() ?? true))
  }
}

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

extension BertProcessing {
  init(reading node: JSONNode) throws {
    self.init(classification: try node["cls"].tokenAndID(), separator: try node["sep"].tokenAndID())
  }
}

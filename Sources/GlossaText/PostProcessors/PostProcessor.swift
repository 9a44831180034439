/// The fourth stage of a tokenizer: what happens to a text's encoding (or a pair's two) after
/// the model, before the two are joined: special tokens around them, their type ids, their
/// offsets trimmed (HuggingFace's `post_processor`).
public protocol PostProcessor: Sendable {
  /// Processes the encodings of one text or of a pair (HuggingFace's `process_encodings`),
  /// adding the special tokens only when `addingSpecialTokens`; the results are then joined.
  func process(_ encodings: [Encoding], addingSpecialTokens: Bool) -> [Encoding]
  /// How many special tokens it adds to one text, or to a pair (truncation leaves room for them).
  func addedTokenCount(pair: Bool) -> Int
  /// Its object in a tokenizer.json.
  var json: [String: Any] { get }
}

extension JSONNode {
  /// A tokenizer.json's `post_processor` (nil for null), read by its type.
  func postProcessor() throws -> (any PostProcessor)? {
    if isNull { return nil }
    switch try type() {
    case "BertProcessing": return try BertProcessing(reading: self)
    case "RobertaProcessing": return try RobertaProcessing(reading: self)
    case "TemplateProcessing": return try TemplateProcessing(reading: self)
    case "ByteLevel": return try ByteLevelPostProcessor(reading: self)
    case "Sequence": return try PostProcessorSequence(reading: self)
    case let other: throw self["type"].fail("unsupported post-processor \(other)")
    }
  }

  /// A special token with its id, `[token, id]`.
  func tokenAndID() throws -> (token: String, id: Int) {
    let items = try array()
    guard items.count == 2 else { throw fail("expected [token, id]") }
    return (try items[0].string(), try items[1].id())
  }

  /// A post-processor's offset trimming: `trim_offsets` and `add_prefix_space`.
  func offsetTrimming() throws -> OffsetTrimming {
    OffsetTrimming(
      try self["trim_offsets"].bool(default: true),
      keepsPrefixSpace: try self["add_prefix_space"].bool(default: true))
  }
}

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
  /// A tokenizer.json's `post_processor` (nil for null). HuggingFace reads it by its fields, not
  /// its type, as the first that reads it of RobertaProcessing (`trim_offsets` and
  /// `add_prefix_space` written: without them the object is BertProcessing), BertProcessing,
  /// ByteLevel (typed), TemplateProcessing and Sequence (typed); a typed object that none reads
  /// gets its own type's error.
  func postProcessor() throws -> (any PostProcessor)? {
    if isNull { return nil }
    let type = self["type"].value as? String
    var readers: [(JSONNode) throws -> any PostProcessor] = [
      { node in
        _ = (try node["trim_offsets"].bool(), try node["add_prefix_space"].bool())
        return try RobertaProcessing(reading: node)
      },
      BertProcessing.init(reading:),
    ]
    if type == "ByteLevel" { readers.append(ByteLevelPostProcessor.init(reading:)) }
    readers.append(TemplateProcessing.init(reading:))
    if type == "Sequence" { readers.append(PostProcessorSequence.init(reading:)) }
    if let processor = firstReading(readers) { return processor }
    switch type {
    case "BertProcessing", "RobertaProcessing": _ = try BertProcessing(reading: self)
    case "TemplateProcessing": _ = try TemplateProcessing(reading: self)
    case "ByteLevel": _ = try ByteLevelPostProcessor(reading: self)
    case "Sequence": _ = try PostProcessorSequence(reading: self)
    default: break
    }
    throw unsupported("post-processor")
  }

  /// A special token with its id, `[token, id]`.
  func tokenAndID() throws -> (token: String, id: Int) {
    let items = try array()
    guard items.count == 2 else { throw fail("expected [token, id]") }
    return (try items[0].string(), try items[1].id())
  }

}

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

/// Several post-processors applied in turn (HuggingFace's `Sequence`).
public struct PostProcessorSequence: PostProcessor {
  /// The post-processors, first applied first.
  public let processors: [any PostProcessor]

  public init(_ processors: [any PostProcessor]) { self.processors = processors }

  public func process(_ encodings: [Encoding], addingSpecialTokens: Bool) -> [Encoding] {
    processors.reduce(encodings) { $1.process($0, addingSpecialTokens: addingSpecialTokens) }
  }

  public func addedTokenCount(pair: Bool) -> Int {
    processors.reduce(0) { $0 + $1.addedTokenCount(pair: pair) }
  }

  public var json: [String: Any] { ["type": "Sequence", "processors": processors.map(\.json)] }
}

/// Byte-level BPE's post-processor (HuggingFace's `ByteLevel`): adds no token, and with
/// ``offsets`` trimming moves each token's offsets off the spaces at its ends.
public struct ByteLevelPostProcessor: PostProcessor {
  /// The offset trimming.
  public let offsets: OffsetTrimming

  public init(_ offsets: OffsetTrimming = OffsetTrimming()) { self.offsets = offsets }

  public func process(_ encodings: [Encoding], addingSpecialTokens: Bool) -> [Encoding] {
    encodings.map(offsets.apply)
  }

  public func addedTokenCount(pair: Bool) -> Int { 0 }

  public var json: [String: Any] {
    [
      "type": "ByteLevel", "trim_offsets": offsets.isOn, "add_prefix_space": offsets.keepsPrefixSpace,
      "use_regex": true,
    ]
  }
}

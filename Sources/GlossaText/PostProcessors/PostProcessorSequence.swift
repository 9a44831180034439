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

extension PostProcessorSequence {
  init(reading node: JSONNode) throws {
    self.init(try node["processors"].array().compactMap { try $0.postProcessor() })
  }
}

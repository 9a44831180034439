/// Decoders applied one after another, each to the strings the one before gave.
public struct DecoderSequence: ChainDecoder {
  /// The decoders, first to last.
  public let decoders: [any TokenDecoder]
  public init(_ decoders: [any TokenDecoder]) { self.decoders = decoders }
  public func decodeChain(_ tokens: [String]) -> [String] {
    decoders.reduce(tokens) { $1.decodeChain($0) }
  }
}

extension DecoderSequence {
  public var json: [String: Any]? {
    sequenceJSON("decoders", decoders.map(\.json))
  }
}

extension DecoderSequence {
  init(reading node: JSONNode) throws {
    self.init(try node["decoders"].array().compactMap { try $0.decoder() })
  }
}

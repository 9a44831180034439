/// All the tokens as one string.
public struct FuseDecoder: ChainDecoder {
  public init() {}
  public func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

extension FuseDecoder { public var json: [String: Any]? { ["type": "Fuse"] } }

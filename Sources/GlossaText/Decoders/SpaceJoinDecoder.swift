/// No decoder: tokens joined by spaces.
public struct SpaceJoinDecoder: TokenDecoder {
  public init() {}
  public func decode(_ tokens: [String]) -> String { tokens.joined(separator: " ") }
}

extension SpaceJoinDecoder { public var json: [String: Any]? { nil } }

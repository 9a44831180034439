/// HuggingFace's `WhitespaceSplit`: runs of non-whitespace.
public struct WhitespaceSplit: RunSplitter {
  public init() {}
  func classify(_ s: Unicode.Scalar) -> RunClass { ScalarClass.isSpace(s) ? .drop : .group(1) }
}

extension WhitespaceSplit { public var json: [String: Any]? { ["type": "WhitespaceSplit"] } }

/// HuggingFace's `Whitespace`: the pattern `\w+|[^\w\s]+`.
public struct WhitespacePreTokenizer: RunSplitter {
  public init() {}
  func classify(_ s: Unicode.Scalar) -> RunClass {
    ScalarClass.isSpace(s) ? .drop : .group(ScalarClass.isWord(s) ? 1 : 2)
  }
}

extension WhitespacePreTokenizer { public var json: [String: Any]? { ["type": "Whitespace"] } }

/// BERT's pre-tokenizer: splits on whitespace (dropped) and isolates every punctuation mark.
public struct BertPreTokenizer: RunSplitter {
  public init() {}
  func classify(_ s: Unicode.Scalar) -> RunClass {
    ScalarClass.isSpace(s) ? .drop : (ScalarClass.isPunctuation(s) ? .alone : .group(1))
  }
}

extension BertPreTokenizer { public var json: [String: Any]? { ["type": "BertPreTokenizer"] } }

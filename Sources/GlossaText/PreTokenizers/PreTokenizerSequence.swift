/// Pre-tokenizers applied in turn, each to every piece of the one before.
public struct PreTokenizerSequence: PreTokenizer {
  /// The pre-tokenizers, in order.
  public let preTokenizers: [any PreTokenizer]
  public init(_ preTokenizers: [any PreTokenizer]) { self.preTokenizers = preTokenizers }
  public func split(_ text: NormalizedText) -> [NormalizedText] {
    preTokenizers.reduce([text]) { pieces, pre in pieces.flatMap { pre.split($0) } }
  }

  /// Each pre-tokenizer's cuts of the pieces of the one before, when all but the last only
  /// cut (Llama-3's `Split` then `ByteLevel`): the last one prepares the pieces.
  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? {
    guard preTokenizers.dropLast().allSatisfy(\.onlyCuts) else { return nil }
    var ranges = scalars.isEmpty ? [] : [0..<scalars.count]
    for pre in preTokenizers {
      var cut: [Range<Int>] = []
      cut.reserveCapacity(ranges.count)
      for range in ranges {
        let piece = range == scalars.indices ? scalars : Array(scalars[range])
        guard let parts = pre.pieceRanges(piece) else { return nil }
        for part in parts {
          cut.append((part.lowerBound + range.lowerBound)..<(part.upperBound + range.lowerBound))
        }
      }
      ranges = cut
    }
    return ranges
  }

  public func prepare(_ piece: NormalizedText) -> NormalizedText {
    preTokenizers.last.map { $0.prepare(piece) } ?? piece
  }

  public var onlyCuts: Bool { preTokenizers.allSatisfy(\.onlyCuts) }
}

extension PreTokenizerSequence {
  public var json: [String: Any]? {
    sequenceJSON("pretokenizers", preTokenizers.map(\.json))
  }
}

extension PreTokenizerSequence {
  init(reading node: JSONNode) throws {
    self.init(try node["pretokenizers"].array().compactMap { try $0.preTokenizer() })
  }
}

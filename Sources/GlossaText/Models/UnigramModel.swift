import Foundation

/// The Unigram language model (SentencePiece): every piece has a log-probability, and a
/// word is cut into the pieces whose scores add up highest (Viterbi). A character no piece
/// covers gets the unknown id (consecutive ones fused, keeping their text, as
/// SentencePiece does), scored below every piece; with byte fallback, such a stretch becomes
/// the `<0xXX>` pieces of its UTF-8 bytes instead, each with the stretch's offsets.
public struct UnigramModel: TokenizerModel {
  /// The pieces with their log-probabilities, by id.
  public let pieces: [(String, Double)]
  /// The id of the unknown token.
  public let unknownID: Int
  /// Whether an unknown stretch is spelled in byte pieces (`<0x41>`) when the vocabulary has
  /// all of them.
  public let byteFallback: Bool
  public let vocabulary: Vocabulary
  let unknownScore: Double
  let longest: Int

  public init(pieces: [(String, Double)], unknownID: Int, byteFallback: Bool = false) {
    self.pieces = pieces
    self.unknownID = unknownID
    self.byteFallback = byteFallback
    vocabulary = Vocabulary(pieces.map(\.0), unknownToken: nil)
    unknownScore = (pieces.map(\.1).min() ?? 0) - 10
    longest = pieces.map { $0.0.unicodeScalars.count }.max() ?? 1
  }

  public func tokenize(_ piece: [Unicode.Scalar]) -> [ModelToken] {
    let n = piece.count
    guard n > 0 else { return [] }
    // best[i]: the highest score of a cut of piece[0..<i], and where its last token starts.
    var best = [(score: Double, start: Int, id: Int)](repeating: (-.infinity, -1, -1), count: n + 1)
    best[0] = (0, 0, -1)
    // The piece's UTF-8 bytes and where each scalar starts in them: candidates are looked up by
    // their bytes, without a string each.
    var utf8 = string(piece)
    var byteStarts = [Int](repeating: 0, count: n + 1)
    for (i, scalar) in piece.enumerated() { byteStarts[i + 1] = byteStarts[i] + UTF8.width(scalar) }
    utf8.withUTF8 { bytes in
      for start in 0..<n where best[start].score > -.infinity {
        var matched = false
        for end in (start + 1)...min(n, start + longest) {
          let candidate = UnsafeBufferPointer(rebasing: bytes[byteStarts[start]..<byteStarts[end]])
          guard let id = vocabulary.id(utf8: candidate) else { continue }
          if end == start + 1 { matched = true }
          let score = best[start].score + pieces[id].1
          if score > best[end].score { best[end] = (score, start, id) }
        }
        if !matched {
          let score = best[start].score + unknownScore
          if score > best[start + 1].score { best[start + 1] = (score, start, unknownID) }
        }
      }
    }
    var tokens: [ModelToken] = []
    var end = n
    while end > 0 {
      let (_, start, id) = best[end]
      // An unknown stretch keeps its own text (consecutive ones fused), with the unknown id.
      if id == unknownID, let last = tokens.last, last.id == unknownID {
        let range = start..<last.range.upperBound
        tokens[tokens.count - 1] = ModelToken(id: id, text: string(piece[range]), range: range)
      } else {
        let text = id == unknownID ? string(piece[start..<end]) : pieces[id].0
        tokens.append(ModelToken(id: id, text: text, range: start..<end))
      }
      end = start
    }
    guard byteFallback else { return tokens.reversed() }
    return tokens.reversed().flatMap { token in
      // An unknown stretch (not the unknown piece itself, met in the text).
      guard token.id == unknownID, token.text != pieces[unknownID].0,
        let bytes = byteTokens(token.text, range: token.range)
      else { return [token] }
      return bytes
    }
  }

  /// The byte pieces of an unknown stretch, or nil when one of them is missing.
  private func byteTokens(_ text: String, range: Range<Int>) -> [ModelToken]? {
    var tokens: [ModelToken] = []
    for byte in text.utf8 {
      let name = BPEModel.byteToken(byte)
      guard let id = vocabulary.id(of: name) else { return nil }
      tokens.append(ModelToken(id: id, text: name, range: range))
    }
    return tokens
  }
  public var vocabularySize: Int { pieces.count }
}

extension UnigramModel {
  /// Reads its pieces and scores (from `exactScores` when given), its unknown id and byte
  /// fallback.
  init(reading node: JSONNode, exactScores: [Double]?) throws {
    var pieces = try node["vocab"].array().map { item -> (String, Double) in
      let pair = try item.array()
      guard pair.count == 2, let score = (pair[1].value as? NSNumber)?.doubleValue else {
        throw item.fail("expected [piece, score]")
      }
      return (try pair[0].string(), score)
    }
    if let exactScores, exactScores.count == pieces.count {
      for i in pieces.indices { pieces[i].1 = exactScores[i] }
    }
    let unknownID = node["unk_id"].isNull ? 0 : try node["unk_id"].int()
    guard pieces.indices.contains(unknownID) || (pieces.isEmpty && node["unk_id"].isNull) else {
      throw node["unk_id"].fail("id \(unknownID) is not in the vocabulary of \(pieces.count) pieces")
    }
    self.init(
      pieces: pieces, unknownID: unknownID, byteFallback: try node["byte_fallback"].bool(default: false))
  }

  public var json: [String: Any]? {
    [
      "type": "Unigram", "unk_id": unknownID, "byte_fallback": byteFallback,
      "vocab": pieces.map { [$0.0, $0.1] as [Any] },
    ]
  }
}

/// A Unigram tokenizer.json's scores read exactly. Foundation's `JSONSerialization` on Linux
/// reads some decimal numbers one unit in the last place away from the nearest double
/// (-7.458672640695945 one below it), and the Viterbi path between pieces of equal total
/// score (00 0 against 0 00) turns on that last bit; `JSONDecoder` reads them exactly, as
/// HuggingFace does.
struct UnigramScores: Decodable {
  struct Model: Decodable {
    let type: String
    let vocab: [Piece]?
  }
  struct Piece: Decodable {
    let score: Double
    init(from decoder: any Decoder) throws {
      var pair = try decoder.unkeyedContainer()
      _ = try pair.decode(String.self)
      score = try pair.decode(Double.self)
    }
  }
  let model: Model

  /// The scores of `data`'s Unigram model, or nil for another model (or a file that does not
  /// decode, which the reader then explains).
  static func read(_ data: Data) -> [Double]? {
    guard data.range(of: Data(#""Unigram""#.utf8)) != nil,
      let scores = try? JSONDecoder().decode(UnigramScores.self, from: data), scores.model.type == "Unigram"
    else { return nil }
    return scores.model.vocab?.map(\.score)
  }
}

import Foundation
import GlossaTensor

/// How the next token is chosen from a language model's scores, as HuggingFace's `generate`
/// chooses it: a repetition penalty on the tokens already there, then greedy choice
/// (temperature 0) or a draw from softmax(logits / temperature) restricted to the `topK` most
/// likely tokens and to the smallest set whose probability reaches `topP` (nucleus sampling).
public struct Sampling: Sendable, Equatable {
  /// Scores are divided by it before the softmax: below 1 sharper, above 1 flatter; 0 picks
  /// the most likely token.
  public var temperature: Float = 1
  /// Only the k most likely tokens may be drawn.
  public var topK: Int? = nil
  /// Only the most likely tokens whose probabilities add up to p may be drawn (at least one).
  public var topP: Double? = nil
  /// A token already generated or in the prompt has its score divided by this when positive
  /// and multiplied when negative (CTRL's penalty; 1: none).
  public var repetitionPenalty: Float = 1
  /// Token ids that are never drawn (HuggingFace's `suppress_tokens`): a language model's
  /// unknown token, say.
  public var suppressedTokens: [Int] = []
  /// Generation stops after this many tokens.
  public var maximumTokens = 50
  /// Generation stops once the text ends with one of these.
  public var stop: [String] = []
  /// The seed of the draws.
  public var seed: UInt64 = 0

  /// The defaults: plain sampling at temperature 1.
  public init() {}

  /// The probabilities the next token is drawn from, after the suppressed tokens, the penalty,
  /// the temperature, top-k and top-p (zero outside the allowed tokens); for temperature 0, all
  /// on the best token (the lowest id among equals).
  public func distribution(logits: [Float], previous: [Int]) -> [Float] {
    var scores = logits
    for id in suppressedTokens where id >= 0 && id < scores.count { scores[id] = -.infinity }
    require(scores.contains { $0 > -.infinity }, "Sampling: every token is suppressed")
    if repetitionPenalty != 1 {
      for id in Set(previous) where id >= 0 && id < scores.count {
        scores[id] = scores[id] > 0 ? scores[id] / repetitionPenalty : scores[id] * repetitionPenalty
      }
    }
    guard temperature > 0 else {
      var one = [Float](repeating: 0, count: scores.count)
      if let best = scores.indices.max(by: {
        scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1)
      }) {
        one[best] = 1
      }
      return one
    }
    // softmax(scores / T), its exponentials taken eight at a time.
    let largest = scores.max() ?? 0
    let inverse = 1 / temperature
    for i in scores.indices { scores[i] = (scores[i] - largest) * inverse }
    scores.withUnsafeMutableBufferPointer { VectorMath.exp($0.baseAddress!, count: $0.count) }
    let total = Double(scores.reduce(0, +))
    guard topK != nil || (topP.map { $0 < 1 } ?? false) else {
      return scores.map { Float(Double($0) / total) }
    }
    // Only the head of the ranking is sorted: the k most likely, or enough of them to reach p.
    var keep = min(topK.map { max($0, 1) } ?? scores.count, scores.count)
    var size = topP == nil ? keep : min(keep, 64)
    var head = mostLikely(scores, size)
    if let topP, topP < 1 {
      while true {
        var cumulative = 0.0
        var reach: Int?
        for (rank, id) in head.enumerated() {
          cumulative += Double(scores[id]) / total
          if cumulative >= topP {
            reach = rank
            break
          }
        }
        if let reach {
          keep = reach + 1
          break
        }
        if size >= keep { break }  // every allowed token is in the head, short of p: keep them all
        size = min(keep, size * 4)
        head = mostLikely(scores, size)
      }
    }
    var allowed = [Float](repeating: 0, count: scores.count)
    var kept = 0.0
    for id in head.prefix(keep) { kept += Double(scores[id]) }
    for id in head.prefix(keep) { allowed[id] = Float(Double(scores[id]) / kept) }
    return allowed
  }

  /// The ids of the `count` largest values, largest first (ties: the lower id), found without
  /// sorting the rest.
  private func mostLikely(_ values: [Float], _ count: Int) -> [Int] {
    guard count < values.count / 4 else {
      return values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        .prefix(count).map { $0 }
    }
    // A sorted list of the best seen so far: a value below its last is skipped in one comparison.
    var best: [Int] = []
    best.reserveCapacity(count + 1)
    for (id, value) in values.enumerated() {
      if best.count == count, let last = best.last, values[last] >= value { continue }
      var position = best.count
      while position > 0 && values[best[position - 1]] < value { position -= 1 }
      best.insert(id, at: position)
      if best.count > count { best.removeLast() }
    }
    return best
  }

  /// A token drawn from ``distribution(logits:previous:)`` with `generator`.
  public func choose(logits: [Float], previous: [Int], generator: inout SeededGenerator) -> Int {
    let p = distribution(logits: logits, previous: previous)
    let u = Float(Double(generator.next() >> 11) / Double(1 << 53))
    var cumulative: Float = 0
    var last = 0
    for (id, probability) in p.enumerated() where probability > 0 {
      cumulative += probability
      last = id
      if u < cumulative { return id }
    }
    return last
  }
}

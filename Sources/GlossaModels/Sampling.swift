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
  /// Generation stops after this many tokens.
  public var maximumTokens = 50
  /// Generation stops once the text ends with one of these.
  public var stop: [String] = []
  /// The seed of the draws.
  public var seed: UInt64 = 0

  /// The defaults: plain sampling at temperature 1.
  public init() {}

  /// The probabilities the next token is drawn from, after the penalty, the temperature, top-k
  /// and top-p (zero outside the allowed tokens); for temperature 0, all on the best token.
  public func distribution(logits: [Float], previous: [Int]) -> [Float] {
    var scores = logits
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
    let largest = scores.max() ?? 0
    var probabilities = scores.map { Foundation.exp(Double(($0 - largest) / temperature)) }
    // Most likely first (ties: the lower id), to cut the tail.
    let ranked = probabilities.indices.sorted {
      probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1
    }
    var keep = ranked.count
    if let topK, topK > 0 { keep = min(keep, topK) }
    if let topP, topP < 1 {
      let total = probabilities.reduce(0, +)
      var cumulative = 0.0
      for (rank, id) in ranked.prefix(keep).enumerated() {
        cumulative += probabilities[id] / total
        if cumulative >= topP {
          keep = rank + 1
          break
        }
      }
    }
    for id in ranked.dropFirst(keep) { probabilities[id] = 0 }
    let total = probabilities.reduce(0, +)
    return probabilities.map { Float($0 / total) }
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

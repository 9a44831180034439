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
    let (ids, probabilities) = candidates(logits: logits, previous: previous)
    guard let ids else { return probabilities }
    var dense = [Float](repeating: 0, count: logits.count)
    for (id, probability) in zip(ids, probabilities) { dense[id] = probability }
    return dense
  }

  /// The tokens ``distribution(logits:previous:)`` allows, by increasing id (nil: every token,
  /// the probabilities then indexed by id), and their probabilities: what a draw needs,
  /// without a vocabulary-long array when top-k keeps a few.
  func candidates(logits: [Float], previous: [Int]) -> (ids: [Int]?, probabilities: [Float]) {
    var scores = logits
    for id in suppressedTokens where id >= 0 && id < scores.count { scores[id] = -.infinity }
    require(scores.contains { $0 > -.infinity }, "Sampling: every token is suppressed")
    if repetitionPenalty != 1 {
      for id in Set(previous) where id >= 0 && id < scores.count {
        scores[id] = scores[id] > 0 ? scores[id] / repetitionPenalty : scores[id] * repetitionPenalty
      }
    }
    guard temperature > 0 else {
      let best = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
      return ([best], [1])
    }
    // softmax(scores / T) over the allowed tokens, its exponentials taken eight at a time; the
    // largest score is subtracted first (top-k's first token, or the largest of all).
    var largest: Float = 0
    let inverse = 1 / temperature
    // Over `ids`, or over every token when nil (without gathering them).
    func softmax(_ ids: [Int]?) -> [Float] {
      var e =
        ids.map { $0.map { (scores[$0] - largest) * inverse } } ?? scores.map { ($0 - largest) * inverse }
      e.withUnsafeMutableBufferPointer { VectorMath.exp($0.baseAddress!, count: $0.count) }
      let scale = Float(1 / Double(e.reduce(0, +)))
      for k in e.indices { e[k] *= scale }
      return e
    }
    if let k = topK, topP == nil || topP! >= 1, k < scores.count {
      // Top-k alone: the k best by score (the exponential keeps the order), normalised among themselves.
      let ranked = Self.mostLikely(scores, max(k, 1))
      largest = scores[ranked[0]]
      let head = ranked.sorted()
      return (head, softmax(head))
    }
    largest = scores.withUnsafeBufferPointer { VectorMath.maximum($0.baseAddress!, count: $0.count) }
    guard let topP, topP < 1 else {
      return (nil, softmax(nil))
    }
    // Top-p (within top-k): only the head of the ranking is sorted, enough of it to reach p.
    let p = softmax(nil)
    var keep = min(topK.map { max($0, 1) } ?? scores.count, scores.count)
    var size = min(keep, 64)
    var head = Self.mostLikely(p, size)
    while true {
      var cumulative = 0.0
      if let reach = head.firstIndex(where: {
        cumulative += Double(p[$0]); return cumulative >= topP
      }) {
        keep = reach + 1
        break
      }
      if size >= keep { break }  // every allowed token is in the head, short of p: keep them all
      size = min(keep, size * 4)
      head = Self.mostLikely(p, size)
    }
    let kept = head.prefix(keep).sorted()
    let mass = kept.reduce(0.0) { $0 + Double(p[$1]) }
    return (kept, kept.map { Float(Double(p[$0]) / mass) })
  }

  /// The ids of the `count` largest values, largest first (ties: the lower id), found without
  /// sorting the rest.
  static func mostLikely(_ values: [Float], _ count: Int) -> [Int] {
    guard count < values.count / 4 else {
      return values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        .prefix(count).map { $0 }
    }
    // A sorted list of the best seen so far. Once it is full, a value not above its last (the
    // threshold) is skipped, and eight values at a time when none of them is above it.
    return values.withUnsafeBufferPointer { v -> [Int] in
      var best: [Int] = []
      best.reserveCapacity(count + 1)
      var threshold = -Float.infinity
      var id = 0
      while id < v.count {
        let end = min(id + 8, v.count)
        if best.count == count && end - id == 8 {
          var largest = v[id]
          for k in (id + 1)..<end { largest = Swift.max(largest, v[k]) }
          if largest <= threshold {
            id = end
            continue
          }
        }
        while id < end {
          let value = v[id]
          if best.count < count || value > threshold {
            var position = best.count
            while position > 0 && v[best[position - 1]] < value { position -= 1 }
            best.insert(id, at: position)
            if best.count > count { best.removeLast() }
            if best.count == count { threshold = v[best[count - 1]] }
          }
          id += 1
        }
      }
      return best
    }
  }

  /// A token drawn from ``distribution(logits:previous:)`` with `generator`.
  public func choose(logits: [Float], previous: [Int], generator: inout SeededGenerator) -> Int {
    let (ids, probabilities) = candidates(logits: logits, previous: previous)
    let u = Float(Double(generator.next() >> 11) / Double(1 << 53))
    var cumulative: Float = 0
    var last = ids?[0] ?? 0
    for (k, probability) in probabilities.enumerated() where probability > 0 {
      cumulative += probability
      last = ids?[k] ?? k
      if u < cumulative { return last }
    }
    return last
  }
}

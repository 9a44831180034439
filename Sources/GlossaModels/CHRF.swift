import Foundation

/// chrF (Popović, 2015) exactly as sacreBLEU computes it by default: the character n-grams of
/// orders 1–6 of each segment with its whitespace removed, their precision P and recall R
/// summed over the corpus, averaged over the orders that occur in both hypothesis and reference,
/// and combined as F_β = (1 + β²) P R / (β² P + R) with β = 2 (recall weighs twice as much), in
/// percent. With several references, each segment counts against the one it matches best.
public struct CHRF: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The score, 0–100.
  public var score: Double
  /// References per segment.
  public var referenceCount: Int

  /// The highest character n-gram order, and β.
  public static let characterOrder = 6
  public static let beta = 2.0

  /// The corpus chrF of `hypotheses` against reference streams (as ``BLEU/init(hypotheses:references:)``).
  public init(hypotheses: [String], references: [[String]]) throws {
    try BLEU.checkStreams(hypotheses, references)
    var total = [Int](repeating: 0, count: 3 * Self.characterOrder)
    for (i, hypothesis) in hypotheses.enumerated() {
      let hypothesisNGrams = Self.ngrams(hypothesis)
      var best: (score: Double, statistics: [Int]) = (-1, [])
      for stream in references {
        let referenceNGrams = Self.ngrams(stream[i])
        var statistics: [Int] = []
        for (h, r) in zip(hypothesisNGrams, referenceNGrams) {
          var (hypothesisCount, matches) = (0, 0)
          for (ngram, count) in h {
            hypothesisCount += count
            matches += min(count, r[ngram] ?? 0)
          }
          // No hypothesis n-grams count where the reference has none of the order.
          statistics += [r.isEmpty ? 0 : hypothesisCount, r.values.reduce(0, +), matches]
        }
        let score = Self.fScore(statistics)
        if score > best.score { best = (score, statistics) }
      }
      for k in best.statistics.indices { total[k] += best.statistics[k] }
    }
    score = Self.fScore(total)
    referenceCount = references.count
  }

  /// F_β of averaged precision and recall, over the orders with n-grams on both sides.
  static func fScore(_ statistics: [Int]) -> Double {
    var (precision, recall, orders) = (0.0, 0.0, 0)
    for order in 0..<(statistics.count / 3) {
      let (hypothesis, reference, matches) = (
        statistics[3 * order], statistics[3 * order + 1], statistics[3 * order + 2]
      )
      guard hypothesis > 0 && reference > 0 else { continue }
      precision += Double(matches) / Double(hypothesis)
      recall += Double(matches) / Double(reference)
      orders += 1
    }
    guard orders > 0 else { return 0 }
    (precision, recall) = (precision / Double(orders), recall / Double(orders))
    let factor = beta * beta
    guard precision + recall > 0 else { return 0 }
    return 100 * (1 + factor) * precision * recall / (factor * precision + recall)
  }

  /// The character n-grams of each order of a segment without its whitespace.
  static func ngrams(_ segment: String) -> [[String: Int]] {
    let characters = PythonText.split(Array(segment.unicodeScalars)).joined().map { $0 }
    return (1...characterOrder).map { n in
      var counts: [String: Int] = [:]
      if characters.count >= n {
        for start in 0...(characters.count - n) {
          counts[String(String.UnicodeScalarView(characters[start..<(start + n)])), default: 0] += 1
        }
      }
      return counts
    }
  }

  /// sacreBLEU's signature of these settings.
  public var signature: String {
    "nrefs:\(referenceCount)|case:mixed|eff:yes|nc:6|nw:0|space:no|version:\(BLEU.sacreBLEUVersion)"
  }

  /// The score as sacreBLEU prints it: `chrF2 = 51.14`.
  public var description: String { String(format: "chrF2 = %.2f", score) }
}

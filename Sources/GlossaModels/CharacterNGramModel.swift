import Foundation

/// A character n-gram language model: P(c | the n − 1 characters before it), from counts of a
/// text's n-grams with interpolated absolute discounting (each order's counts less a discount
/// of 0.75, the mass taken given to the next lower order, down to a uniform distribution over
/// the alphabet), so that every character of the alphabet has a probability in every context.
/// The beginning of a line is a context of its own (padded with a start symbol). A speech
/// recogniser's beam search reads it to prefer transcripts that look like the language.
public struct CharacterNGramModel: Sendable, Codable, Equatable {
  /// The n of the n-grams.
  public let order: Int
  /// The characters it predicts.
  public let alphabet: [Character]
  /// For each context (of 0 to n − 1 characters), how often each next character followed it.
  private var counts: [String: [Character: Int]] = [:]
  private static let start: Character = "\u{2}"
  private static let discount = 0.75

  enum CodingKeys: String, CodingKey { case order, alphabet, counts }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(order, forKey: .order)
    try container.encode(String(alphabet), forKey: .alphabet)
    try container.encode(counts.mapValues { $0.mapKeys(String.init) }, forKey: .counts)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    order = try container.decode(Int.self, forKey: .order)
    alphabet = Array(try container.decode(String.self, forKey: .alphabet))
    counts = try container.decode([String: [String: Int]].self, forKey: .counts).mapValues {
      Dictionary(uniqueKeysWithValues: $0.compactMap { key, value in key.first.map { ($0, value) } })
    }
  }

  /// A model of `order` counted over `lines`, predicting the characters of `alphabet` (others
  /// in the lines are skipped).
  public init(order: Int, alphabet: [Character], lines: [String]) {
    precondition(
      order >= 1 && !alphabet.isEmpty, "CharacterNGramModel: an order of 1 or more, and an alphabet")
    (self.order, self.alphabet) = (order, alphabet)
    let known = Set(alphabet)
    for line in lines {
      var history = [Character](repeating: Self.start, count: order - 1)
      for character in line where known.contains(character) {
        for length in 0..<order {
          counts[String(history.suffix(length)), default: [:]][character, default: 0] += 1
        }
        history = Array((history + [character]).suffix(order - 1))
      }
    }
  }

  /// log P(`character` | the characters of `history`, the last n − 1 of them read; fewer at the
  /// beginning of a line).
  public func logProbability(_ character: Character, after history: some Collection<Character>) -> Double {
    let padded =
      [Character](repeating: Self.start, count: max(0, order - 1 - history.count)) + history.suffix(order - 1)
    var probability = 1 / Double(alphabet.count)
    for length in 0..<order {
      let context = String(padded.suffix(length))
      guard let following = counts[context] else { continue }
      let total = Double(following.values.reduce(0, +))
      let seen = Double(following.count)
      let count = Double(following[character] ?? 0)
      probability = max(count - Self.discount, 0) / total + Self.discount * seen / total * probability
    }
    return log(probability)
  }
}

extension Dictionary {
  fileprivate func mapKeys<T: Hashable>(_ transform: (Key) -> T) -> [T: Value] {
    Dictionary<T, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
  }
}

/// A language model's part in a speech recogniser's beam search (shallow fusion): each prefix
/// ranked by log P_CTC + `weight` · log P_LM + `reward` · its characters (the reward offsets the
/// language model's preference for short transcripts).
public struct ShallowFusion: Sendable {
  public var model: CharacterNGramModel
  public var weight: Double
  public var reward: Double

  public init(model: CharacterNGramModel, weight: Double = 0.5, reward: Double = 1) {
    (self.model, self.weight, self.reward) = (model, weight, reward)
  }
}

import Foundation

/// A named entity found in a tag sequence: its type and the tokens it spans.
public struct Entity: Sendable, Hashable, Codable {
  /// The type (`PER`, `geo-loc`, …).
  public var type: String
  /// The first and last token, inclusive.
  public var start: Int, end: Int
}

/// How a tagger's tags compare with the true ones: token accuracy (and on the words training
/// never saw), each tag's precision, recall and F1, and for entity tags (BIO / IOB2 / BIOES) the
/// entity-level precision, recall and F1 as `conlleval` and seqeval's default mode compute them:
/// an entity counts only when its type and both ends match, and an `I-X` after `O` opens one.
public struct TaggingMetrics: Sendable, Equatable, Encodable {
  /// One tag's, or one entity type's, figures.
  public struct Scores: Sendable, Equatable, Encodable {
    /// The tag or type.
    public var name: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// How many there are in the true sequences.
    public var support: Int
  }

  /// Tokens tagged right, over all tokens.
  public let accuracy: Double
  /// The same over the tokens not seen in training (nil when none was given or all were seen).
  public let unseenAccuracy: Double?
  /// Tokens scored.
  public let tokens: Int
  /// Each tag's figures, tags in order of name.
  public let perTag: [Scores]
  /// Entity-level micro precision, recall and F1 (all zero when no tag names an entity).
  public let entityPrecision: Double, entityRecall: Double, entityF1: Double
  /// Each entity type's figures.
  public let perType: [Scores]

  /// The metrics of `predicted` against `actual` (sentences of tags); `unseen[s][t]` marks the
  /// tokens training never saw.
  public init(actual: [[String]], predicted: [[String]], unseen: [[Bool]]? = nil) {
    precondition(
      actual.count == predicted.count,
      "TaggingMetrics: \(actual.count) sentences, \(predicted.count) predicted")
    var (correct, total, unseenCorrect, unseenTotal) = (0, 0, 0, 0)
    var truePositive: [String: Int] = [:], predictedCount: [String: Int] = [:],
      actualCount: [String: Int] = [:]
    for (s, (truth, guess)) in zip(actual, predicted).enumerated() {
      precondition(
        truth.count == guess.count,
        "TaggingMetrics: sentence \(s) has \(truth.count) tags, \(guess.count) predicted")
      for (t, (a, p)) in zip(truth, guess).enumerated() {
        total += 1
        actualCount[a, default: 0] += 1
        predictedCount[p, default: 0] += 1
        if a == p {
          correct += 1
          truePositive[a, default: 0] += 1
        }
        if unseen?[s][t] == true {
          unseenTotal += 1
          if a == p { unseenCorrect += 1 }
        }
      }
    }
    accuracy = total > 0 ? Double(correct) / Double(total) : 0
    unseenAccuracy = unseenTotal > 0 ? Double(unseenCorrect) / Double(unseenTotal) : nil
    tokens = total
    perTag = Set(actualCount.keys).union(predictedCount.keys).sorted().map {
      Self.scores($0, truePositive[$0] ?? 0, predictedCount[$0] ?? 0, actualCount[$0] ?? 0)
    }
    let truthEntities = actual.map { Set(Self.entities($0)) }
    let guessEntities = predicted.map { Set(Self.entities($0)) }
    var hit: [String: Int] = [:], found: [String: Int] = [:], wanted: [String: Int] = [:]
    for (truth, guess) in zip(truthEntities, guessEntities) {
      for e in truth { wanted[e.type, default: 0] += 1 }
      for e in guess { found[e.type, default: 0] += 1 }
      for e in truth.intersection(guess) { hit[e.type, default: 0] += 1 }
    }
    let micro = Self.scores(
      "all", hit.values.reduce(0, +), found.values.reduce(0, +), wanted.values.reduce(0, +))
    (entityPrecision, entityRecall, entityF1) = (micro.precision, micro.recall, micro.f1)
    perType = Set(wanted.keys).union(found.keys).sorted().map {
      Self.scores($0, hit[$0] ?? 0, found[$0] ?? 0, wanted[$0] ?? 0)
    }
  }

  private static func scores(_ name: String, _ hit: Int, _ found: Int, _ wanted: Int) -> Scores {
    let precision = found > 0 ? Double(hit) / Double(found) : 0
    let recall = wanted > 0 ? Double(hit) / Double(wanted) : 0
    let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    return Scores(name: name, precision: precision, recall: recall, f1: f1, support: wanted)
  }

  /// The entities of a tag sequence by conlleval's rules: a tag is `O`, or a prefix (`B`, `I`,
  /// `E`, `S`) and a type joined by `-`; a chunk ends where the next tag starts another or the
  /// type changes, and starts at `B`, `S`, at `I` or `E` after `O` or after a finished chunk,
  /// and wherever the type changes.
  public static func entities(_ tags: [String]) -> [Entity] {
    func split(_ tag: String) -> (prefix: String, type: String) {
      guard tag != "O", let dash = tag.firstIndex(of: "-") else { return (tag == "O" ? "O" : tag, "") }
      return (String(tag[..<dash]), String(tag[tag.index(after: dash)...]))
    }
    var result: [Entity] = []
    var (previousPrefix, previousType) = ("O", "")
    var start: Int?
    for (i, tag) in (tags + ["O"]).enumerated() {
      let (prefix, type) = split(tag)
      if let open = start, endsChunk(previousPrefix, prefix, previousType, type) {
        result.append(Entity(type: previousType, start: open, end: i - 1))
        start = nil
      }
      if startsChunk(previousPrefix, prefix, previousType, type) { start = i }
      (previousPrefix, previousType) = (prefix, type)
    }
    return result
  }

  private static func endsChunk(_ previous: String, _ tag: String, _ previousType: String, _ type: String)
    -> Bool
  {
    if previous == "E" || previous == "S" { return true }
    if (previous == "B" || previous == "I") && (tag == "B" || tag == "S" || tag == "O") { return true }
    return previous != "O" && previous != "." && previousType != type
  }

  private static func startsChunk(_ previous: String, _ tag: String, _ previousType: String, _ type: String)
    -> Bool
  {
    if tag == "B" || tag == "S" { return true }
    if (previous == "E" || previous == "S" || previous == "O") && (tag == "E" || tag == "I") { return true }
    return tag != "O" && tag != "." && previousType != type
  }

  enum CodingKeys: String, CodingKey {
    case accuracy, tokens
    case unseenAccuracy = "unseen_accuracy"
    case perTag = "per_tag"
    case entityPrecision = "entity_precision"
    case entityRecall = "entity_recall"
    case entityF1 = "entity_f1"
    case perType = "per_type"
  }

  /// A readable report: accuracy, the entity figures when there are entities, a line per tag.
  public var summary: String {
    var lines = [String(format: "token accuracy %.4f over %d tokens", accuracy, tokens)]
    if let unseenAccuracy {
      lines.append(String(format: "accuracy on words unseen in training %.4f", unseenAccuracy))
    }
    if !perType.isEmpty {
      lines.append(
        String(
          format: "entities: precision %.4f  recall %.4f  F1 %.4f", entityPrecision, entityRecall, entityF1))
      for s in perType {
        lines.append(Self.line(s))
      }
    }
    lines.append("tags:")
    for s in perTag {
      lines.append(Self.line(s))
    }
    return lines.joined(separator: "\n")
  }

  private static func line(_ s: Scores) -> String {
    "  " + s.name.padding(toLength: max(16, s.name.count), withPad: " ", startingAt: 0)
      + String(format: " P %.4f  R %.4f  F1 %.4f  (%d)", s.precision, s.recall, s.f1, s.support)
  }
}

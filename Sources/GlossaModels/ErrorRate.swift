import Foundation

/// The error rate of recognised text against references, as speech recognition reports it:
/// (substitutions + deletions + insertions) / reference length, from the fewest edits that turn
/// each reference into its hypothesis (Levenshtein alignment), summed over the corpus. A
/// character error rate (CER) counts characters (spaces included), a word error rate (WER)
/// words split at whitespace.
public struct ErrorRate: Sendable, Codable, Equatable, CustomStringConvertible {
  /// The corpus's edits, by kind.
  public var substitutions = 0, deletions = 0, insertions = 0
  /// The references' length, in units.
  public var referenceLength = 0
  /// Whether the units are characters (CER) or words (WER).
  public var unit: Unit

  /// What an error rate counts.
  public enum Unit: String, Sendable, Codable {
    case character, word
  }

  /// The rate, (S + D + I) / N (0 for empty references with nothing inserted, infinite when
  /// only insertions meet empty references).
  public var rate: Double {
    let edits = substitutions + deletions + insertions
    guard referenceLength > 0 else { return edits == 0 ? 0 : .infinity }
    return Double(edits) / Double(referenceLength)
  }

  /// The error rate of `hypotheses` against `references`, pair by pair.
  public init(hypotheses: [String], references: [String], unit: Unit) {
    precondition(hypotheses.count == references.count, "ErrorRate: one hypothesis per reference")
    self.unit = unit
    for (hypothesis, reference) in zip(hypotheses, references) {
      switch unit {
      case .character: add(Array(hypothesis), Array(reference))
      case .word:
        add(hypothesis.split(whereSeparator: \.isWhitespace), reference.split(whereSeparator: \.isWhitespace))
      }
    }
  }

  /// Adds one pair's edits: the Levenshtein table d[i][j] (the fewest edits turning the first i
  /// reference units into the first j hypothesis units), kept two rows at a time, with each
  /// cell's counts of each kind of edit (ties prefer substitution, then deletion).
  private mutating func add<Unit: Equatable>(_ hypothesis: [Unit], _ reference: [Unit]) {
    referenceLength += reference.count
    typealias Cell = (cost: Int, substitutions: Int, deletions: Int, insertions: Int)
    var previous: [Cell] = (0...hypothesis.count).map { ($0, 0, 0, $0) }
    for i in 1...max(reference.count, 1) where !reference.isEmpty {
      var current: [Cell] = [(i, 0, i, 0)]
      for j in 1...max(hypothesis.count, 1) where !hypothesis.isEmpty {
        let same = reference[i - 1] == hypothesis[j - 1]
        var diagonal = previous[j - 1]
        if !same { (diagonal.cost, diagonal.substitutions) = (diagonal.cost + 1, diagonal.substitutions + 1) }
        var deletion = previous[j]
        (deletion.cost, deletion.deletions) = (deletion.cost + 1, deletion.deletions + 1)
        var insertion = current[j - 1]
        (insertion.cost, insertion.insertions) = (insertion.cost + 1, insertion.insertions + 1)
        current.append([diagonal, deletion, insertion].min { $0.cost < $1.cost }!)
      }
      previous = current
    }
    let last = previous[previous.count - 1]
    substitutions += last.substitutions
    deletions += last.deletions
    insertions += last.insertions
  }

  public var description: String {
    String(
      format: "%@ = %.2f%% (S %d, D %d, I %d, N %d)", unit == .character ? "CER" : "WER", rate * 100,
      substitutions, deletions, insertions, referenceLength)
  }
}

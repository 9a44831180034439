import Foundation

/// How well predicted classes match the true ones: accuracy, per-class precision, recall and
/// F1, their unweighted mean (macro-F1, which an unbalanced set cannot flatter) and the
/// confusion matrix (row: the true class, column: the predicted one).
public struct ClassificationMetrics: Sendable, Equatable, Encodable {
  /// One class's figures.
  public struct PerClass: Sendable, Equatable, Encodable {
    /// The class.
    public var label: String
    /// Of the examples predicted as this class, the share that are.
    public var precision: Double
    /// Of the examples of this class, the share predicted so.
    public var recall: Double
    /// 2PR / (P + R) (0 when both are 0).
    public var f1: Double
    /// The examples of this class.
    public var support: Int
  }

  /// The class names, in the order of the matrix.
  public let labels: [String]
  /// `confusion[t][p]`: examples of class t predicted as p.
  public let confusion: [[Int]]
  /// The share predicted right.
  public let accuracy: Double
  /// The mean F1 over the classes.
  public let macroF1: Double
  /// Each class's figures.
  public let perClass: [PerClass]

  /// The metrics of `predicted` against `actual` (class indices into `labels`).
  public init(labels: [String], actual: [Int], predicted: [Int]) {
    precondition(
      actual.count == predicted.count,
      "ClassificationMetrics: \(actual.count) labels, \(predicted.count) predictions")
    let n = labels.count
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
    for (t, p) in zip(actual, predicted) { confusion[t][p] += 1 }
    let perClass = (0..<n).map { c -> PerClass in
      let truePositive = Double(confusion[c][c])
      let predictedAs = Double((0..<n).reduce(0) { $0 + confusion[$1][c] })
      let support = confusion[c].reduce(0, +)
      let precision = predictedAs > 0 ? truePositive / predictedAs : 0
      let recall = support > 0 ? truePositive / Double(support) : 0
      let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
      return PerClass(label: labels[c], precision: precision, recall: recall, f1: f1, support: support)
    }
    self.labels = labels
    self.confusion = confusion
    accuracy =
      actual.isEmpty ? 0 : Double((0..<n).reduce(0) { $0 + confusion[$1][$1] }) / Double(actual.count)
    macroF1 = n > 0 ? perClass.map(\.f1).reduce(0, +) / Double(n) : 0
    self.perClass = perClass
  }

  enum CodingKeys: String, CodingKey {
    case labels, confusion, accuracy
    case macroF1 = "macro_f1"
    case perClass = "per_class"
  }

  /// A readable report: accuracy, macro-F1, a line per class, the confusion matrix.
  public var summary: String {
    var lines = [String(format: "accuracy %.4f  macro-F1 %.4f", accuracy, macroF1)]
    let width = max(8, (labels.map(\.count).max() ?? 0) + 2)
    func pad(_ text: String) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
    lines.append(pad("class") + "precision  recall     F1         support")
    for c in perClass {
      lines.append(
        pad(c.label) + String(format: "%-10.4f %-10.4f %-10.4f %d", c.precision, c.recall, c.f1, c.support))
    }
    lines.append("confusion (rows: true class, columns: predicted)")
    lines.append(pad("") + labels.map(pad).joined())
    for (k, row) in confusion.enumerated() {
      lines.append(pad(labels[k]) + row.map { pad(String($0)) }.joined())
    }
    return lines.joined(separator: "\n")
  }
}

import Foundation

/// A benchmark file that cannot be read.
public struct BenchmarkFileError: Error, CustomStringConvertible {
  /// The file.
  public let path: String
  /// The line (from 1).
  public let line: Int
  /// What was expected.
  public let message: String
  public var description: String { "\(path): line \(line): \(message)" }
}

/// Analogy accuracy on a questions-words file (Mikolov et al. 2013): `: section` lines, then
/// `a b c d` lines asking a : b :: c : ? with d the answer.
public struct AnalogyEvaluation: Sendable, Equatable, Encodable {
  /// One section's questions answered right and wrong.
  public struct Section: Sendable, Equatable, Encodable {
    /// The section's name (from its `: name` line).
    public let name: String
    /// Questions answered right.
    public var correct = 0
    /// Questions answered wrong.
    public var incorrect = 0
    /// correct / (correct + incorrect), or 0 without questions.
    public var accuracy: Double {
      correct + incorrect > 0 ? Double(correct) / Double(correct + incorrect) : 0
    }

    private enum CodingKeys: String, CodingKey { case section, accuracy, correct, incorrect }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(name, forKey: .section)
      try container.encode(accuracy, forKey: .accuracy)
      try container.encode(correct, forKey: .correct)
      try container.encode(incorrect, forKey: .incorrect)
    }
  }

  /// The sections, in file order.
  public var sections: [Section] = []
  /// Questions skipped because a word is not among the first `limit` words.
  public var outOfVocabulary = 0
  /// All questions answered.
  public var correct: Int { sections.reduce(0) { $0 + $1.correct } }
  /// All questions answered wrong.
  public var incorrect: Int { sections.reduce(0) { $0 + $1.incorrect } }
  /// Accuracy over the answered questions (gensim's "Total accuracy").
  public var accuracy: Double { correct + incorrect > 0 ? Double(correct) / Double(correct + incorrect) : 0 }
  /// Every question of the file.
  public var questions: Int { correct + incorrect + outOfVocabulary }

  private enum CodingKeys: String, CodingKey {
    case accuracy, correct, incorrect, sections, questions
    case outOfVocabulary = "out_of_vocabulary"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(accuracy, forKey: .accuracy)
    try container.encode(correct, forKey: .correct)
    try container.encode(incorrect, forKey: .incorrect)
    try container.encode(outOfVocabulary, forKey: .outOfVocabulary)
    try container.encode(questions, forKey: .questions)
    try container.encode(sections, forKey: .sections)
  }

  /// A line per section and one for the total (accuracy and counts), then the questions left
  /// out because a word is not among the first `limit` words.
  public func summary(limit: Int) -> String {
    func line(_ name: String, _ accuracy: Double, _ correct: Int, _ answered: Int) -> String {
      name.padding(toLength: max(32, name.count), withPad: " ", startingAt: 0)
        + String(format: " %6.2f%%  (%d/%d)", accuracy * 100, correct, answered)
    }
    let lines =
      sections.map { line($0.name, $0.accuracy, $0.correct, $0.correct + $0.incorrect) } + [
        line("total", accuracy, correct, correct + incorrect),
        "questions with words outside the first \(limit): \(outOfVocabulary) of \(questions)",
      ]
    return lines.joined(separator: "\n")
  }
}

/// Word-similarity correlation on `word1 word2 score` pairs (WordSim-353 style).
public struct SimilarityEvaluation: Sendable, Equatable, Codable {
  /// Spearman's ρ between the human scores and the cosine similarities.
  public let spearman: Double
  /// Pearson's r between them.
  public let pearson: Double
  /// Pairs scored.
  public let pairs: Int
  /// Pairs skipped because a word has no vector.
  public let outOfVocabulary: Int

  private enum CodingKeys: String, CodingKey {
    case spearman, pearson, pairs
    case outOfVocabulary = "out_of_vocabulary"
  }

  /// One line: both correlations, the pairs scored and those left out.
  public var summary: String {
    String(
      format: "similarity: Spearman %.4f  Pearson %.4f  (%d pairs, %d out of vocabulary)", spearman, pearson,
      pairs, outOfVocabulary)
  }
}

/// The results of ``KeyedVectors/evaluateAnalogies(_:limit:caseInsensitive:method:)`` and
/// ``KeyedVectors/evaluateSimilarity(_:limit:caseInsensitive:)`` together, as one JSON object.
public struct EmbeddingEvaluation: Sendable, Encodable {
  /// Analogy accuracy, when asked.
  public var analogies: AnalogyEvaluation?
  /// Word-similarity correlation, when asked.
  public var similarity: SimilarityEvaluation?

  /// The results.
  public init(analogies: AnalogyEvaluation? = nil, similarity: SimilarityEvaluation? = nil) {
    self.analogies = analogies
    self.similarity = similarity
  }

  /// The JSON object (keys sorted), one line.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }
}

extension KeyedVectors {
  /// The first `limit` words keyed by lowercased form (`caseInsensitive`) or as they are;
  /// when two fold together the more frequent (earlier) one wins, as in gensim.
  func lookup(limit: Int, caseInsensitive: Bool) -> [String: Int] {
    var table: [String: Int] = [:]
    for i in (0..<Swift.min(limit, count)).reversed() {
      table[caseInsensitive ? words[i].lowercased() : words[i]] = i
    }
    return table
  }

  /// Answers every question of a questions-words file with 3CosAdd (or 3CosMul) among the
  /// first `limit` words (gensim's `evaluate_word_analogies`: 30,000, case-insensitive); the
  /// answer is the best word other than a, b and c. Questions with a word outside those
  /// words are counted, not answered.
  public func evaluateAnalogies(
    _ url: URL, limit: Int = 30_000, caseInsensitive: Bool = true, method: AnalogyMethod = .cosAdd
  ) throws -> AnalogyEvaluation {
    let known = lookup(limit: limit, caseInsensitive: caseInsensitive)
    var result = AnalogyEvaluation()
    for (number, line) in try benchmarkLines(url) {
      if line.hasPrefix(":") {
        result.sections.append(.init(name: line.dropFirst().trimmingCharacters(in: .whitespaces)))
        continue
      }
      let fields = line.split(whereSeparator: \.isWhitespace).map {
        caseInsensitive ? $0.lowercased() : String($0)
      }
      guard fields.count == 4 else {
        throw BenchmarkFileError(
          path: url.path, line: number, message: "expected four words, found \(fields.count)")
      }
      guard !result.sections.isEmpty else {
        throw BenchmarkFileError(
          path: url.path, line: number, message: "a question before the first ': section' line")
      }
      let rows = fields.compactMap { known[$0] }
      guard rows.count == 4 else {
        result.outOfVocabulary += 1
        continue
      }
      let answers = analogy(
        positive: [rows[1], rows[2]], negative: [rows[0]], method: method, top: 5, limit: limit)
      // The best answer that is not a question word in another case.
      let predicted = answers.lazy.map { caseInsensitive ? $0.word.lowercased() : $0.word }
        .first { !fields[0..<3].contains($0) }
      if predicted == fields[3] {
        result.sections[result.sections.count - 1].correct += 1
      } else {
        result.sections[result.sections.count - 1].incorrect += 1
      }
    }
    return result
  }

  /// Spearman and Pearson correlation between human similarity scores and cosine similarity
  /// over the pairs of a `word1 word2 score` file (tab or space separated, `#` comments),
  /// among the first `limit` words.
  public func evaluateSimilarity(
    _ url: URL, limit: Int = 300_000, caseInsensitive: Bool = true
  ) throws -> SimilarityEvaluation {
    let known = lookup(limit: limit, caseInsensitive: caseInsensitive)
    var human: [Double] = []
    var model: [Double] = []
    var missing = 0
    for (number, line) in try benchmarkLines(url) where !line.hasPrefix("#") {
      let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init)
      guard fields.count == 3, let score = Double(fields[2]) else {
        throw BenchmarkFileError(path: url.path, line: number, message: "expected 'word1 word2 score'")
      }
      let pair = fields[0..<2].map { caseInsensitive ? $0.lowercased() : $0 }
      guard let a = known[pair[0]], let b = known[pair[1]] else {
        missing += 1
        continue
      }
      human.append(score)
      model.append(Double(try similarity(words[a], words[b])))
    }
    return SimilarityEvaluation(
      spearman: pearsonCorrelation(ranks(human), ranks(model)), pearson: pearsonCorrelation(human, model),
      pairs: human.count, outOfVocabulary: missing)
  }

  /// The non-empty lines of a benchmark file with their numbers.
  private func benchmarkLines(_ url: URL) throws -> [(Int, String)] {
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, line in
      let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
      return trimmed.isEmpty ? nil : (i + 1, trimmed)
    }
  }
}

/// Pearson's r = cov(x, y) / (σ_x σ_y); 0 when either is constant.
func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double {
  let n = Double(x.count)
  guard x.count > 1 else { return 0 }
  let (mx, my) = (x.reduce(0, +) / n, y.reduce(0, +) / n)
  var (sxy, sxx, syy) = (0.0, 0.0, 0.0)
  for (a, b) in zip(x, y) {
    sxy += (a - mx) * (b - my)
    sxx += (a - mx) * (a - mx)
    syy += (b - my) * (b - my)
  }
  return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
}

/// Ranks from 1, ties given the mean of the ranks they span (so Spearman's ρ is Pearson's r
/// of the ranks, as scipy computes it).
func ranks(_ values: [Double]) -> [Double] {
  let order = values.indices.sorted { values[$0] < values[$1] }
  var ranks = [Double](repeating: 0, count: values.count)
  var i = 0
  while i < order.count {
    var j = i
    while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
    for k in i...j { ranks[order[k]] = Double(i + j) / 2 + 1 }
    i = j + 1
  }
  return ranks
}

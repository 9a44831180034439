import Foundation
import GlossaEmbeddings
import TestSupport
import Testing

/// Analogy accuracy and word-similarity correlation as gensim computes them, on the gensim
/// fixture vectors (expected figures in Fixtures/gensim_evaluation.json, made with gensim 4.4.0).
@Suite struct EvaluationTests {
  var expected: [String: Any] {
    get throws {
      let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gensim_evaluation.json")
      return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }
  }

  func inputs() throws -> (KeyedVectors, URL, URL)? {
    let vectors = Fixtures.folder.appendingPathComponent("text/gensim/vectors.txt")
    let benchmarks = Fixtures.dataFolder.appendingPathComponent("word-benchmarks")
    let (analogies, pairs) = (
      benchmarks.appendingPathComponent("questions-words-half.txt"),
      benchmarks.appendingPathComponent("wordsim353.tsv")
    )
    guard try Fixtures.available(vectors), try Fixtures.available(analogies), try Fixtures.available(pairs)
    else {
      return nil
    }
    return (try KeyedVectors(contentsOf: vectors), analogies, pairs)
  }

  @Test func analogyAccuracyMatchesGensimSectionBySection() throws {
    guard let (vectors, analogies, _) = try inputs() else { return }
    let reference = try expected["analogies"] as? [String: Any] ?? [:]
    let result = try vectors.evaluateAnalogies(analogies)
    let sections = (reference["sections"] as? [[String: Any]] ?? []).filter {
      $0["section"] as? String != "Total accuracy"
    }
    #expect(result.sections.map(\.name) == sections.map { $0["section"] as? String ?? "" })
    for (mine, theirs) in zip(result.sections, sections) {
      #expect(
        mine.correct == theirs["correct"] as? Int && mine.incorrect == theirs["incorrect"] as? Int,
        "\(mine.name)")
    }
    #expect(abs(result.accuracy - (reference["accuracy"] as? Double ?? -1)) < 1e-9)
    #expect(result.outOfVocabulary > 0 && result.questions == 6743)
  }

  @Test func similarityCorrelationMatchesGensim() throws {
    guard let (vectors, _, pairs) = try inputs() else { return }
    let reference = try expected["similarity"] as? [String: Any] ?? [:]
    let result = try vectors.evaluateSimilarity(pairs)
    #expect(abs(result.spearman - (reference["spearman"] as? Double ?? 9)) < 1e-4)
    #expect(abs(result.pearson - (reference["pearson"] as? Double ?? 9)) < 1e-4)
    let ratio = Double(result.outOfVocabulary) / Double(result.pairs + result.outOfVocabulary) * 100
    #expect(abs(ratio - (reference["oov_ratio"] as? Double ?? 0)) < 1e-6)
  }

  @Test func badBenchmarkLinesAreNamed() throws {
    let vectors = KeyedVectors(
      words: ["a", "b", "c", "d"], dimension: 2, vectors: [1, 0, 0, 1, 1, 1, -1, 0])
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-q-\(UUID().uuidString)")
    try Data(": s\na b c d\na b c\n".utf8).write(to: file)
    #expect(throws: BenchmarkFileError.self) { try vectors.evaluateAnalogies(file) }
    do { _ = try vectors.evaluateAnalogies(file) } catch let error as BenchmarkFileError {
      #expect(error.line == 3)
    }
  }
}

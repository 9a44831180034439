import Foundation
import GlossaEmbeddings
import TestSupport
import Testing

/// Queries on the vectors gensim saved, answered as gensim answered them
/// (`text/gensim/queries.json`: most_similar, similarity, 3CosAdd and 3CosMul).
@Suite struct GensimParityTests {
  let folder = Fixtures.folder.appendingPathComponent("text/gensim")

  func load(_ name: String) throws -> KeyedVectors? {
    let url = folder.appendingPathComponent(name)
    guard try Fixtures.available(url) else { return nil }
    return try KeyedVectors(contentsOf: url)
  }

  func queries() throws -> [String: Any]? {
    let url = folder.appendingPathComponent("queries.json")
    guard try Fixtures.available(url) else { return nil }
    return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
  }

  /// Words equal in order, scores within 1e-5.
  func expectSame(_ actual: [(word: String, score: Float)], _ expected: Any?, _ what: String) {
    let expected = (expected as? [[Any]] ?? []).map {
      ($0[0] as? String ?? "", ($0[1] as? NSNumber)?.floatValue ?? .nan)
    }
    #expect(actual.map(\.word) == expected.map(\.0), "\(what)")
    for (a, e) in zip(actual, expected) {
      #expect(abs(a.score - e.1) <= 1e-5, "\(what): \(a.word) \(a.score) vs \(e.1)")
    }
  }

  @Test func textAndBinaryFilesHoldTheSameVectors() throws {
    guard let text = try load("vectors.txt"), let binary = try load("vectors.bin") else { return }
    #expect(text.count > 0 && text.words == binary.words && text.dimension == binary.dimension)
    let largest = zip(text.vectors, binary.vectors).map { abs($0 - $1) }.max() ?? .infinity
    #expect(largest <= 1e-6)
  }

  @Test(arguments: ["vectors.txt", "vectors.bin"])
  func queriesMatchGensim(file: String) throws {
    guard let vectors = try load(file), let queries = try queries() else { return }
    let nearest = queries["most_similar"] as? [String: Any] ?? [:]
    #expect(!nearest.isEmpty)
    for (word, expected) in nearest {
      let top = (expected as? [Any])?.count ?? 0
      expectSame(try vectors.mostSimilar(positive: [word], top: top), expected, "most_similar(\(word))")
    }
    for case let pair as [Any] in queries["similarity"] as? [Any] ?? [] {
      let (a, b) = (pair[0] as? String ?? "", pair[1] as? String ?? "")
      let expected = (pair[2] as? NSNumber)?.floatValue ?? .nan
      #expect(abs(try vectors.similarity(a, b) - expected) <= 1e-5, "similarity(\(a), \(b))")
    }
    let analogies = queries["analogy"] as? [[String: Any]] ?? []
    #expect(!analogies.isEmpty)
    for analogy in analogies {
      let positive = analogy["positive"] as? [String] ?? []
      let negative = analogy["negative"] as? [String] ?? []
      for method in KeyedVectors.AnalogyMethod.allCases {
        let expected = analogy[method.rawValue] as? [Any] ?? []
        let answers = try vectors.analogy(
          positive: positive, negative: negative, method: method, top: expected.count)
        expectSame(answers, expected, "\(method.rawValue) \(positive) - \(negative)")
      }
    }
  }
}

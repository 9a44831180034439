import Foundation
import GlossaData
import GlossaTensor
import Testing

@testable import GlossaEmbeddings

/// The Word2Vec model kept whole: saved, loaded and trained further; any embedding file
/// recognised by its content; evaluation results as JSON; the 2-D projection.
@Suite struct Word2VecModelTests {
  let small = TrainingTests().small
  let more = Corpus(sources: [
    .text(String(repeating: "the woman rules the land and the man walks\n", count: 30))
  ])

  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("glossa-w2v-\(UUID().uuidString)-\(name)")
  }

  @Test(arguments: [Word2Vec.OutputLayer.negativeSampling(3), .hierarchicalSoftmax])
  func aSavedModelLoadsWholeAndTrainsFurtherAsTheOriginal(_ output: Word2Vec.OutputLayer) throws {
    let settings = Word2Vec(
      architecture: .cbow, dimension: 12, window: 3, output: output, minimumCount: 1, epochs: 2, seed: 9)
    let model = try settings.fit(small)
    let file = temporary("model.safetensors")
    defer { try? FileManager.default.removeItem(at: file) }
    try model.write(to: file)
    let loaded = try Word2VecModel(contentsOf: file)
    #expect(loaded.words == model.words)
    #expect(loaded.vectors.vectors == model.vectors.vectors && loaded.vectors.words == model.vectors.words)
    #expect(loaded.settings.output == output && loaded.settings.architecture == .cbow)
    #expect(loaded.settings.seed == 9 && loaded.settings.dimension == 12 && loaded.settings.window == 3)
    // The output layer came back too: further training gives the original's result bit for bit.
    let before = model.vectors.vectors
    try model.train(more, epochs: 1)
    try loaded.train(more, epochs: 1)
    #expect(loaded.vectors.vectors == model.vectors.vectors)
    #expect(model.vectors.vectors != before)
    #expect(model.words.words == loaded.words.words)  // the vocabulary stays
  }

  @Test func fitGivesTheVectorsTrainGives() throws {
    let settings = Word2Vec(dimension: 8, window: 2, minimumCount: 1, epochs: 1, seed: 3)
    #expect(try settings.fit(small).vectors.vectors == settings.train(small).vectors)
  }

  @Test func embeddingFilesAreRecognisedByTheirContent() throws {
    let word2vec = try Word2Vec(dimension: 8, window: 2, minimumCount: 1, epochs: 1).fit(small)
    let fastText = try FastText(dimension: 8, window: 2, minimumCount: 1, epochs: 1).train(small)
    let (modelFile, fastTextFile, vectorFile, otherFile) = (
      temporary("w2v.safetensors"), temporary("ft.safetensors"), temporary("v.txt"),
      temporary("x.safetensors")
    )
    defer {
      for url in [modelFile, fastTextFile, vectorFile, otherFile] {
        try? FileManager.default.removeItem(at: url)
      }
    }
    try word2vec.write(to: modelFile)
    try fastText.write(to: fastTextFile)
    try word2vec.vectors.write(to: vectorFile, format: .text)
    try SafeTensors(stateDict: ["x": Tensor([1])]).write(to: otherFile)
    guard case .word2vec(let model) = try EmbeddingFile(contentsOf: modelFile) else {
      Issue.record("a Word2Vec model read as something else")
      return
    }
    #expect(model.vectors.vectors == word2vec.vectors.vectors)
    let fast = try EmbeddingFile(contentsOf: fastTextFile)
    guard case .fastText = fast else {
      Issue.record("a FastText model read as something else")
      return
    }
    #expect(try fast.vector("kingdomly") == fastText.vector("kingdomly"))  // an unseen word
    #expect(
      try fast.mostSimilar("kingdomly", top: 3).map(\.word)
        == fastText.mostSimilar("kingdomly", top: 3).map(\.word))
    guard case .vectors(let vectors) = try EmbeddingFile(contentsOf: vectorFile) else {
      Issue.record("a vector file read as a model")
      return
    }
    #expect(vectors.words == word2vec.vectors.words)
    #expect(throws: EmbeddingModelFileError.self) { try EmbeddingFile(contentsOf: otherFile) }
    do { _ = try EmbeddingFile(contentsOf: otherFile) } catch {
      #expect("\(error)".contains("glossa-word2vec") && "\(error)".contains(otherFile.path))
    }
  }

  @Test func aModelFileWithWrongShapesIsRefusedWithTheReason() throws {
    let word2vec = try Word2Vec(dimension: 8, window: 2, minimumCount: 1, epochs: 1).fit(small)
    let file = temporary("bad.safetensors")
    defer { try? FileManager.default.removeItem(at: file) }
    try word2vec.write(to: file)
    var safetensors = try SafeTensors(contentsOf: file)
    safetensors.set("output", Tensor.zeros([2, 8]))
    try safetensors.write(to: file)
    #expect {
      try Word2VecModel(contentsOf: file)
    } throws: { error in
      "\(error)".contains("expected input and output [\(word2vec.words.count), 8]")
    }
  }

  @Test func fastTextSimilarityIsTheCosineOfItsVectors() throws {
    let model = try FastText(dimension: 8, window: 2, minimumCount: 1, epochs: 1).train(small)
    let (a, b) = (model.vector("kingly"), model.vector("queen"))
    func dot(_ u: [Float], _ v: [Float]) -> Float { zip(u, v).map { $0 * $1 }.reduce(0, +) }
    let cosine = dot(a, b) / (dot(a, a).squareRoot() * dot(b, b).squareRoot())
    #expect(abs(model.similarity("kingly", "queen") - cosine) < 1e-5)
    #expect(KeyedVectors.cosineSimilarity([0, 0], [1, 2]) == 0)
  }

  @Test func evaluationResultsEncodeAsOneJSONObject() throws {
    var analogies = AnalogyEvaluation()
    analogies.sections = [.init(name: "capital", correct: 3, incorrect: 1)]
    analogies.outOfVocabulary = 2
    let report = EmbeddingEvaluation(
      analogies: analogies,
      similarity: SimilarityEvaluation(spearman: 0.5, pearson: 0.25, pairs: 10, outOfVocabulary: 1))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    let a = try #require(object["analogies"] as? [String: Any])
    #expect(
      a["accuracy"] as? Double == 0.75 && a["out_of_vocabulary"] as? Int == 2 && a["questions"] as? Int == 6)
    let section = try #require((a["sections"] as? [[String: Any]])?.first)
    #expect(section["section"] as? String == "capital" && section["correct"] as? Int == 3)
    let s = try #require(object["similarity"] as? [String: Any])
    #expect(s["spearman"] as? Double == 0.5 && s["out_of_vocabulary"] as? Int == 1)
    #expect(analogies.summary(limit: 100).contains("75.00%"))
  }

  @Test func projectionPlacesEachWordAsPCADoes() throws {
    let vectors = KeyedVectors(words: ["a", "b", "c"], dimension: 3, vectors: [1, 0, 0, 0, 1, 0, 1, 1, 2])
    let points = try vectors.project(["c", "a", "b"], method: .pca)
    let expected = PCA.project(try ["c", "a", "b"].flatMap { try vectors.vector($0) }, dimension: 3)
    #expect(points.map(\.word) == ["c", "a", "b"])
    #expect(points.flatMap { [$0.x, $0.y] } == expected.map(Double.init))
    #expect(throws: UnknownWordError(word: "z")) { try vectors.project(["a", "z"], method: .tsne) }
  }
}

import Foundation
import GlossaText
import TestSupport
import Testing

extension TermAnalyzer.Pattern {
  var isTwoOrMore: Bool {
    if case .twoOrMoreWordCharacters = self { return true }
    return false
  }
}

@Suite struct VectorizerTests {
  @Test func theLecturesOneHotTable() {
    let words = ["Case", "Analysis", "Economics", "and", "Finance"]
    // One dimension per distinct word.
    #expect(
      OneHotEncoder(vocabulary: words).encode(words).dense
        == (0..<5).map { i in (0..<5).map { $0 == i ? 1 : 0 } })
    // The lecture's table: a four-word vocabulary, so Finance is outside it and all zeros.
    let table = OneHotEncoder(vocabulary: Array(words.prefix(4))).encode(words).dense
    #expect(table == [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]])
  }

  @Test func theLecturesTwoMovieReviews() throws {
    var vectorizer = CountVectorizer(order: .firstAppearance)
    let matrix = try vectorizer.fitTransform(["The movie was not good.", "The movie was good, not bad."])
    #expect(vectorizer.terms == ["the", "movie", "was", "not", "good", "bad"])
    #expect(matrix.dense == [[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]])
    // Unknown terms of new documents are ignored.
    #expect(try vectorizer.transform(["a good good movie"]).dense == [[0, 1, 0, 0, 2, 0]])
  }

  @Test func byteScanningCountsLikeTheGeneralPath() throws {
    // The byte-level scanner (ASCII lowercased on the fly, Unicode text through the general
    // path) against the same analysis done with strings.
    let documents = [
      "Naïve CAFÉ café, the THE the", "plain ascii text_with_underscores 42 x", "ÉTÉ été 東京 🙂 ok", "",
      "A b c",
    ]
    for lowercase in [true, false] {
      for pattern in [TermAnalyzer.Pattern.wordCharacters, .twoOrMoreWordCharacters] {
        var fast = CountVectorizer(analyzer: TermAnalyzer(pattern: pattern, lowercase: lowercase))
        let minimum = pattern.isTwoOrMore ? 2 : 1
        let plainTokenizer = FilteredTokenizer(minimum: minimum)
        var plain = CountVectorizer(
          analyzer: TermAnalyzer(pattern: .tokenizer(plainTokenizer), lowercase: lowercase))
        #expect(try fast.fitTransform(documents) == plain.fitTransform(documents))
        #expect(fast.terms == plain.terms)
      }
    }
  }

  /// `\b\w+\b` tokens of at least `minimum` scalars, through the string path.
  struct FilteredTokenizer: WordTokenizer {
    let minimum: Int
    func tokenize(_ text: String) -> [Token] {
      RegexWordTokenizer().tokenize(text).filter { $0.end - $0.start >= minimum }
    }
  }

  @Test func analyzersCutCharacterNGramsAndUseAnyTokenizer() throws {
    let characters = TermAnalyzer(unit: .characters, lowercase: true, ngrams: 2...3)
    #expect(try characters.terms("Ab  c") == ["ab", "b ", " c", "ab ", "b c"])
    let treebank = TermAnalyzer(pattern: .tokenizer(TreebankTokenizer()), lowercase: false, ngrams: 1...2)
    #expect(try treebank.terms("don't go") == ["do", "n't", "go", "do n't", "n't go"])
    let regex = TermAnalyzer(pattern: .regex("[a-z]+"), lowercase: true)
    #expect(try regex.terms("Ab1cd") == ["ab", "cd"])
  }

  @Test func badInputIsAClearError() throws {
    var vectorizer = CountVectorizer()
    #expect(throws: VectorizerError.noDocuments) { try vectorizer.fitTransform([]) }
    vectorizer.minimumDocumentFrequency = .count(3)
    #expect(
      throws: VectorizerError.emptyVocabulary("every term was removed by the document-frequency limits")
    ) {
      try vectorizer.fitTransform(["a b", "b c"])
    }
    #expect(throws: VectorizerError.notFitted) { try CountVectorizer().transform(["a"]) }
    #expect(throws: MatrixMarketError.self) {
      try SparseMatrix(matrixMarket: "%%MatrixMarket matrix array real general\n")
    }
    do {
      _ = try SparseMatrix(
        matrixMarket: "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1.0\n", file: "m.mtx")
      Issue.record("no error")
    } catch let error as MatrixMarketError {
      #expect(error.description == "m.mtx:3: entry (3, 1) is outside the 2 × 2 matrix")
    }
    // A matrix without rows (which once trapped), and a size line no memory holds, refused
    // before anything is reserved for it; the limit is the caller's to set.
    let header = "%%MatrixMarket matrix coordinate real general\n"
    for (text, maximumRows, expected) in [
      (header + "0 2 1\n1 1 1.0\n", 10, "m.mtx:3: entry (1, 1) is outside the 0 × 2 matrix"),
      (
        header + "1000000000000 1 0\n", SparseMatrix.defaultMaximumRows, "m.mtx:2: a 1000000000000 × 1 matrix"
      ),
      (
        header + "11 1 0\n", 10,
        "m.mtx:2: a 11 × 1 matrix is larger than this reader accepts (at most 10 rows"
      ),
      (header + "1 4294967296 0\n", 10, "m.mtx:2: a 1 × 4294967296 matrix"),
    ] {
      #expect(throws: MatrixMarketError.self) {
        do {
          _ = try SparseMatrix(matrixMarket: text, file: "m.mtx", maximumRows: maximumRows)
        } catch {
          #expect("\(error)".hasPrefix(expected), "\(error)")
          throw error
        }
      }
    }
    #expect(
      try SparseMatrix(matrixMarket: header + "10 1 1\n10 1 2.5\n", maximumRows: 10).row(9).first?.value
        == 2.5)
  }

  @Test func matrixMarketRoundTripsAndSimilarityRanks() throws {
    var vectorizer = TFIDFVectorizer()
    let docs = ["the cat sat", "the dog sat", "a cat and a dog", "stock prices fell"]
    let matrix = try vectorizer.fitTransform(docs)
    #expect(try SparseMatrix(matrixMarket: matrix.matrixMarket) == matrix)
    let small = SparseMatrix(
      rows: 3, columns: 3, rowStart: [0, 1, 1, 3], columnIndex: [1, 0, 2], values: [0.1, -2.5, 1e-7])
    #expect(
      small.matrixMarket
        == "%%MatrixMarket matrix coordinate real general\n3 3 3\n1 2 0.1\n3 1 -2.5\n3 3 1e-07\n")
    #expect(abs(matrix.cosine(0, 0) - 1) < 1e-12)
    #expect(matrix.cosine(0, 3) == 0)
    let best = matrix.mostSimilar(to: try vectorizer.transform(["cat"]), top: 2)
    #expect(best.map(\.row) == [0, 2])  // "cat" weighs more in the shorter document
  }

  @Test func lectureIDFWarnsWhenItIsNotPositive() throws {
    var vectorizer = TFIDFVectorizer(weighting: .lecture, norm: .none)
    var warnings: [String] = []
    _ = try vectorizer.fitTransform(["a b", "a c", "a d"]) { warnings.append($0) }
    #expect(vectorizer.negativeIDFTerms == ["a"])  // ln(3 / 4) < 0
    #expect(warnings.count == 1 && warnings[0].contains("zero or negative"))
  }
}

/// Parity with scikit-learn (`sklearn_vectorizers.json`): vocabulary, idf and matrix of every
/// case, and the lecture's TF-IDF entries.
@Suite struct ScikitLearnParityTests {
  struct Fixture: Decodable {
    let docs: [String]
    let cases: [Case]
    let lecture_tfidf: Lecture
  }
  struct Case: Decodable {
    let name: String
    let params: Parameters
    let vocabulary: [String: Int]
    let matrix_coo: [[Double]]
    let shape: [Int]
    let idf: [Double]?
  }
  /// scikit-learn's parameters (a document frequency is an int for a count, a float for a proportion).
  struct Parameters: Decodable {
    let binary: Bool
    let lowercase: Bool
    let ngram_range: [Int]
    let token_pattern: String
    let max_features: Int?
    let norm: String?
    let smooth_idf: Bool?
    let sublinear_tf: Bool?
  }
  /// A document-frequency parameter: JSON's 1 is a count, 1.0 a proportion (as in Python),
  /// a difference only the parsed number's type keeps.
  static func frequency(_ value: Any?) -> DocumentFrequency? {
    guard let number = value as? NSNumber else { return nil }
    let type = String(cString: number.objCType)
    return type == "d" || type == "f" ? .proportion(number.doubleValue) : .count(number.intValue)
  }
  struct Lecture: Decodable {
    let token_pattern: String
    let lowercase: Bool
    let entries: [Entry]
  }
  enum Entry: Decodable {
    case value(document: Int, term: String, score: Double)
    init(from decoder: Decoder) throws {
      var c = try decoder.unkeyedContainer()
      self = .value(
        document: try c.decode(Int.self), term: try c.decode(String.self), score: try c.decode(Double.self))
    }
  }

  /// Each case's raw parameters, for the types of their numbers.
  func rawParameters() throws -> [[String: Any]] {
    let url = Fixtures.folder.appendingPathComponent("text/sklearn_vectorizers.json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    return (json?["cases"] as? [[String: Any]] ?? []).map { $0["params"] as? [String: Any] ?? [:] }
  }

  func load() throws -> Fixture? {
    let url = Fixtures.folder.appendingPathComponent("text/sklearn_vectorizers.json")
    guard try Fixtures.available(url) else { return nil }
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  /// The analyzer a case's parameters describe.
  func analyzer(_ p: Parameters) -> TermAnalyzer {
    TermAnalyzer(
      pattern: p.token_pattern.contains(#"\w\w+"#) ? .twoOrMoreWordCharacters : .wordCharacters,
      lowercase: p.lowercase, ngrams: p.ngram_range[0]...p.ngram_range[1])
  }

  @Test func everyCaseMatchesScikitLearn() throws {
    guard let fixture = try load() else { return }
    #expect(fixture.cases.count >= 6)
    let raw = try rawParameters()
    for (c, rawParameters) in zip(fixture.cases, raw) {
      let p = c.params
      var counter = CountVectorizer(analyzer: analyzer(p), binary: p.binary)
      counter.minimumDocumentFrequency = try #require(Self.frequency(rawParameters["min_df"]))
      counter.maximumDocumentFrequency = try #require(Self.frequency(rawParameters["max_df"]))
      counter.maximumFeatures = p.max_features
      let matrix: SparseMatrix
      var idf: [Double]? = nil
      if c.name.hasPrefix("tfidf") {
        var tfidf = TFIDFVectorizer(
          counter: counter, weighting: p.smooth_idf == false ? .plain : .smooth,
          norm: p.norm.flatMap(TFIDFVectorizer.Norm.init(rawValue:)) ?? .none)
        tfidf.sublinearTF = p.sublinear_tf ?? false
        matrix = try tfidf.fitTransform(fixture.docs)
        idf = tfidf.idf
        counter = tfidf.counter
      } else {
        matrix = try counter.fitTransform(fixture.docs)
      }
      #expect(counter.vocabulary.ids == c.vocabulary, "\(c.name): vocabulary")
      #expect([matrix.rows, matrix.columns] == c.shape, "\(c.name): shape")
      if let expected = c.idf, let idf {
        #expect(zip(idf, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(c.name): idf")
      }
      #expect(matrix.nonZeros == c.matrix_coo.count, "\(c.name): entries")
      for entry in c.matrix_coo where abs(matrix[Int(entry[0]), Int(entry[1])] - entry[2]) > 1e-6 {
        Issue.record(
          "\(c.name): (\(Int(entry[0])), \(Int(entry[1]))) = \(matrix[Int(entry[0]), Int(entry[1])]), expected \(entry[2])"
        )
        break
      }
    }
  }

  @Test func theLecturesTFIDF() throws {
    guard let fixture = try load() else { return }
    var tfidf = TFIDFVectorizer(
      counter: CountVectorizer(
        analyzer: TermAnalyzer(pattern: .wordCharacters, lowercase: fixture.lecture_tfidf.lowercase)),
      weighting: .lecture, norm: .none)
    let matrix = try tfidf.fitTransform(fixture.docs)
    #expect(!fixture.lecture_tfidf.entries.isEmpty)
    var failures = 0
    for case .value(let document, let term, let score) in fixture.lecture_tfidf.entries {
      let column = try #require(tfidf.counter.vocabulary.id(of: term), "term \(term)")
      if abs(matrix[document, column] - score) > 1e-6 { failures += 1 }
    }
    #expect(failures == 0, "\(failures) lecture TF-IDF values differ")
  }
}

import Foundation
import GlossaTensor
import Testing

@testable import GlossaEmbeddings

/// Reading and writing the word2vec text / binary and GloVe formats, and the errors that bad
/// files give.
@Suite struct VectorFileTests {
  let sample = KeyedVectors(
    words: ["king", "queen", "café"], dimension: 3,
    vectors: [0.5, -1.25, 3e-7, 1, 2, 3, -0.1, 0.2, 1e10])

  func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("glossa-\(UUID().uuidString)-\(name)")
  }

  func written(_ data: Data, _ name: String = "v") throws -> URL {
    let url = temporary(name)
    try data.write(to: url)
    return url
  }

  @Test(arguments: VectorFileFormat.allCases)
  func everyFormatRoundTripsExactlyAndIsRecognised(format: VectorFileFormat) throws {
    let url = temporary("round-trip")
    defer { try? FileManager.default.removeItem(at: url) }
    try sample.write(to: url, format: format)
    #expect(KeyedVectors.format(of: try Data(contentsOf: url)) == format)
    let back = try KeyedVectors(contentsOf: url)
    #expect(back.words == sample.words && back.vectors == sample.vectors)
  }

  @Test func binaryWithoutNewlinesAfterVectorsReads() throws {
    // gensim writes no newline after a binary vector; word2vec.c writes one. Both read.
    var data = Data("2 1\n".utf8)
    for (word, value) in [("a", Float(1.5)), ("b", -2)] {
      data.append(contentsOf: Array("\(word) ".utf8))
      withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
    }
    let vectors = try KeyedVectors(contentsOf: try written(data))
    #expect(vectors.words == ["a", "b"] && vectors.vectors == [1.5, -2])
  }

  func error(_ data: Data) throws -> VectorFileError {
    let url = try written(data)
    do {
      _ = try KeyedVectors(contentsOf: url)
    } catch let error as VectorFileError {
      return error
    }
    Issue.record("no error")
    throw CancellationError()
  }

  @Test func aHeaderLengthNearTwoToTheSixtyFourIsNotSafeTensors() throws {
    // 8 bytes of 0xFF then `{`: adding the 8 header bytes to that length once overflowed.
    let url = try written(Data(repeating: 0xFF, count: 8) + Data("{ 1 2\n".utf8))
    #expect(!EmbeddingFile.isSafeTensors(url))
    #expect(throws: VectorFileError.self) { try EmbeddingFile(contentsOf: url) }
  }

  @Test func truncatedBinaryNamesTheByteOffset() throws {
    var data = sample.serialized(as: .binary)
    data.removeLast(6)
    let e = try error(data)
    // header "3 3\n" (4 bytes), "king " + 12 + "\n" (18), "queen " + 12 + "\n" (19), "café " (6)
    #expect(e.location == "byte 47" && e.message.contains("café") && e.message.contains("truncated"))
  }

  @Test func aHeaderPromisingMoreThanTheFileHoldsIsRefusedBeforeReservingMemory() throws {
    // 10⁹ words, or 10⁹ floats a word, in a file of a few bytes: refused from the file's size.
    for header in ["1000000000 3\n", "3 1000000000\n", "3 4611686018427387904\n"] {
      let e = try error(Data((header + "king \u{0}\u{0}\u{80}\u{3f}").utf8))
      #expect(e.location == "byte \(header.utf8.count)" && e.message.contains("more than the"), "\(e)")
    }
    // A negative dimension (once a trap while the format was being recognised).
    let negative = try error(Data("2 -3\nthe \u{0}\u{0}\u{80}\u{3f}".utf8))
    #expect(negative.message.contains("must be positive, not 2 -3"), "\(negative)")
  }

  @Test func headerThatLiesAboutTheCountIsCaught() throws {
    let text = String(decoding: sample.serialized(as: .text), as: UTF8.self)
    let more = try error(Data(text.replacingOccurrences(of: "3 3\n", with: "4 3\n").utf8))
    #expect(more.message.contains("says 4 words") && more.location == "line 5")
    let fewer = try error(Data(text.replacingOccurrences(of: "3 3\n", with: "2 3\n").utf8))
    #expect(fewer.message.contains("says 2 words") && fewer.location == "line 4")
    var binary = sample.serialized(as: .binary)
    binary.replaceSubrange(0..<1, with: Data("2".utf8))
    let extra = try error(binary)
    #expect(extra.message.contains("more data follows") && extra.location == "byte 41")
  }

  @Test func headerThatLiesAboutTheDimensionIsCaught() throws {
    let text = String(decoding: sample.serialized(as: .text), as: UTF8.self)
    let e = try error(Data(text.replacingOccurrences(of: "3 3\n", with: "3 4\n").utf8))
    #expect(e.location == "line 2" && e.message.contains("3 numbers, expected 4"))
  }

  @Test func nonNumericValueNamesItsLine() throws {
    let e = try error(Data("the 0.1 0.2\nof 0.3 x0.4\n".utf8))
    #expect(e.location == "line 2" && e.message.contains("'x0.4'"))
    #expect(e.description.contains(": line 2: "))
  }

  @Test func gloveLinesMustAgreeOnTheDimension() throws {
    let e = try error(Data("the 0.1 0.2\nof 0.3\n".utf8))
    #expect(e.location == "line 2" && e.message.contains("1 numbers, expected 2"))
  }

  @Test func aSafeTensorsFileThatIsNoFastTextModelIsNamed() throws {
    let url = temporary("not-a-model.safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try SafeTensors(stateDict: ["vectors": Tensor([1, 2], shape: [1, 2])]).write(to: url)
    #expect(throws: EmbeddingModelFileError.self) { try FastTextVectors(contentsOf: url) }
    do { _ = try FastTextVectors(contentsOf: url) } catch let error as EmbeddingModelFileError {
      #expect(error.description.contains("glossa-fasttext"))
    }
  }

  @Test func doesntMatchPicksTheWordFarthestFromTheOthers() throws {
    let vectors = KeyedVectors(
      words: ["breakfast", "lunch", "dinner", "cereal"], dimension: 3,
      vectors: [1, 0.1, 0, 0.9, 0.2, 0, 1, 0, 0.1, 0, 1, 0])
    #expect(try vectors.doesntMatch(["breakfast", "cereal", "dinner", "lunch"]) == "cereal")
    #expect(throws: UnknownWordError(word: "tea")) { try vectors.doesntMatch(["breakfast", "tea"]) }
    let unit = try vectors.unitVector("lunch")
    let raw = try vectors.vector("lunch")
    let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
    #expect(zip(unit, raw).allSatisfy { abs($0 - $1 / norm) < 1e-6 } && raw == [0.9, 0.2, 0])
  }
}

import Foundation
import GlossaText
import Testing

/// Settings named as users write them (the CLI's options), parsed by the library.
@Suite struct NamedSettingsTests {
  @Test func documentFrequencyLimitsAreCountsOrProportions() {
    #expect(DocumentFrequency("2") == .count(2))
    #expect(DocumentFrequency("0.9") == .proportion(0.9))
    #expect(DocumentFrequency("1.0") == .proportion(1))
    #expect(
      DocumentFrequency("1.5") == nil && DocumentFrequency("-1") == nil && DocumentFrequency("x") == nil)
  }

  @Test func tokenPatternsKnownToTheScannerAreRecognised() {
    func name(_ pattern: TermAnalyzer.Pattern) -> String {
      switch pattern {
      case .wordCharacters: "words"
      case .twoOrMoreWordCharacters: "two+"
      case .regex(let r): "regex \(r)"
      case .tokenizer(let t): "\(type(of: t))"
      }
    }
    #expect(name(.init(#"\b\w+\b"#)) == "words" && name(.init(#"(?u)\b\w+\b"#)) == "words")
    #expect(name(.init(#"(?u)\b\w\w+\b"#)) == "two+")
    #expect(name(.init("treebank")) == "TreebankTokenizer")
    #expect(name(.init("[a-z]+")) == "regex [a-z]+")
  }

  @Test func endOfWordMarkersAndWordTokenizersByName() {
    #expect(EndOfWord(marker: "") == .none && EndOfWord(marker: "_") == .symbol("_"))
    #expect(EndOfWord(marker: "</w>") == .suffix("</w>"))
    #expect(WordTokenization.char.tokenizer.words("ab") == ["a", "b"])
    #expect(WordTokenization.regex.tokenizer.words("Hi, you!") == ["Hi", "you"])
    #expect(WordTokenization(rawValue: "treebank")?.tokenizer.words("don't") == ["do", "n't"])
  }

  @Test func linesAndVocabularyFilesRoundTrip() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-lines-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data("first\r\nsecond\n\nlast".utf8).write(to: url)
    #expect(try readLines(of: url) == ["first", "second", "", "last"])
    // A lone "\r" is no line end; a final line end adds no line, an empty line before it does.
    for (text, lines) in [
      ("", []), ("\n", [""]), ("a\r", ["a\r"]), ("a\rb\n\n", ["a\rb", ""]),
      ("é\r\n\u{301}x", ["é", "\u{301}x"]),
    ] {
      try Data(text.utf8).write(to: url)
      #expect(try readLines(of: url) == lines, "\(text.debugDescription)")
    }
    let vocabulary = Vocabulary(["[PAD]", "hello", "wörld"], unknownToken: nil)
    try vocabulary.write(linesTo: url)
    #expect(try Vocabulary(linesOf: url) == vocabulary)
    #expect(throws: (any Error).self) { try readLines(of: url.appendingPathExtension("missing")) }
  }
}

import Foundation
import GlossaText
import TestSupport
import Testing

/// NLTK parity over `nltk_word_tokenize.jsonl`: both tokenizers' tokens, and the spans.
@Suite struct TreebankParityTests {
  struct Expected: Decodable {
    let text: String
    let nltk_word_tokenizer: [String]
    let treebank: [String]
    let spans: [[Int]]
  }

  @Test func theLecturesSentence() {
    #expect(
      TreebankTokenizer().words("Hello, world! This is an example of word tokenization.")
        == ["Hello", ",", "world", "!", "This", "is", "an", "example", "of", "word", "tokenization", "."])
    #expect(
      TreebankTokenizer().words("don't can't won't I'm") == [
        "do", "n't", "ca", "n't", "wo", "n't", "I", "'m",
      ])
  }

  @Test func matchesNLTK() throws {
    let file = Fixtures.folder.appendingPathComponent("text/nltk_word_tokenize.jsonl")
    guard try Fixtures.available(file) else { return }
    let text = try String(contentsOf: file, encoding: .utf8)
    let cases = try text.split(separator: "\n").map {
      try JSONDecoder().decode(Expected.self, from: Data($0.utf8))
    }
    #expect(!cases.isEmpty)
    var mismatches = Mismatches()
    for probe in cases {
      let tokens = TreebankTokenizer(.nltk).tokenize(probe.text)
      let classic = TreebankTokenizer(.classic).words(probe.text)
      let problem: String? =
        if tokens.map(\.text) != probe.nltk_word_tokenizer {
          "nltk \(tokens.map(\.text)) expected \(probe.nltk_word_tokenizer)"
        } else if classic != probe.treebank {
          "treebank \(classic) expected \(probe.treebank)"
        } else if tokens.map({ [$0.start, $0.end] }) != probe.spans {
          "spans \(tokens.map { [$0.start, $0.end] }) expected \(probe.spans)"
        } else { nil }
      mismatches.note(problem.map { "\(probe.text.debugDescription): \($0)" })
    }
    mismatches.expectNone(of: cases.count, "texts (NLTK)")
  }
}

import GlossaText
import Testing

/// The byte scanner behind corpus reading and the vectorizers' fast path: the same words as
/// the lecture's `\b\w+\b` tokenizer, lowercased with full Unicode case mapping when asked.
@Suite struct WordScannerTests {
  func words(_ text: String, _ scanner: WordScanner) -> [String] {
    var text = text
    var found: [String] = []
    text.withUTF8 { bytes in scanner.scan(bytes) { found.append(String(decoding: $0, as: UTF8.self)) } }
    return found
  }

  @Test func findsTheRegexTokenizersWords() {
    let text = "Hello, world! Pokémon ÉCOLE naïve_x 42 — 東京 done."
    #expect(words(text, WordScanner()) == RegexWordTokenizer().words(text))
  }

  @Test func lowercasesASCIIAndOtherScalars() {
    #expect(
      words("The ÉCOLE and İstanbul", WordScanner(lowercase: true)) == ["the", "école", "and", "i̇stanbul"])
  }

  @Test func skipsWordsShorterThanTheMinimum() {
    #expect(words("a an the é éa", WordScanner(minimumLength: 2)) == ["an", "the", "éa"])
  }
}

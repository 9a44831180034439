import Foundation
import Testing

@testable import GlossaText

/// The hand-written scanner of GPT-4's split pattern (and Qwen2's) against HuggingFace's
/// `Split` (Oniguruma) on random texts of tricky characters (Fixtures/scanner_cases.json, made
/// by make_scanner_cases.py), and against the same pattern on `NSRegularExpression`.
@Suite struct GPT4PatternTests {
  struct Case: Decodable {
    let name: String
    let pattern: String
    let texts: [Text]
    struct Text: Decodable {
      let text: String
      let pieces: [[Int]]
    }
  }

  @Test func piecesAreHuggingFaces() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/scanner_cases.json")
    let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    #expect(cases.count == 4)
    for expected in cases where expected.name == "tiktoken gpt2" {
      // GPT-2's pattern, which ByteLevel's scanner runs.
      #expect(expected.pattern == Tokenizer.gpt2SplitPattern)
      for text in expected.texts {
        let pieces = ByteLevel.pieces(Array(text.text.unicodeScalars)).map { [$0.lowerBound, $0.upperBound] }
        #expect(pieces == text.pieces, "\(expected.name): \(text.text.debugDescription)")
      }
    }
    for expected in cases where expected.name != "tiktoken gpt2" {
      let scanner = try #require(GPT4Pattern.patterns[expected.pattern], "\(expected.name) is not recognised")
      let split = try Split(.regularExpression(expected.pattern), behavior: .isolated)
      #expect(expected.texts.count > 400)
      for text in expected.texts {
        var pieces: [[Int]] = []
        scanner.matches(Array(text.text.unicodeScalars)) { pieces.append([$0.lowerBound, $0.upperBound]) }
        #expect(pieces == text.pieces, "\(expected.name): \(text.text.debugDescription)")
        let viaSplit = split.pieceRanges(Array(text.text.unicodeScalars))?.map {
          [$0.lowerBound, $0.upperBound]
        }
        #expect(viaSplit == text.pieces)
      }
    }
  }

  /// The scanner and the regular-expression engine agree on longer random texts too, for each
  /// pattern it runs.
  @Test func piecesAreTheRegularExpressions() throws {
    let alphabet =
      Array("ab Zé東 0123 ٣½ \t\n\r\n  .,!?'s'T're'LL 🙂\u{301}\u{A0}\u{3000}x").map(String.init) + ["'d"]
    #expect(GPT4Pattern.patterns.count == 3)
    for (pattern, scanner) in GPT4Pattern.patterns {
      let regex = try NSRegularExpression(pattern: pattern)
      // A fixed sequence (TestRandom), so that a failure can be seen again.
      var random = TestRandom(seed: 7)
      func next(_ bound: Int) -> Int { random.next(bound) }
      for _ in 0..<300 {
        let text = (0...next(80)).map { _ in alphabet[next(alphabet.count)] }.joined()
        var fromScanner: [String] = []
        let scalars = Array(text.unicodeScalars)
        scanner.matches(scalars) { fromScanner.append(string(scalars[$0])) }
        let ns = text as NSString
        let fromRegex = regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
          ns.substring(with: $0.range)
        }
        #expect(fromScanner == fromRegex, "\(pattern): \(text.debugDescription)")
      }
    }
  }
}

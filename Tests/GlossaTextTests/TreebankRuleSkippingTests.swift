import Foundation
import Testing

@testable import GlossaText

/// The Treebank tokenizer skips a rule when the text lacks the characters any match needs;
/// on texts dense in every rule's characters it must give what running every rule gives.
@Suite struct TreebankRuleSkippingTests {
  @Test func skippingRulesChangesNothing() {
    let pieces = [
      "word", "Word", " ", " ", "  ", "\t", ".", "..", "...", ",", ":", ";", "@", "#", "$", "%", "&", "?",
      "!",
      "'", "''", "\"", "`", "``", "«", "»", "“", "”", "‘", "’", "„", "(", ")", "[", "]", "{", "}", "<", ">",
      "--", "*", "1", "2.5", "cannot", "CanNot", "gimme", "gonna", "gotta", "lemme", "wanna", "more'n",
      "d'ye",
      "'tis", "'Twas", "don't", "I'm", "we'll", "they're", "you've", "he'd", "it's", "é", "Ünï",
    ]
    var random = TestRandom(seed: 77)
    func next(_ n: Int) -> Int { random.next(n) }
    for variant in [TreebankTokenizer.Variant.nltk, .classic] {
      let tokenizer = TreebankTokenizer(variant)
      for _ in 0..<3000 {
        // Random pieces, then often an ending of the kind the text-final rules look for.
        let endings = ["", ".", ". ", ".”", ".’ ", ".\"", ".'", ".)", ".»", ":", ",", "..", "?'"]
        let text =
          (0...next(8)).map { _ in pieces[next(pieces.count)] }.joined() + endings[next(endings.count)]
        #expect(
          tokenizer.words(text, skippingRules: true) == tokenizer.words(text, skippingRules: false), "\(text)"
        )
      }
    }
  }
}

@Suite struct TreebankSplitTests {
  /// The byte split for ASCII text gives what splitting on `Character.isWhitespace` gives.
  @Test func byteSplitEqualsCharacterSplit() {
    let alphabet = Array("ab \t\n\r\u{0B}\u{0C}\u{1C}\u{1F}.'x".unicodeScalars) + ["é", "\u{A0}", "\u{2028}"]
    var state: UInt64 = 5
    for _ in 0..<2000 {
      var text = String.UnicodeScalarView()
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let pureASCII = state >> 63 == 0
      for k in 0..<Int(state >> 58) {
        let choices = pureASCII ? alphabet.count - 3 : alphabet.count
        text.append(alphabet[Int((state >> UInt64(k % 50)) &* 2_654_435_761 % UInt64(choices))])
      }
      let string = String(text)
      #expect(
        TreebankTokenizer.splitOnWhitespace(string)
          == string.split(whereSeparator: \.isWhitespace).map(String.init))
    }
  }
}

@Suite struct TreebankNativeRuleTests {
  /// Each rule written out by hand rewrites random texts as its regular expression does.
  @Test func nativeRulesEqualTheirRegex() {
    let alphabet = Array("a1٣.,:]\"'»” \t\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{A0}😀-;$?!*([{}<>".unicodeScalars)
    var random = TestRandom(seed: 11)
    func next(_ n: Int) -> Int { random.next(n) }
    let rules =
      [
        TreebankTokenizer.colonOrComma, TreebankTokenizer.colonOrCommaAtEnd, TreebankTokenizer.finalPeriod,
        TreebankTokenizer.symbols, TreebankTokenizer.questionOrExclamation, TreebankTokenizer.brackets,
        TreebankTokenizer.doubleDashes,
      ]
      + TreebankTokenizer.punctuation[.nltk]!.prefix(1) + TreebankTokenizer.punctuation[.nltk]!.suffix(1)
      + TreebankTokenizer.punctuation[.classic]![2...2]
    #expect(rules.allSatisfy { $0.native != nil })
    for _ in 0..<5000 {
      var text = String.UnicodeScalarView()
      for _ in 0..<next(12) { text.append(alphabet[next(alphabet.count)]) }
      let string = String(text)
      for rule in rules {
        let regex = rule.regex.stringByReplacingMatches(
          in: string, range: NSRange(string.startIndex..., in: string), withTemplate: rule.template)
        let hex = { (t: String) in t.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ")
        }
        #expect(
          rule.rewrite(string) == regex,
          "\(rule.regex.pattern) on [\(hex(string))]: [\(hex(rule.rewrite(string)))] vs [\(hex(regex))]")
      }
    }
  }
}

extension TreebankNativeRuleTests {
  /// The apostrophe and quote rules written out by hand, on random texts made of the pieces
  /// they look for: clitics in both cases, word characters of several kinds (a combining
  /// mark, a long s, which folds to s, a joiner, digits of two scripts), spaces, newlines.
  @Test func quoteRulesEqualTheirRegex() {
    let pieces = [
      "'", "''", "\"", " ", "\n", "s", "S", "ſ", "m", "M", "d", "D", "t", "T", "n", "N", "re", "RE", "rE",
      "ve", "VE",
      "ll", "LL", "lL", "n't", "N'T", "x", "é", "\u{301}", "_", "1", "٣", "’", "\u{200D}", "-", "😀", "(", "<",
    ]
    var random = TestRandom(seed: 23)
    func next(_ n: Int) -> Int { random.next(n) }
    let rules =
      TreebankTokenizer.sharedEndingQuotes + TreebankTokenizer.startingQuotes[.nltk]!.suffix(1)
      + TreebankTokenizer.startingQuotes[.classic]!.suffix(1)
    #expect(rules.allSatisfy { $0.native != nil })
    for _ in 0..<5000 {
      let text = (0..<next(10)).map { _ in pieces[next(pieces.count)] }.joined()
      for rule in rules {
        let regex = rule.regex.stringByReplacingMatches(
          in: text, range: NSRange(text.startIndex..., in: text), withTemplate: rule.template)
        #expect(rule.rewrite(text) == regex, "\(rule.regex.pattern) on \(text.debugDescription)")
      }
    }
  }
}

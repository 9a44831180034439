import Foundation

/// NLTK's word tokenizers, rule for rule: the Penn Treebank conventions (punctuation split
/// off, "don't" → "do" "n't", "cannot" → "can" "not", double quotes as `` and '') as a
/// sequence of regular-expression rewrites of the text, then a split on whitespace.
///
/// `.nltk` is `nltk.word_tokenize` without sentence splitting (NLTK's improved
/// `NLTKWordTokenizer`); `.classic` is the original `TreebankWordTokenizer`. Only the final
/// period of the text is split off, as NLTK does without its sentence splitter.
public struct TreebankTokenizer: WordTokenizer {
  /// NLTK's improved word tokenizer, or the original Treebank rules.
  public enum Variant: Sendable { case nltk, classic }
  /// Which rules apply.
  public let variant: Variant

  public init(_ variant: Variant = .nltk) { self.variant = variant }

  typealias Rule = (NSRegularExpression, String)

  static func rule(_ pattern: String, _ template: String, caseInsensitive: Bool = false) -> Rule {
    let options: NSRegularExpression.Options = caseInsensitive ? [.caseInsensitive] : []
    return (try! NSRegularExpression(pattern: pattern, options: options), template)
  }

  static let startingQuotes: [Variant: [Rule]] = [
    .nltk: [
      rule("([«“‘„]|[`]+)", " $1 "),
      rule("^\"", "``"),
      rule("(``)", " $1 "),
      rule("([ (\\[{<])(\"|'{2})", "$1 `` "),
      // An opening single quote before a word that is not a clitic ('s, 're, …).
      rule("(?<!\\w)(')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)", "$1 ", caseInsensitive: true),
    ],
    .classic: [
      rule("^\"", "``"),
      rule("(``)", " $1 "),
      rule("([ (\\[{<])(\"|'{2})", "$1 `` "),
    ],
  ]

  static let punctuation: [Variant: [Rule]] = [
    .nltk: [
      rule("([^\\.])(\\.)([\\]\\)}>\"'»”’ ]*)\\s*$", "$1 $2 $3 "),
      rule("([:,])([^\\d])", " $1 $2"),
      rule("([:,])$", " $1 "),
      rule("\\.{2,}", " $0 "),
      rule("[;@#$%&]", " $0 "),
      rule("([^\\.])(\\.)([\\]\\)}>\"']*)\\s*$", "$1 $2$3 "),
      rule("[?!]", " $0 "),
      rule("([^'])' ", "$1 ' "),
      rule("[*]", " $0 "),
    ],
    .classic: [
      rule("([:,])([^\\d])", " $1 $2"),
      rule("([:,])$", " $1 "),
      rule("\\.\\.\\.", " ... "),
      rule("[;@#$%&]", " $0 "),
      rule("([^\\.])(\\.)([\\]\\)}>\"']*)\\s*$", "$1 $2$3 "),
      rule("[?!]", " $0 "),
      rule("([^'])' ", "$1 ' "),
    ],
  ]

  static let brackets = rule("[\\]\\[\\(\\)\\{\\}<>]", " $0 ")
  static let doubleDashes = rule("--", " -- ")

  static let endingQuotes: [Variant: [Rule]] = [
    .nltk: [
      rule("([»”’])", " $1 "),
      rule("''", " '' "),
      rule("\"", " '' "),
      rule("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
      rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "),
    ],
    .classic: [
      rule("''", " '' "),
      rule("\"", " '' "),
      rule("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
      rule("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "),
    ],
  ]

  /// "cannot" → "can not", "gimme" → "gim me", … and "'tis" → "'t is".
  static let contractions: [Rule] =
    ["(can)(not)", "(d)('ye)", "(gim)(me)", "(gon)(na)", "(got)(ta)", "(lem)(me)", "(more)('n)"].map {
      rule("\\b\($0)\\b", " $1 $2 ", caseInsensitive: true)
    } + [rule("\\b(wan)(na)(?=\\s)", " $1 $2 ", caseInsensitive: true)]
    + ["('t)(is)", "('t)(was)"].map { rule(" \($0)\\b", " $1 $2 ", caseInsensitive: true) }

  /// The tokens' texts.
  public func words(_ text: String) -> [String] {
    func apply(_ rules: [Rule], _ text: inout String) {
      for (regex, template) in rules {
        text = regex.stringByReplacingMatches(
          in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
      }
    }
    var text = text
    apply(Self.startingQuotes[variant]!, &text)
    apply(Self.punctuation[variant]!, &text)
    apply([Self.brackets, Self.doubleDashes], &text)
    text = " " + text + " "
    apply(Self.endingQuotes[variant]!, &text)
    apply(Self.contractions, &text)
    return text.split(whereSeparator: \.isWhitespace).map(String.init)
  }

  /// The tokens with their scalar offsets, each found in the text after the one before;
  /// `` and '' stand for the text's double quotes (", `` or ''), taken in order.
  public func tokenize(_ text: String) -> [Token] {
    let scalars = Array(text.unicodeScalars)
    var quotes = Self.doubleQuotes(in: scalars)
    var offset = 0
    var tokens: [Token] = []
    for word in words(text) {
      var needle = Array(word.unicodeScalars)
      if ["``", "''", "\""].contains(word), !quotes.isEmpty { needle = quotes.removeFirst() }
      guard let start = Self.find(needle, in: scalars, from: offset) else { continue }
      tokens.append(Token(word, start: start, end: start + needle.count))
      offset = start + needle.count
    }
    return tokens
  }

  /// The double quotes of the text in order: each ``, '' or ".
  static func doubleQuotes(in s: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
    var result: [[Unicode.Scalar]] = []
    var i = 0
    while i < s.count {
      if i + 1 < s.count && (s[i] == "`" || s[i] == "'") && s[i + 1] == s[i] {
        result.append([s[i], s[i]])
        i += 2
      } else {
        if s[i] == "\"" { result.append(["\""]) }
        i += 1
      }
    }
    return result
  }

  static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from start: Int) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    var i = start
    while i + needle.count <= haystack.count {
      if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle { return i }
      i += 1
    }
    return nil
  }
}

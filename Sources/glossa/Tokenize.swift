import ArgumentParser
import Foundation
import GlossaText

/// `glossa tokenize`: word or character tokens of each argument or input line.
struct Tokenize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Split text into tokens: words (whitespace, the regex \\b\\w+\\b or Treebank rules) or characters.",
    discussion: """
      Tokenizes each TEXT argument, or each line of standard input when there is none, and
      prints one line per input line: the tokens separated by single spaces (an empty line
      for an empty input line).
      """)

  @Option(
    help:
      "How to split: whitespace, regex (\\b\\w+\\b), treebank (NLTK's word_tokenize) or char (user-perceived characters)."
  )
  var method: WordTokenization = .regex

  @Option(help: "A tokenizer.json to encode with instead of a word method.")
  var tokenizer: String?

  @Flag(help: "Print token ids instead of tokens (needs --tokenizer).")
  var ids = false

  @Flag(help: "Print each token as TEXT[START,END) with Unicode-scalar offsets.")
  var offsets = false

  @Flag(help: "Read invalid UTF-8 as U+FFFD instead of stopping with an error.")
  var replaceInvalid = false

  @Argument(help: "Texts to tokenize (default: standard input, line by line).")
  var texts: [String] = []

  func validate() throws {
    if ids && tokenizer == nil { throw ValidationError("--ids needs --tokenizer FILE") }
  }

  func run() throws {
    let encode = try encoder()
    func show(_ line: String) {
      let tokens = encode(line)
      print(
        tokens.map { token in
          let text = ids ? String(token.id) : token.text
          return offsets ? "\(text)[\(token.start),\(token.end))" : text
        }.joined(separator: " "))
    }
    if texts.isEmpty {
      let input = try decodeUTF8(
        FileHandle.standardInput.readDataToEndOfFile(), file: "<stdin>", replacingInvalid: replaceInvalid)
      var lines = input.split(separator: "\n", omittingEmptySubsequences: false)
      if input.hasSuffix("\n") { lines.removeLast() }
      lines.forEach { show(String($0)) }
    } else {
      texts.forEach(show)
    }
  }

  /// A token with its id (0 for word methods) and scalar offsets.
  typealias Shown = (id: Int, text: String, start: Int, end: Int)

  func encoder() throws -> (String) -> [Shown] {
    if let tokenizer {
      let loaded = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer))
      return { text in
        let encoding = loaded.encode(text)
        let tokens = encoding.tokens
        return encoding.ids.indices.map {
          (
            encoding.ids[$0], tokens[$0], encoding.offsets[$0].lowerBound,
            encoding.offsets[$0].upperBound
          )
        }
      }
    }
    let words = method.tokenizer
    return { text in words.tokenize(text).map { (0, $0.text, $0.start, $0.end) } }
  }
}

extension WordTokenization: ExpressibleByArgument {}

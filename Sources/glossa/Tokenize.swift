import ArgumentParser
import Foundation
import GlossaText

/// `glossa tokenize`: word or character tokens of each argument or input line.
struct Tokenize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Split text into tokens: words (whitespace, the regex \\b\\w+\\b or Treebank rules) or characters.",
    discussion: """
      Tokenizes each TEXT argument, or each line of standard input when there is none, and \
      prints one line per input line: the tokens separated by single spaces (an empty line \
      for an empty input line). With --tokenizer, a tokenizer.json (trained by glossa \
      tokenizer train, or a pretrained model's) encodes the text instead, adding the special \
      tokens of its post-processor as HuggingFace does (--no-special-tokens: without them).

      Examples:
        glossa tokenize "The cat sat on the mat."
        glossa tokenize --method treebank < reviews.txt
        glossa tokenize --tokenizer bpe.json --ids < corpus.txt > ids.txt
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

  @Flag(
    name: .customLong("no-special-tokens"),
    help: "Leave out the special tokens the tokenizer.json's post-processor adds ([CLS], [SEP], <s>, …).")
  var noSpecialTokens = false

  @Flag(help: "Print each token as TEXT[START,END) with Unicode-scalar offsets.")
  var offsets = false

  @Flag(help: "Read invalid UTF-8 as U+FFFD instead of stopping with an error.")
  var replaceInvalid = false

  @Argument(help: "Texts to tokenize (default: standard input, line by line).")
  var texts: [String] = []

  func validate() throws {
    if ids && tokenizer == nil { throw ValidationError("--ids needs --tokenizer FILE") }
    if noSpecialTokens && tokenizer == nil {
      throw ValidationError("--no-special-tokens needs --tokenizer FILE")
    }
  }

  func run() throws {
    let output = OutputBuffer()
    defer { output.flush() }
    let encode = try encoder()
    if !texts.isEmpty {
      for text in texts { write(encode([text])[0], to: output) }
      return
    }
    let input = LineBlocks(replacingInvalid: replaceInvalid)
    if tokenizer == nil && method == .regex && !offsets {
      // The lecture's words straight from the bytes, a part of each block per core.
      try input.forEach {
        Self.writeWords(of: $0, to: output, parts: ProcessInfo.processInfo.activeProcessorCount)
      }
      return
    }
    try input.forEach { block in
      var lines: [String] = []
      forEachLine(in: block) { lines.append(String(decoding: $0, as: UTF8.self)) }
      for tokens in encode(lines) { write(tokens, to: output) }
    }
  }

  /// One line of output: the tokens (or ids, with offsets if asked) separated by spaces.
  func write(_ tokens: [Shown], to output: OutputBuffer) {
    for (k, token) in tokens.enumerated() {
      if k > 0 { output.append(UInt8(ascii: " ")) }
      if ids { output.append(token.id) } else { output.append(token.text) }
      if offsets {
        output.append(UInt8(ascii: "["))
        output.append(token.start)
        output.append(UInt8(ascii: ","))
        output.append(token.end)
        output.append(UInt8(ascii: ")"))
      }
    }
    output.append(UInt8(ascii: "\n"))
  }

  /// The `\b\w+\b` words of each line of `block`, a line of output per line, the block cut
  /// at line ends into `parts` scanned at once and written in order. A line's words and the
  /// spaces between them never outgrow the line, so each part's output fits in a buffer of
  /// its own size (and one for a last line end).
  static func writeWords(of block: UnsafeBufferPointer<UInt8>, to output: OutputBuffer, parts: Int) {
    let scanner = WordScanner()
    let bounds = lineAlignedParts(block, block.count < 1 << 16 ? 1 : parts)
    let results = bounds.map { UnsafeMutableBufferPointer<UInt8>.allocate(capacity: $0.count + 1) }
    defer { for result in results { result.deallocate() } }
    var lengths = [Int](repeating: 0, count: bounds.count)
    lengths.withUnsafeMutableBufferPointer { lengths in
      nonisolated(unsafe) let (block, lengths, results) = (block, lengths, results)
      DispatchQueue.concurrentPerform(iterations: bounds.count) { k in
        let out = results[k]
        var count = 0
        forEachLine(in: UnsafeBufferPointer(rebasing: block[bounds[k]])) { line in
          let lineStart = count
          scanner.scan(line) { word in
            if count > lineStart {
              out[count] = UInt8(ascii: " ")
              count += 1
            }
            _ = UnsafeMutableBufferPointer(rebasing: out[count..<count + word.count]).update(
              fromContentsOf: word)
            count += word.count
          }
          out[count] = UInt8(ascii: "\n")
          count += 1
        }
        lengths[k] = count
      }
    }
    for (result, length) in zip(results, lengths) {
      output.append(UnsafeBufferPointer(rebasing: result[..<length]))
    }
  }

  /// A token with its id (0 for word methods) and scalar offsets.
  typealias Shown = (id: Int, text: String, start: Int, end: Int)

  /// Encodes a batch of lines: a tokenizer.json's batch encoding (on all cores), or a word
  /// method line by line.
  func encoder() throws -> ([String]) -> [[Shown]] {
    if let tokenizer {
      let loaded = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer))
      return { [loaded, noSpecialTokens] lines in
        loaded.encode(batch: lines, addingSpecialTokens: !noSpecialTokens).map { encoding in
          let tokens = ids ? [] : encoding.tokens
          return encoding.ids.indices.map {
            (
              encoding.ids[$0], ids ? "" : tokens[$0], encoding.offsets[$0].lowerBound,
              encoding.offsets[$0].upperBound
            )
          }
        }
      }
    }
    let words = method.tokenizer
    return { lines in lines.map { words.tokenize($0).map { (0, $0.text, $0.start, $0.end) } } }
  }
}

extension WordTokenization: ExpressibleByArgument {}

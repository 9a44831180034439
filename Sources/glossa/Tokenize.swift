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
      tokenizer train, or a pretrained model's) encodes the text instead as HuggingFace's \
      encode does (a .tiktoken rank file as tiktoken does, cut by --pattern, with its \
      --special-token list): its added tokens, the special tokens of its post-processor \
      (--no-special-tokens: without them), its truncation and padding (each line padded \
      alone). --pair gives every input a second text (BERT's question and context: type ids \
      0 then 1), --max-length cuts each encoding to N tokens (the file's truncation \
      strategy, or the longer text first), --pad pads it to N, and --json prints each line's \
      whole encoding (ids, tokens, offsets, type ids, masks, word and sequence ids, and the \
      overflowing windows truncation cut off) as one JSON object.

      Examples:
        glossa tokenize "The cat sat on the mat."
        glossa tokenize --method treebank < reviews.txt
        glossa tokenize --tokenizer bpe.json --ids < corpus.txt > ids.txt
        glossa tokenize --tokenizer cl100k_base.tiktoken --pattern cl100k \\
            --special-token '<|endoftext|>=100257' --ids < corpus.txt
        glossa tokenize --tokenizer bert.json --pair "Who sat?" --max-length 16 \\
            --pad --json "The cat sat on the mat."
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

  @OptionGroup var tiktoken: TiktokenOptions

  @Option(help: "A second text to encode with every input, as a pair (needs --tokenizer).")
  var pair: String?

  @Option(help: "Cut each encoding to at most N tokens, special tokens included (needs --tokenizer).")
  var maxLength: Int?

  @Flag(help: "Pad each encoding to --max-length tokens.")
  var pad = false

  @Flag(help: "Print each line's encoding as a JSON object (needs --tokenizer).")
  var json = false

  @Flag(help: "Read invalid UTF-8 as U+FFFD instead of stopping with an error.")
  var replaceInvalid = false

  @Argument(help: "Texts to tokenize (default: standard input, line by line).")
  var texts: [String] = []

  func validate() throws {
    if ids && tokenizer == nil { throw ValidationError("--ids needs --tokenizer FILE") }
    for (given, name) in [
      (noSpecialTokens, "--no-special-tokens"), (pair != nil, "--pair"), (maxLength != nil, "--max-length"),
      (json, "--json"),
    ] where given && tokenizer == nil {
      throw ValidationError("\(name) needs --tokenizer FILE")
    }
    if let maxLength, maxLength < 1 { throw ValidationError("--max-length must be at least 1") }
    if pad && maxLength == nil { throw ValidationError("--pad needs --max-length N") }
    if json && (ids || offsets) { throw ValidationError("--json prints ids and offsets already") }
    try tiktoken.validate(for: tokenizer)
  }

  func run() throws {
    let output = OutputBuffer()
    defer { output.flush() }
    if let tokenizer { return try encode(with: tokenizer, to: output) }
    let encode = method.tokenizer
    if !texts.isEmpty {
      for text in texts { write(encode.tokenize(text), to: output) }
      return
    }
    let input = LineBlocks(replacingInvalid: replaceInvalid)
    if method == .regex && !offsets {
      // The lecture's words straight from the bytes, a part of each block per core.
      try input.forEach {
        Self.writeWords(of: $0, to: output, parts: ProcessInfo.processInfo.activeProcessorCount)
      }
      return
    }
    try input.forEach { block in
      forEachLine(in: block) { write(encode.tokenize(String(decoding: $0, as: UTF8.self)), to: output) }
    }
  }

  /// How an encoding or a word method's tokens are printed.
  var format: TokenFormat { TokenFormat(json: json, ids: ids, offsets: offsets) }

  /// Encodes each TEXT argument, or each line of standard input (a block of lines at a time on
  /// every core), with a tokenizer.json, and prints each encoding: its ids or tokens (with
  /// offsets if asked), or all of it as JSON. An input the truncation cannot cut stops the
  /// command, naming its line.
  func encode(with file: String, to output: OutputBuffer) throws {
    var loaded = try tiktoken.load(file)
    if let maxLength {
      var truncation = loaded.truncation ?? Truncation(maximumLength: maxLength)
      truncation.maximumLength = maxLength
      loaded.truncation = truncation
    }
    if pad, let maxLength {
      let padID = loaded.padding?.id ?? 0
      let token = loaded.padding?.token ?? loaded.model.token(for: padID) ?? ""
      loaded.padding = Padding(
        .fixed(maxLength), token: token, id: padID, side: loaded.padding?.side ?? .right)
    }
    var linesBefore = 0
    func encodeAll(_ lines: [String]) throws {
      nonisolated(unsafe) var encodings: [Encoding]
      do {
        encodings = try loaded.encode(
          batch: lines, pairs: pair.map { Array(repeating: $0, count: lines.count) },
          addingSpecialTokens: !noSpecialTokens, padsTogether: false)
      } catch {
        let place = texts.isEmpty ? "line \(linesBefore + error.index + 1)" : "text \(error.index + 1)"
        throw ValidationErrorMessage("\(place): \(error.reason)")
      }
      linesBefore += lines.count
      // Written out (and freed) on every core, a range of lines each, printed in order.
      let format = format
      encodings.withUnsafeMutableBufferPointer { slots in
        nonisolated(unsafe) let slots = slots
        output.append(itemCount: slots.count) { range, bytes in
          for i in range {
            format.write(slots[i], into: &bytes)
            slots[i] = Encoding()
          }
        }
      }
    }
    if !texts.isEmpty { return try encodeAll(texts) }
    try LineBlocks(replacingInvalid: replaceInvalid).forEach { block in
      var lines: [String] = []
      forEachLine(in: block) { lines.append(String(decoding: $0, as: UTF8.self)) }
      try encodeAll(lines)
    }
  }

  /// A word method's tokens of a text, shown.
  func write(_ words: [Token], to output: OutputBuffer) {
    let format = format
    output.append { format.write(words, into: &$0) }
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
}

extension WordTokenization: ExpressibleByArgument {}

/// How `glossa tokenize` prints a text's tokens, a line each: an encoding as a JSON object, or
/// its ids or tokens (a word method's tokens) separated by spaces, each followed by its
/// offsets `[START,END)` when asked. (The options are copied here once: a flag's value is not
/// a plain load, and this is read for every token.)
struct TokenFormat: Sendable {
  let json: Bool, ids: Bool, offsets: Bool

  /// An encoding's line.
  func write(_ encoding: Encoding, into bytes: inout [UInt8]) {
    if json {
      var writer = JSONWriter(capacity: 64 * encoding.count)
      writer.encoding(encoding)
      bytes += writer.bytes
      bytes.append(UInt8(ascii: "\n"))
      return
    }
    let tokens = ids ? nil : encoding.tokens
    writeLine(encoding.count, offsets: { encoding.offsets[$0] }, into: &bytes) { k, bytes in
      if let tokens { bytes.append(utf8: tokens[k]) } else { bytes.appendDecimal(encoding.ids[k]) }
    }
  }

  /// A word method's tokens' line.
  func write(_ words: [Token], into bytes: inout [UInt8]) {
    writeLine(words.count, offsets: { words[$0].start..<words[$0].end }, into: &bytes) {
      $1.append(utf8: words[$0].text)
    }
  }

  /// `count` tokens, each written by `token(k, &bytes)` and followed by its offsets if asked,
  /// separated by spaces, and a line end.
  private func writeLine(
    _ count: Int, offsets range: (Int) -> Range<Int>, into bytes: inout [UInt8],
    token: (Int, inout [UInt8]) -> Void
  ) {
    for k in 0..<count {
      if k > 0 { bytes.append(UInt8(ascii: " ")) }
      token(k, &bytes)
      if offsets {
        let offsets = range(k)
        bytes.append(UInt8(ascii: "["))
        bytes.appendDecimal(offsets.lowerBound)
        bytes.append(UInt8(ascii: ","))
        bytes.appendDecimal(offsets.upperBound)
        bytes.append(UInt8(ascii: ")"))
      }
    }
    bytes.append(UInt8(ascii: "\n"))
  }
}

extension [UInt8] {
  /// Appends a string's UTF-8 bytes.
  mutating func append(utf8 text: String) {
    var text = text
    text.withUTF8 { append(contentsOf: $0) }
  }
}

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

  enum Method: String, ExpressibleByArgument, CaseIterable {
    case whitespace, regex, treebank, char
  }

  @Option(
    help:
      "How to split: whitespace, regex (\\b\\w+\\b), treebank (NLTK's word_tokenize) or char (user-perceived characters)."
  )
  var method: Method = .regex

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
    let words: any WordTokenizer =
      switch method {
      case .whitespace: WhitespaceTokenizer()
      case .regex: RegexWordTokenizer()
      case .treebank: TreebankTokenizer()
      case .char: CharacterTokenizer()
      }
    return { text in words.tokenize(text).map { (0, $0.text, $0.start, $0.end) } }
  }
}

/// `glossa tokenizer`: train and inspect subword tokenizers.
struct TokenizerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenizer", abstract: "Train and inspect subword tokenizers.",
    subcommands: [Train.self, Info.self])

  struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Describe a tokenizer.json: model, vocabulary size, special tokens, first merges.")

    @Argument(help: "The tokenizer.json file.")
    var file: String

    func run() throws {
      let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: file))
      let model = tokenizer.model
      print("model: \(type(of: model))")
      print("vocabulary size: \(model.vocabularySize)")
      let special = tokenizer.specialTokenIDs.sorted().compactMap { id in
        model.token(for: id).map { "\($0) (\(id))" }
      }
      print("special tokens: \(special.isEmpty ? "none" : special.joined(separator: ", "))")
      if let bpe = model as? BPEModel {
        print("merges: \(bpe.merges.count)")
        for (i, merge) in bpe.merges.prefix(10).enumerated() {
          print("  \(i + 1): \(merge.left) + \(merge.right) -> \(merge.result)")
        }
      }
    }
  }

  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Train a BPE, byte-level BPE, WordPiece, Unigram or word-level tokenizer on text files.",
      discussion: """
        Words are runs of word characters or of other symbols (HuggingFace's Whitespace
        pre-tokenizer, \\w+|[^\\w\\s]+). Each is split into characters plus an end-of-word
        marker; the most frequent adjacent pair is merged, again and again, until --merges
        merges or --vocab-size symbols. --verbose prints each merge with its count, as in
        the lecture's walk-through (merge 1: e + s -> es (9)).
        """)

    @Option(help: "The model to train: bpe, byte-bpe, wordpiece or wordlevel.")
    var model: TokenizerTraining.Kind = .bpe
    @Option(help: "How many merges to learn.")
    var merges: Int?
    @Option(
      name: .customLong("vocab-size"),
      help: "The vocabulary size to stop at (special and unknown tokens included).")
    var vocabularySize: Int?
    @Option(name: .customLong("min-frequency"), help: "Pairs seen fewer times are not merged.")
    var minimumFrequency = 1
    @Option(
      name: .customLong("end-of-word"),
      help:
        "End-of-word marker: a separate symbol (_), or a suffix glued to the last character when it starts with < (</w>)."
    )
    var endOfWord = "_"
    @Option(
      name: .customLong("special"), parsing: .upToNextOption,
      help: "Special tokens to put first in the vocabulary (e.g. [UNK] [PAD]).")
    var specialTokens: [String] = []
    @Flag(help: "Lowercase the corpus first.")
    var lowercase = false
    @Flag(help: "Print every merge.")
    var verbose = false
    @Option(help: "Where to write tokenizer.json.")
    var output: String
    @Argument(help: "Corpus files (UTF-8 text).")
    var corpus: [String]

    func validate() throws {
      guard merges != nil || vocabularySize != nil else {
        throw ValidationError("give --merges or --vocab-size")
      }
      guard !corpus.isEmpty else { throw ValidationError("give at least one corpus file") }
    }

    func run() throws {
      // Timed from reading the corpus to the last merge (as HF times `train`), not writing.
      let start = Date()
      var texts: [String] = []
      for path in corpus {
        guard let data = FileManager.default.contents(atPath: path) else {
          throw ValidationError("\(path): cannot be read")
        }
        texts.append(try decodeUTF8(data, file: path))
      }
      var training = TokenizerTraining(kind: model)
      training.vocabularySize = vocabularySize
      training.merges = merges
      training.minimumFrequency = minimumFrequency
      training.endOfWord =
        endOfWord.isEmpty ? .none : endOfWord.hasPrefix("<") ? .suffix(endOfWord) : .symbol(endOfWord)
      training.specialTokens = specialTokens
      training.lowercase = lowercase
      // Progress in merges when a number of merges is asked for, else in vocabulary entries.
      let progress = Progress(
        label: merges != nil ? "merges" : "vocabulary", total: merges ?? vocabularySize ?? 0)
      let trained = try training.train(texts) { step in
        if verbose {
          print(
            "merge \(step.number): \(step.merge.left) + \(step.merge.right) -> \(step.merge.result) (\(step.count))"
          )
        } else {
          progress.update(merges != nil ? step.number : step.vocabularySize)
        }
      }
      progress.finish()
      FileHandle.standardError.write(
        Data(String(format: "trained in %.3f s\n", Date().timeIntervalSince(start)).utf8))
      try TokenizerFile.write(
        trained, pipeline: training.pipeline, lowercase: lowercase, specialTokens: specialTokens,
        to: URL(fileURLWithPath: output))
      FileHandle.standardError.write(
        Data("wrote \(output): \(trained.vocabularySize) tokens\n".utf8))
    }
  }
}

extension TokenizerTraining.Kind: ExpressibleByArgument {}

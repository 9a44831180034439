import ArgumentParser
import Foundation
import GlossaText
import GlossaViz

/// `glossa tokenizer train`: a subword or word-level tokenizer from text files.
struct TokenizerTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a BPE, byte-level BPE, WordPiece, Unigram or word-level tokenizer on text files.",
    discussion: """
      Words are runs of word characters or of other symbols (HuggingFace's Whitespace \
      pre-tokenizer, \\w+|[^\\w\\s]+). Each is split into characters plus an end-of-word \
      marker; the most frequent adjacent pair is merged, again and again, until --merges \
      merges or --vocab-size symbols. --verbose prints each merge with its count, as in \
      the lecture's walk-through (--end-of-word _: merge 1: e + s -> es (9)). The \
      tokenizer.json written loads in HuggingFace's tokenizers and in glossa tokenize \
      --tokenizer, and both encode with it the same, except with the lecture's separate \
      end-of-word symbol, which HuggingFace has no form of (a warning says so).

      Examples:
        glossa tokenizer train --model bpe --merges 5 --end-of-word _ --verbose \\
          --output b.json a.txt
        glossa tokenizer train --model wordpiece --vocab-size 30000 \\
          --output wp.json *.txt
      """)

  @Option(help: "The model to train: bpe, byte-bpe, wordpiece, unigram or wordlevel.")
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
      "End-of-word marker: a suffix glued to the last character when it starts with < (</w>, as HuggingFace's files), or the lecture's separate symbol (_, which other tools read differently), or none (\"\")."
  )
  var endOfWord = "</w>"
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
    training.endOfWord = EndOfWord(marker: endOfWord)
    training.specialTokens = specialTokens
    training.lowercase = lowercase
    // Progress in merges when a number of merges is asked for, else in vocabulary entries.
    let progress = ProgressBar(
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
    if case .symbol(let symbol) = training.endOfWord, model == .bpe {
      FileHandle.standardError.write(
        Data(
          """
          warning: the lecture's separate end-of-word symbol (\(symbol)) has no form in HuggingFace's \
          tokenizer.json: Glossa encodes with this file as trained, other tools will not (they ignore \
          glossa_end_of_word_symbol); --end-of-word '</w>' writes a file that every tool reads the same.

          """.utf8))
    }
  }
}

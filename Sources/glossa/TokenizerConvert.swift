import ArgumentParser
import Foundation
import GlossaText

/// `glossa tokenizer convert`: a tokenizer from another form written as a whole tokenizer.json.
struct TokenizerConvert: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract:
      "Write a tokenizer (a tokenizer.json, or GPT-2's vocab.json and merges.txt) as a tokenizer.json.",
    discussion: """
      Reads a tokenizer.json, or GPT-2's vocab.json and merges.txt (--vocab and --merges), and \
      writes it as a tokenizer.json with its whole pipeline: added tokens, normalizer, \
      pre-tokenizer, model, post-processor, decoder, truncation and padding, keys sorted and \
      the vocabulary in id order, so the same tokenizer always gives the same bytes. The \
      file is written to a temporary name and renamed. A .tiktoken rank file has no \
      tokenizer.json form (HuggingFace has no model that merges by rank); glossa tokenize \
      reads it as it is.

      Examples:
        glossa tokenizer convert --vocab vocab.json --merges merges.txt \\
            --output gpt2.json
        glossa tokenizer convert downloaded.json --output tokenizer.json
      """)

  @Argument(help: "The tokenizer.json to read (or none, with --vocab and --merges).")
  var file: String?

  @Option(help: "GPT-2's vocab.json (with --merges).")
  var vocab: String?

  @Option(help: "GPT-2's merges.txt (with --vocab).")
  var merges: String?

  @Option(help: "The tokenizer.json to write.")
  var output: String

  func validate() throws {
    guard (file != nil) != (vocab != nil || merges != nil) else {
      throw ValidationError("give a tokenizer.json, or --vocab and --merges")
    }
    if file == nil && (vocab == nil || merges == nil) {
      throw ValidationError("--vocab and --merges go together")
    }
  }

  func run() throws {
    let tokenizer =
      if let file {
        try Tokenizer(contentsOf: URL(fileURLWithPath: file))
      } else {
        try Tokenizer.gpt2(vocabulary: URL(fileURLWithPath: vocab!), merges: URL(fileURLWithPath: merges!))
      }
    do {
      try tokenizer.write(to: URL(fileURLWithPath: output))
    } catch let error as TokenizerFileError {
      throw TokenizerFileError(file: file ?? vocab!, path: error.path, reason: error.reason)
    }
  }
}

import ArgumentParser
import Foundation
import GlossaText

/// `glossa tokenizer convert`: a tokenizer from another form written as a whole tokenizer.json.
struct TokenizerConvert: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract:
      "Convert a tokenizer between tokenizer.json, GPT-2's vocab.json and merges.txt, and .tiktoken.",
    discussion: """
      Reads a tokenizer.json, a .tiktoken rank file (with its --pattern and --special-token \
      list), or GPT-2's vocab.json and merges.txt (--vocab and --merges), and writes it as a \
      tokenizer.json with its whole pipeline: added tokens, normalizer, pre-tokenizer, model, \
      post-processor, decoder, truncation and padding, keys sorted and the vocabulary in id \
      order, so the same tokenizer always gives the same bytes. A rank file becomes the \
      byte-level BPE HuggingFace encodes as tiktoken does (ignore_merges, a merge for each \
      way to cut a token in two, in rank order). An --output ending in .tiktoken writes the \
      rank file of a byte-level BPE instead (its ids as ranks; refused when its merges are \
      not in id order, as tiktoken would then encode differently); the split pattern and \
      the special tokens are not part of that format. Files are written to a temporary \
      name and renamed.

      Examples:
        glossa tokenizer convert --vocab vocab.json --merges merges.txt \\
            --output gpt2.json
        glossa tokenizer convert cl100k_base.tiktoken --pattern cl100k \\
            --special-token '<|endoftext|>=100257' --output cl100k.json
        glossa tokenizer convert gpt2.json --output gpt2.tiktoken
        glossa tokenizer convert downloaded.json --output tokenizer.json
      """)

  @Argument(help: "The tokenizer.json or .tiktoken file to read (or none, with --vocab and --merges).")
  var file: String?

  @Option(help: "GPT-2's vocab.json (with --merges).")
  var vocab: String?

  @Option(help: "GPT-2's merges.txt (with --vocab).")
  var merges: String?

  @OptionGroup var tiktoken: TiktokenOptions

  @Option(help: "The tokenizer.json to write (a .tiktoken name: the rank file).")
  var output: String

  func validate() throws {
    guard (file != nil) != (vocab != nil || merges != nil) else {
      throw ValidationError("give a tokenizer.json, or --vocab and --merges")
    }
    if file == nil && (vocab == nil || merges == nil) {
      throw ValidationError("--vocab and --merges go together")
    }
    try tiktoken.validate(for: file)
  }

  func run() throws {
    let tokenizer =
      if let file {
        try tiktoken.load(file)
      } else {
        try Tokenizer.gpt2(vocabulary: URL(fileURLWithPath: vocab!), merges: URL(fileURLWithPath: merges!))
      }
    if output.hasSuffix(".tiktoken") { return try writeRankFile(of: tokenizer) }
    do {
      try tokenizer.write(to: URL(fileURLWithPath: output))
    } catch let error as TokenizerFileError {
      throw TokenizerFileError(file: file ?? vocab!, path: error.path, reason: error.reason)
    }
  }

  /// Writes the `.tiktoken` rank file of a byte-level BPE (or of a rank file's model).
  private func writeRankFile(of tokenizer: Tokenizer) throws {
    let source = file ?? vocab!
    let model: TiktokenModel
    switch tokenizer.model {
    case let ranks as TiktokenModel: model = ranks
    case let bpe as BPEModel:
      do { model = try TiktokenModel(bpe) } catch { throw ValidationErrorMessage("\(source): \(error)") }
    default: throw ValidationErrorMessage("\(source): a \(type(of: tokenizer.model)) has no .tiktoken form")
    }
    try model.rankFile.write(to: URL(fileURLWithPath: output), options: .atomic)
  }
}

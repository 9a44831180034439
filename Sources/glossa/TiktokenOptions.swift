import ArgumentParser
import Foundation
import GlossaText

/// What a `.tiktoken` rank file does not say, given on the command line: its split pattern and
/// its special tokens (`glossa tokenize` and `glossa tokenizer convert`).
struct TiktokenOptions: ParsableArguments {
  @Option(
    help:
      "A .tiktoken file's split pattern: cl100k (the default), gpt2, or a regular expression."
  )
  var pattern: String?

  @Option(
    name: .customLong("special-token"),
    help: "A .tiktoken file's special token and its id, TOKEN=ID (<|endoftext|>=100257); repeat for more.")
  var specialTokens: [String] = []

  /// Refuses the options for a `file` that is not a rank file, and a special token without its id.
  func validate(for file: String?) throws {
    if (pattern != nil || !specialTokens.isEmpty) && !(file?.hasSuffix(".tiktoken") ?? false) {
      throw ValidationError("--pattern and --special-token are for a .tiktoken file")
    }
    for token in specialTokens where token.split(separator: "=").last.flatMap({ Int($0) }) == nil {
      throw ValidationError("--special-token \(token): expected TOKEN=ID")
    }
  }

  /// The tokenizer of `file`: a `.tiktoken` rank file with these options, else a tokenizer.json.
  func load(_ file: String) throws -> Tokenizer {
    guard file.hasSuffix(".tiktoken") else { return try Tokenizer(contentsOf: URL(fileURLWithPath: file)) }
    let split = [("cl100k", Tokenizer.cl100kSplitPattern), ("gpt2", Tokenizer.gpt2SplitPattern)]
    let special = Dictionary(
      specialTokens.map { entry -> (String, Int) in
        let cut = entry.lastIndex(of: "=")!
        return (String(entry[..<cut]), Int(entry[entry.index(after: cut)...])!)
      }
    ) { _, last in last }
    return try Tokenizer.tiktoken(
      contentsOf: URL(fileURLWithPath: file),
      pattern: split.first { $0.0 == pattern ?? "cl100k" }?.1 ?? pattern!, specialTokens: special)
  }
}

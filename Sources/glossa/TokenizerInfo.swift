import ArgumentParser
import Foundation
import GlossaText

/// `glossa tokenizer info`: what a tokenizer.json holds.
struct TokenizerInfo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Describe a tokenizer.json: model, vocabulary size, special tokens, first merges.",
    discussion: """
      Reads a tokenizer.json in HuggingFace's format, trained by glossa tokenizer train or \
      a pretrained model's, and prints its model, its vocabulary size, its special tokens \
      and, for BPE, its first merges in the order they were learnt.

      Examples:
        glossa tokenizer info bpe.json
      """)

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

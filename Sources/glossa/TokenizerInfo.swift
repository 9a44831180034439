import ArgumentParser
import Foundation
import GlossaText

/// `glossa tokenizer info`: what a tokenizer.json holds.
struct TokenizerInfo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Describe a tokenizer.json: its pipeline, vocabulary size, special tokens, first merges.",
    discussion: """
      Reads a tokenizer.json in HuggingFace's format, trained by glossa tokenizer train or \
      a pretrained model's, and prints its pipeline (normalizer, pre-tokenizer, model, \
      post-processor, decoder, truncation, padding), its vocabulary size, its added and \
      special tokens and, for BPE, its first merges in the order they were learnt.

      Examples:
        glossa tokenizer info bpe.json
      """,
    aliases: ["inspect"])

  @Argument(help: "The tokenizer.json file.")
  var file: String

  func run() throws {
    let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: file))
    let model = tokenizer.model
    let json = try? tokenizer.jsonObject()
    /// A stage by its tokenizer.json type, a Sequence with its parts' types.
    func describe(_ stage: String) -> String {
      guard let object = json?[stage] as? [String: Any], let type = object["type"] as? String else {
        return "none"
      }
      let parts = ["normalizers", "pretokenizers", "processors", "decoders"].lazy.compactMap {
        object[$0] as? [[String: Any]]
      }.first
      return parts.map { "\(type) of \($0.compactMap { $0["type"] as? String }.joined(separator: ", "))" }
        ?? type
    }
    for stage in ["normalizer", "pre_tokenizer", "post_processor", "decoder"] {
      print("\(stage.replacingOccurrences(of: "_", with: "-")): \(describe(stage))")
    }
    if let truncation = tokenizer.truncation {
      print(
        "truncation: \(truncation.maximumLength) tokens, \(truncation.strategy.rawValue), stride \(truncation.stride), from the \(truncation.side.rawValue.lowercased())"
      )
    }
    if let padding = tokenizer.padding {
      let length = if case .fixed(let n) = padding.length { "\(n) tokens" } else { "the longest of a batch" }
      print(
        "padding: to \(length) with \(padding.token) (\(padding.id)), on the \(padding.side.rawValue.lowercased())"
      )
    }
    print("model: \(type(of: model))")
    print("vocabulary size: \(model.vocabularySize)")
    let added = Dictionary(tokenizer.addedTokens.map { ($0.id, $0.token.content) }) { first, _ in first }
    let special = tokenizer.specialTokenIDs.sorted().compactMap { id in
      (added[id] ?? model.token(for: id)).map { "\($0) (\(id))" }
    }
    print("special tokens: \(special.isEmpty ? "none" : special.joined(separator: ", "))")
    print("added tokens: \(tokenizer.addedTokens.count)")
    if let bpe = model as? BPEModel {
      print("merges: \(bpe.merges.count)")
      for (i, merge) in bpe.merges.prefix(10).enumerated() {
        print("  \(i + 1): \(merge.left) + \(merge.right) -> \(merge.result)")
      }
    }
  }
}

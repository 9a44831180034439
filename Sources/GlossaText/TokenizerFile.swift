import Foundation

/// Writes a trained BPE model as a HuggingFace `tokenizer.json`: the `BPE` model with its
/// vocabulary and merges, an optional lowercase normalizer, a whitespace pre-tokenizer and
/// the BPE decoder. The lecture's separate end-of-word symbol has no HuggingFace
/// equivalent; it is recorded under `glossa_end_of_word_symbol` beside the model.
public enum TokenizerFile {
  /// The JSON object of `model`.
  public static func json(for model: BPEModel, lowercase: Bool) -> [String: Any] {
    var bpe: [String: Any] = [
      "type": "BPE", "dropout": NSNull(), "unk_token": model.unknownToken ?? NSNull(),
      "continuing_subword_prefix": NSNull(), "end_of_word_suffix": NSNull(), "fuse_unk": false,
      "byte_fallback": false, "ignore_merges": false, "vocab": model.table.ids,
      "merges": model.merges.map { [$0.left, $0.right] },
    ]
    var decoder: Any = NSNull()
    switch model.endOfWord {
    case .suffix(let suffix):
      bpe["end_of_word_suffix"] = suffix
      decoder = ["type": "BPEDecoder", "suffix": suffix]
    case .symbol(let symbol): bpe["glossa_end_of_word_symbol"] = symbol
    case .none: break
    }
    let unknown: [[String: Any]] =
      model.unknownToken.flatMap { token in
        model.id(of: token).map { id in
          [
            "id": id, "content": token, "single_word": false, "lstrip": false, "rstrip": false,
            "normalized": false, "special": true,
          ]
        }
      }.map { [$0] } ?? []
    return [
      "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": unknown,
      "normalizer": lowercase ? ["type": "Lowercase"] : NSNull(),
      "pre_tokenizer": ["type": "WhitespaceSplit"],
      "post_processor": NSNull(), "decoder": decoder, "model": bpe,
    ]
  }

  /// Writes `model` to `url` through a temporary file and a rename.
  public static func write(_ model: BPEModel, lowercase: Bool, to url: URL) throws {
    let data = try JSONSerialization.data(
      withJSONObject: json(for: model, lowercase: lowercase), options: [.sortedKeys, .prettyPrinted])
    try data.write(to: url, options: .atomic)
  }
}

import Foundation

/// Writes a trained BPE model as a HuggingFace `tokenizer.json`: the `BPE` model with its
/// vocabulary and merges, an optional lowercase normalizer, the `Whitespace` pre-tokenizer and
/// the BPE decoder. The lecture's separate end-of-word symbol has no HuggingFace
/// equivalent; it is recorded under `glossa_end_of_word_symbol` beside the model.
public enum TokenizerFile {
  /// The JSON object of `model`.
  public static func json(for model: BPEModel, lowercase: Bool, specialTokens: [String] = []) -> [String: Any]
  {
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
    let special = Set(specialTokens + (model.unknownToken.map { [$0] } ?? []))
    let added: [[String: Any]] = special.compactMap { token in model.id(of: token).map { (token, $0) } }
      .sorted { $0.1 < $1.1 }
      .map { token, id in
        [
          "id": id, "content": token, "single_word": false, "lstrip": false, "rstrip": false,
          "normalized": false, "special": true,
        ]
      }
    return [
      "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": added,
      "normalizer": lowercase ? ["type": "Lowercase"] : NSNull(),
      "pre_tokenizer": ["type": "Whitespace"],
      "post_processor": NSNull(), "decoder": decoder, "model": bpe,
    ]
  }

  /// Writes `model` to `url` through a temporary file and a rename. Keys are sorted and the
  /// vocabulary is listed in id order, so the same model always gives the same bytes.
  public static func write(_ model: BPEModel, lowercase: Bool, specialTokens: [String] = [], to url: URL)
    throws
  {
    let json = json(for: model, lowercase: lowercase, specialTokens: specialTokens)
    try Data(JSONText.encode(json).utf8).write(to: url, options: .atomic)
  }
}

/// A small deterministic JSON writer: object keys sorted by code point (a vocabulary, whose
/// values are ids, in id order), two-space indentation.
enum JSONText {
  static func encode(_ value: Any, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case let object as [String: Int]:
      let items = object.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        .map { "\(inner)\(quote($0.key)): \($0.value)" }
      return items.isEmpty ? "{}" : "{\n" + items.joined(separator: ",\n") + "\n\(indent)}"
    case let object as [String: Any]:
      let items = object.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        .map { "\(inner)\(quote($0)): \(encode(object[$0]!, indent: inner))" }
      return items.isEmpty ? "{}" : "{\n" + items.joined(separator: ",\n") + "\n\(indent)}"
    case let strings as [String]:
      return "[" + strings.map(quote).joined(separator: ", ") + "]"
    case let array as [Any]:
      let items = array.map { "\(inner)\(encode($0, indent: inner))" }
      return items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n\(indent)]"
    case let string as String: return quote(string)
    case let flag as Bool: return flag ? "true" : "false"
    case let number as Int: return String(number)
    case is NSNull: return "null"
    default: return "null"
    }
  }

  static func quote(_ string: String) -> String {
    var out = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

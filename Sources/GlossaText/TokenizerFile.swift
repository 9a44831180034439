import Foundation

/// Writes trained models as HuggingFace `tokenizer.json` files, with the pipeline their
/// training used: `.words` (optional lowercase, the `Whitespace` pre-tokenizer), `.byteLevel`
/// (GPT-2's byte-level pre-tokenizer and decoder), `.bert` (BERT's normalizer and
/// pre-tokenizer, the WordPiece decoder) or `.metaspace` (sentencepiece's `▁` pre-tokenizer
/// and decoder, for Unigram). The lecture's separate end-of-word symbol has no
/// HuggingFace equivalent; it is recorded under `glossa_end_of_word_symbol` in the model.
public enum TokenizerFile {
  /// The normalizer, pre-tokenizer and decoder around a model.
  public enum Pipeline: Sendable { case words, byteLevel, bert, metaspace }

  /// A model's object in a tokenizer.json.
  public static func json(for model: any TokenizerModel) throws -> [String: Any] {
    guard let json = model.json else {
      throw TokenizerFileError(file: "", path: "model", reason: "\(type(of: model)) cannot be written yet")
    }
    return json
  }

  /// The JSON object of a tokenizer.
  public static func json(
    for model: any TokenizerModel, pipeline: Pipeline = .words, lowercase: Bool, specialTokens: [String] = []
  ) throws -> [String: Any] {
    let modelJSON = try json(for: model)
    var decoder: Any = NSNull()
    var unknown: String? = nil
    switch model {
    case let bpe as BPEModel:
      unknown = bpe.unknownToken
      if case .suffix(let suffix) = bpe.endOfWord { decoder = ["type": "BPEDecoder", "suffix": suffix] }
    case let wordPiece as WordPieceModel:
      unknown = wordPiece.unknownToken
      decoder = ["type": "WordPiece", "prefix": wordPiece.continuingPrefix, "cleanup": true]
    case let unigram as UnigramModel: unknown = unigram.token(for: unigram.unknownID)
    case let wordLevel as WordLevelModel: unknown = wordLevel.unknownToken
    default: break
    }
    let byteLevel: [String: Any] = [
      "type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true,
    ]
    var normalizer: Any = lowercase ? ["type": "Lowercase"] : NSNull()
    var preTokenizer: Any = ["type": "Whitespace"]
    switch pipeline {
    case .words: break
    case .byteLevel:
      preTokenizer = byteLevel
      decoder = byteLevel
    case .metaspace:
      let metaspace: [String: Any] = [
        "type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true,
      ]
      preTokenizer = metaspace
      decoder = metaspace
    case .bert:
      normalizer = [
        "type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": NSNull(),
        "lowercase": lowercase,
      ]
      preTokenizer = ["type": "BertPreTokenizer"]
    }
    let special = Set(specialTokens + (unknown.map { [$0] } ?? []))
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
      "normalizer": normalizer, "pre_tokenizer": preTokenizer, "post_processor": NSNull(), "decoder": decoder,
      "model": modelJSON,
    ]
  }

  /// Writes a tokenizer to `url` through a temporary file and a rename. Keys are sorted and
  /// the vocabulary is listed in id order, so the same model always gives the same bytes.
  public static func write(
    _ model: any TokenizerModel, pipeline: Pipeline = .words, lowercase: Bool, specialTokens: [String] = [],
    to url: URL
  ) throws {
    try data(for: model, pipeline: pipeline, lowercase: lowercase, specialTokens: specialTokens)
      .write(to: url, options: .atomic)
  }

  /// The bytes of the tokenizer.json that ``write(_:pipeline:lowercase:specialTokens:to:)`` writes.
  public static func data(
    for model: any TokenizerModel, pipeline: Pipeline = .words, lowercase: Bool, specialTokens: [String] = []
  ) throws -> Data {
    Data(
      JSONText.encode(
        try json(for: model, pipeline: pipeline, lowercase: lowercase, specialTokens: specialTokens)
      ).utf8)
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
    case let number as Double: return number.isFinite ? "\(number)" : "null"
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

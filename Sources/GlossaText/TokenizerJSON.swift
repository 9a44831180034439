import Foundation

/// Why a tokenizer file could not be read: the file, the JSON path of the problem
/// (`model.vocab`, `normalizer.normalizers[1].type`, …) and what was expected.
public struct TokenizerFileError: Error, CustomStringConvertible, Equatable {
  /// The file read.
  public let file: String
  /// The JSON path of the problem (`model.vocab`, `normalizer.normalizers[1].type`), or
  /// `byte N` in a file that is not JSON, or `line N` in GPT-2's merges.txt.
  public let path: String
  /// What was expected.
  public let reason: String
  public var description: String { "\(file): \(path): \(reason)" }

  /// An error at `path` in `file`.
  public init(file: String, path: String, reason: String) {
    (self.file, self.path, self.reason) = (file, path, reason)
  }
}

/// A cursor into parsed JSON that knows its path, for error messages.
struct JSONNode {
  let value: Any
  let path: String
  let file: String

  func fail(_ reason: String) -> TokenizerFileError {
    TokenizerFileError(file: file, path: path, reason: reason)
  }

  subscript(key: String) -> JSONNode {
    JSONNode(
      value: (value as? [String: Any])?[key] ?? NSNull(), path: path.isEmpty ? key : "\(path).\(key)",
      file: file)
  }
  var isNull: Bool { value is NSNull }
  func string() throws -> String {
    guard let s = value as? String else { throw fail("expected a string") }
    return s
  }
  func optionalString() throws -> String? { isNull ? nil : try string() }
  func bool(default fallback: Bool) throws -> Bool {
    if isNull { return fallback }
    guard let b = value as? Bool else { throw fail("expected true or false") }
    return b
  }
  func int() throws -> Int {
    guard let n = value as? NSNumber else { throw fail("expected an integer") }
    return n.intValue
  }
  func array() throws -> [JSONNode] {
    guard let items = value as? [Any] else { throw fail("expected an array") }
    return items.enumerated().map { JSONNode(value: $0.element, path: "\(path)[\($0.offset)]", file: file) }
  }
  func vocabulary() throws -> [String: Int] {
    guard let object = value as? [String: Any] else { throw fail("expected an object of token → id") }
    var result: [String: Int] = [:]
    for (token, id) in object {
      // Ids are stored in 32 bits.
      guard let n = id as? NSNumber, n.doubleValue == Double(n.intValue),
        (0..<Int(Int32.max)).contains(n.intValue)
      else { throw self[token].fail("expected an integer id from 0 to \(Int32.max - 1)") }
      result[token] = n.intValue
    }
    return result
  }
  func type() throws -> String { try self["type"].string() }
}

extension Tokenizer {
  /// Reads a HuggingFace `tokenizer.json`.
  public init(contentsOf url: URL) throws {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw TokenizerFileError(file: url.path, path: "", reason: "cannot be read")
    }
    try self.init(json: data, file: url.path)
  }

  /// Parses the contents of a HuggingFace `tokenizer.json`; `file` names it in errors.
  public init(json data: Data, file: String = "<memory>") throws {
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: data)
    } catch {
      let (offset, problem) = jsonSyntaxError(in: data) ?? (0, "\(error)")
      throw TokenizerFileError(file: file, path: "byte \(offset)", reason: "not valid JSON (\(problem))")
    }
    let root = JSONNode(value: parsed, path: "", file: file)
    guard parsed is [String: Any] else { throw root.fail("expected a JSON object") }
    var special = Set<Int>()
    if !root["added_tokens"].isNull {
      for token in try root["added_tokens"].array() where try token["special"].bool(default: false) {
        special.insert(try token["id"].int())
      }
    }
    self.init(
      normalizer: try Self.normalizer(root["normalizer"]),
      preTokenizer: try Self.preTokenizer(root["pre_tokenizer"]),
      model: try Self.model(root["model"]), decoder: try Self.decoder(root["decoder"]) ?? SpaceJoinDecoder(),
      specialTokenIDs: special)
    postProcessing = try Self.postProcessing(root["post_processor"])
  }

  /// The special tokens a `post_processor` puts around a single text, as HuggingFace's
  /// `encode` adds them by default: BERT's `[CLS] … [SEP]`, RoBERTa's `<s> … </s>`, or a
  /// template of at most one special token before the text and one after; and RoBERTa's and
  /// ByteLevel's offset trimming (`trim_offsets`, `add_prefix_space`).
  static func postProcessing(_ node: JSONNode) throws -> PostProcessing {
    var result = PostProcessing()
    if node.isNull { return result }
    func tokenAndID(_ pair: JSONNode) throws -> (token: String, id: Int) {
      let items = try pair.array()
      guard items.count == 2 else { throw pair.fail("expected [token, id]") }
      return (try items[0].string(), try items[1].int())
    }
    switch try node.type() {
    case "BertProcessing":
      result.begin = try tokenAndID(node["cls"])
      result.end = try tokenAndID(node["sep"])
    case "RobertaProcessing":
      result.begin = try tokenAndID(node["cls"])
      result.end = try tokenAndID(node["sep"])
      result.trimsOffsets = try node["trim_offsets"].bool(default: true)
      result.keepsPrefixSpace = try node["add_prefix_space"].bool(default: true)
    case "TemplateProcessing":
      let single = node["single"]
      var before: [JSONNode] = []
      var after: [JSONNode] = []
      var sawText = false
      for piece in try single.array() {
        if !piece["Sequence"].isNull {
          guard try piece["Sequence"]["id"].string() == "A", !sawText else {
            throw piece.fail("a single text's template has one sequence, A")
          }
          sawText = true
        } else if !piece["SpecialToken"].isNull {
          sawText ? after.append(piece["SpecialToken"]) : before.append(piece["SpecialToken"])
        } else {
          throw piece.fail("expected a Sequence or a SpecialToken")
        }
      }
      guard sawText, before.count <= 1, after.count <= 1 else {
        throw single.fail(
          "only templates of at most one special token before the text and one after are supported")
      }
      func special(_ piece: JSONNode) throws -> (token: String, id: Int) {
        let name = try piece["id"].string()
        let entry = node["special_tokens"][name]
        let ids = try entry["ids"].array()
        let tokens = try entry["tokens"].array()
        guard ids.count == 1, tokens.count == 1 else { throw entry.fail("expected one token and one id") }
        return (try tokens[0].string(), try ids[0].int())
      }
      result.begin = try before.first.map(special)
      result.end = try after.first.map(special)
    case "ByteLevel":
      result.trimsOffsets = try node["trim_offsets"].bool(default: true)
      result.keepsPrefixSpace = try node["add_prefix_space"].bool(default: true)
    case "Sequence":
      for processor in try node["processors"].array() {
        let part = try postProcessing(processor)
        result.begin = part.begin ?? result.begin
        result.end = part.end ?? result.end
        result.trimsOffsets = result.trimsOffsets || part.trimsOffsets
        result.keepsPrefixSpace = result.keepsPrefixSpace || part.keepsPrefixSpace
      }
    case let other: throw node["type"].fail("unsupported post-processor \(other)")
    }
    return result
  }

  /// A `Replace` component's pattern: `{"String": s}` (a regular expression, `{"Regex": r}`,
  /// is refused), never empty.
  static func stringPattern(_ node: JSONNode) throws -> String {
    if !node["Regex"].isNull { throw node["Regex"].fail("a regular-expression pattern is not supported yet") }
    let pattern = try node["String"].string()
    guard !pattern.isEmpty else { throw node["String"].fail("an empty pattern") }
    return pattern
  }

  static func normalizer(_ node: JSONNode) throws -> (any Normalizer)? {
    if node.isNull { return nil }
    switch try node.type() {
    case "Lowercase": return Lowercase()
    case "NFC": return UnicodeNormalization(.nfc)
    case "NFD": return UnicodeNormalization(.nfd)
    case "NFKC": return UnicodeNormalization(.nfkc)
    case "NFKD": return UnicodeNormalization(.nfkd)
    case "StripAccents": return StripAccents()
    case "BertNormalizer":
      return BertNormalizer(
        cleanText: try node["clean_text"].bool(default: true),
        handleChineseCharacters: try node["handle_chinese_chars"].bool(default: true),
        stripAccents: node["strip_accents"].isNull ? nil : try node["strip_accents"].bool(default: true),
        lowercase: try node["lowercase"].bool(default: true))
    case "Prepend": return Prepend(try node["prepend"].string())
    case "Strip":
      return Strip(
        left: try node["strip_left"].bool(default: true), right: try node["strip_right"].bool(default: true))
    case "ByteLevel": return ByteLevelNormalizer()
    case "Replace": return Replace(try stringPattern(node["pattern"]), with: try node["content"].string())
    case "Sequence":
      return NormalizerSequence(try node["normalizers"].array().compactMap(normalizer))
    case let other: throw node["type"].fail("unsupported normalizer \(other)")
    }
  }

  /// A `Split` or `Punctuation` behaviour by its name.
  static func behavior(_ node: JSONNode) throws -> Split.Behavior {
    let name = try node.string()
    guard let behavior = Split.Behavior(rawValue: name) else { throw node.fail("unknown behavior \(name)") }
    return behavior
  }

  static func preTokenizer(_ node: JSONNode) throws -> (any PreTokenizer)? {
    if node.isNull { return nil }
    switch try node.type() {
    case "Whitespace": return WhitespacePreTokenizer()
    case "WhitespaceSplit": return WhitespaceSplit()
    case "BertPreTokenizer": return BertPreTokenizer()
    case "Metaspace":
      let replacement = try node["replacement"].optionalString() ?? "▁"
      guard let scalar = replacement.unicodeScalars.first, replacement.unicodeScalars.count == 1 else {
        throw node["replacement"].fail("expected one character")
      }
      let scheme = try node["prepend_scheme"].optionalString() ?? "always"
      guard scheme == "always" || scheme == "never" else {
        throw node["prepend_scheme"].fail("unsupported scheme \(scheme)")
      }
      return Metaspace(
        replacement: scalar, prependAlways: scheme == "always", splits: try node["split"].bool(default: true))
    case "ByteLevel":
      return ByteLevel(
        addPrefixSpace: try node["add_prefix_space"].bool(default: false),
        usesRegex: try node["use_regex"].bool(default: true))
    case "Split":
      let pattern = node["pattern"]
      let isRegularExpression = !pattern["Regex"].isNull
      let text = try (isRegularExpression ? pattern["Regex"] : pattern["String"]).string()
      let (behavior, invert) = (try behavior(node["behavior"]), try node["invert"].bool(default: false))
      do {
        return try Split(
          isRegularExpression ? .regularExpression(text) : .string(text), behavior: behavior, invert: invert)
      } catch {
        throw pattern["Regex"].fail("the regular expression does not compile: \(error)")
      }
    case "Digits": return Split.digits(individually: try node["individual_digits"].bool(default: false))
    case "Punctuation":
      return Split.punctuation(node["behavior"].isNull ? .isolated : try behavior(node["behavior"]))
    case "CharDelimiterSplit":
      let delimiter = try node["delimiter"].string()
      guard let scalar = delimiter.unicodeScalars.first, delimiter.unicodeScalars.count == 1 else {
        throw node["delimiter"].fail("expected one character")
      }
      return Split.delimiter(scalar)
    case "Sequence":
      return PreTokenizerSequence(try node["pretokenizers"].array().compactMap(preTokenizer))
    case let other: throw node["type"].fail("unsupported pre-tokenizer \(other)")
    }
  }

  static func model(_ node: JSONNode) throws -> any TokenizerModel {
    if node.isNull { throw node.fail("a tokenizer needs a model") }
    switch try node.type() {
    case "WordLevel":
      return WordLevelModel(
        vocabulary: try node["vocab"].vocabulary(), unknownToken: try node["unk_token"].string())
    case "WordPiece":
      return WordPieceModel(
        vocabulary: try node["vocab"].vocabulary(), unknownToken: try node["unk_token"].string(),
        continuingPrefix: try node["continuing_subword_prefix"].optionalString() ?? "##",
        maximumCharacters: node["max_input_chars_per_word"].isNull
          ? 100 : try node["max_input_chars_per_word"].int())
    case "BPE":
      if try node["continuing_subword_prefix"].optionalString() != nil {
        throw node["continuing_subword_prefix"].fail("continuing_subword_prefix is not supported yet")
      }
      let merges = try node["merges"].array().map { item -> BPEModel.Merge in
        if let pair = item.value as? [String], pair.count == 2 { return BPEModel.Merge(pair[0], pair[1]) }
        let parts = try item.string().split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw item.fail("expected a merge \"left right\" or [left, right]") }
        return BPEModel.Merge(String(parts[0]), String(parts[1]))
      }
      let endOfWord: EndOfWord =
        if let suffix = try node["end_of_word_suffix"].optionalString() {
          .suffix(suffix)
        } else if let symbol = try node["glossa_end_of_word_symbol"].optionalString() { .symbol(symbol) } else
        { .none }
      if !node["dropout"].isNull, (node["dropout"].value as? NSNumber)?.doubleValue != 0 {
        throw node["dropout"].fail("BPE dropout is not supported (encodings would be random)")
      }
      return BPEModel(
        vocabulary: try node["vocab"].vocabulary(), merges: merges, endOfWord: endOfWord,
        unknownToken: try node["unk_token"].optionalString(),
        byteFallback: try node["byte_fallback"].bool(default: false),
        fusesUnknown: try node["fuse_unk"].bool(default: false),
        ignoresMerges: try node["ignore_merges"].bool(default: false))
    case "Unigram":
      let pieces = try node["vocab"].array().map { item -> (String, Double) in
        let pair = try item.array()
        guard pair.count == 2, let score = (pair[1].value as? NSNumber)?.doubleValue else {
          throw item.fail("expected [piece, score]")
        }
        return (try pair[0].string(), score)
      }
      if try node["byte_fallback"].bool(default: false) {
        throw node["byte_fallback"].fail("a Unigram model's byte fallback is not supported yet")
      }
      return UnigramModel(pieces: pieces, unknownID: node["unk_id"].isNull ? 0 : try node["unk_id"].int())
    case let other: throw node["type"].fail("unsupported model \(other)")
    }
  }

  static func decoder(_ node: JSONNode) throws -> (any TokenDecoder)? {
    if node.isNull { return nil }
    switch try node.type() {
    case "BPEDecoder": return BPEDecoder(suffix: try node["suffix"].optionalString() ?? "</w>")
    case "WordPiece":
      return WordPieceDecoder(
        prefix: try node["prefix"].optionalString() ?? "##", cleanup: try node["cleanup"].bool(default: true))
    case "Metaspace":
      return MetaspaceDecoder(
        replacement: try node["replacement"].optionalString() ?? "▁",
        prependAlways: (try node["prepend_scheme"].optionalString() ?? "always") == "always")
    case "ByteLevel": return ByteLevelDecoder()
    case "Replace":
      return ReplaceDecoder(try stringPattern(node["pattern"]), with: try node["content"].string())
    case "ByteFallback": return ByteFallbackDecoder()
    case "Fuse": return FuseDecoder()
    case "Strip":
      let content = try node["content"].string()
      guard content.count == 1, let character = content.first else {
        throw node["content"].fail("expected one character")
      }
      let (start, stop) = (try node["start"].int(), try node["stop"].int())
      guard start >= 0, stop >= 0 else { throw node.fail("start and stop must not be negative") }
      return StripDecoder(character, start: start, stop: stop)
    case "CTC":
      return CTCDecoder(
        padToken: try node["pad_token"].optionalString() ?? "<pad>",
        wordDelimiter: try node["word_delimiter_token"].optionalString() ?? "|",
        cleanup: try node["cleanup"].bool(default: true))
    case "Sequence": return DecoderSequence(try node["decoders"].array().compactMap(decoder))
    case let other: throw node["type"].fail("unsupported decoder \(other)")
    }
  }

  /// GPT-2's tokenizer from its `vocab.json` and `merges.txt`: byte-level pre-tokenizer
  /// (no prefix space), byte-level BPE without unknown token, byte-level decoder.
  public static func gpt2(vocabulary vocabularyURL: URL, merges mergesURL: URL) throws -> Tokenizer {
    guard let vocabulary = FileManager.default.contents(atPath: vocabularyURL.path) else {
      throw TokenizerFileError(file: vocabularyURL.path, path: "", reason: "cannot be read")
    }
    guard let merges = FileManager.default.contents(atPath: mergesURL.path) else {
      throw TokenizerFileError(file: mergesURL.path, path: "", reason: "cannot be read")
    }
    return try gpt2(
      vocabulary: vocabulary, merges: merges, files: (vocabularyURL.path, mergesURL.path))
  }

  /// GPT-2's tokenizer from the bytes of its `vocab.json` and `merges.txt`; `files` names them
  /// in errors.
  public static func gpt2(
    vocabulary vocabularyData: Data, merges mergesData: Data,
    files: (vocabulary: String, merges: String) = ("vocab.json", "merges.txt")
  ) throws -> Tokenizer {
    guard let mergesText = String(data: mergesData, encoding: .utf8) else {
      throw TokenizerFileError(file: files.merges, path: "", reason: "cannot be read as UTF-8")
    }
    let parsed = try? JSONSerialization.jsonObject(with: vocabularyData)
    let vocabulary = try JSONNode(value: parsed ?? NSNull(), path: "", file: files.vocabulary).vocabulary()
    var merges: [BPEModel.Merge] = []
    for (number, line) in mergesText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.hasPrefix("#version") || line.isEmpty { continue }
      let parts = line.split(separator: " ")
      guard parts.count == 2 else {
        throw TokenizerFileError(
          file: files.merges, path: "line \(number + 1)", reason: "expected two symbols")
      }
      merges.append(BPEModel.Merge(String(parts[0]), String(parts[1])))
    }
    return Tokenizer(
      normalizer: nil, preTokenizer: ByteLevel(),
      model: BPEModel(vocabulary: vocabulary, merges: merges, endOfWord: .none, unknownToken: nil),
      decoder: ByteLevelDecoder())
  }
}

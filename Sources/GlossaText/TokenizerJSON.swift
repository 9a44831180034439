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
  /// An id or a length: an integer from 0 to 2³² − 1 (HuggingFace keeps them in 32 bits).
  func id() throws -> Int {
    guard let n = value as? NSNumber, n.doubleValue == n.doubleValue.rounded(),
      (0...Double(UInt32.max)).contains(n.doubleValue)
    else { throw fail("expected an integer from 0 to \(UInt32.max)") }
    return n.intValue
  }
  /// One of an enumeration's raw names (HuggingFace's `"LongestFirst"`, `"Left"`, …), or
  /// `fallback` when absent.
  func named<T: RawRepresentable & CaseIterable>(default fallback: T) throws -> T where T.RawValue == String {
    if isNull { return fallback }
    let name = try string()
    guard let value = T(rawValue: name) else {
      throw fail("unknown value \(name) (expected \(T.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return value
  }
  /// A token that must be in `vocabulary` (a model's unknown token).
  func token(in vocabulary: [String: Int]) throws -> String {
    let token = try string()
    guard vocabulary[token] != nil else { throw fail("\(token) is not in the vocabulary") }
    return token
  }
  /// A BPE merge of `left` and `right`, each in `vocabulary` and so their merged symbol: with a
  /// continuing-subword prefix, the right one starts with it and the merged symbol drops it
  /// (`a` + `##b` → `ab`), as HuggingFace builds it.
  func merge(_ left: String, _ right: String, prefix: String?, in vocabulary: [String: Int]) throws
    -> BPEModel.Merge
  {
    var result = left + right
    if let prefix, !prefix.isEmpty {
      guard right.utf8.starts(with: prefix.utf8) else {
        throw fail("\(right) does not start with the continuing-subword prefix \(prefix)")
      }
      result = left + String(decoding: right.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }
    for symbol in [left, right, result] where vocabulary[symbol] == nil {
      throw fail("\(symbol) is not in the vocabulary")
    }
    return BPEModel.Merge(left, right, result: result)
  }
  func array() throws -> [JSONNode] {
    guard let items = value as? [Any] else { throw fail("expected an array") }
    return items.enumerated().map { JSONNode(value: $0.element, path: "\(path)[\($0.offset)]", file: file) }
  }
  func vocabulary() throws -> [String: Int] {
    guard let object = value as? [String: Any] else { throw fail("expected an object of token → id") }
    var result: [String: Int] = [:]
    var tokens: [Int: String] = [:]
    // In token order, so that the error names the same token whatever order the file has.
    for (token, id) in object.sorted(by: { $0.key < $1.key }) {
      // Ids are stored in 32 bits.
      guard let n = id as? NSNumber, n.doubleValue == Double(n.intValue),
        (0..<Int(Int32.max)).contains(n.intValue)
      else { throw self[token].fail("expected an integer id from 0 to \(Int32.max - 1)") }
      // HuggingFace keeps one of the two, whichever its hash map gives: certainly broken.
      if let other = tokens.updateValue(token, forKey: n.intValue) {
        throw self[token].fail("id \(n.intValue) is also \(other)'s")
      }
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
    if !root["version"].isNull, try root["version"].string() != "1.0" {
      throw root["version"].fail("unknown tokenizer.json version (expected 1.0)")
    }
    let model = try Self.model(root["model"], exactScores: UnigramScores.read(data))
    let added = try Self.addedTokens(root["added_tokens"], model: model)
    self.init(
      normalizer: try Self.normalizer(root["normalizer"]),
      preTokenizer: try Self.preTokenizer(root["pre_tokenizer"]), model: model,
      decoder: try Self.decoder(root["decoder"]) ?? SpaceJoinDecoder(),
      specialTokenIDs: Set(added.filter(\.token.isSpecial).map(\.id)))
    setAddedTokens(added)
    postProcessor = try Self.postProcessor(root["post_processor"])
    truncation = try Self.truncation(root["truncation"])
    padding = try Self.padding(root["padding"])
  }

  /// A `post_processor`: `BertProcessing`, `RobertaProcessing`, `TemplateProcessing`,
  /// `ByteLevel` or a `Sequence` of them.
  static func postProcessor(_ node: JSONNode) throws -> (any PostProcessor)? {
    if node.isNull { return nil }
    func tokenAndID(_ pair: JSONNode) throws -> (token: String, id: Int) {
      let items = try pair.array()
      guard items.count == 2 else { throw pair.fail("expected [token, id]") }
      return (try items[0].string(), try items[1].id())
    }
    func trimming() throws -> OffsetTrimming {
      OffsetTrimming(
        try node["trim_offsets"].bool(default: true),
        keepsPrefixSpace: try node["add_prefix_space"].bool(default: true))
    }
    switch try node.type() {
    case "BertProcessing":
      return BertProcessing(
        classification: try tokenAndID(node["cls"]), separator: try tokenAndID(node["sep"]))
    case "RobertaProcessing":
      return RobertaProcessing(
        classification: try tokenAndID(node["cls"]), separator: try tokenAndID(node["sep"]),
        offsets: try trimming())
    case "TemplateProcessing":
      func template(_ list: JSONNode) throws -> [TemplateProcessing.Piece] {
        try list.array().map { piece in
          if !piece["Sequence"].isNull {
            let name = try piece["Sequence"]["id"].string()
            guard name == "A" || name == "B" else { throw piece["Sequence"]["id"].fail("expected A or B") }
            return .text(name == "A" ? 0 : 1, typeID: try piece["Sequence"]["type_id"].id())
          }
          guard !piece["SpecialToken"].isNull else {
            throw piece.fail("expected a Sequence or a SpecialToken")
          }
          return .special(
            try piece["SpecialToken"]["id"].string(), typeID: try piece["SpecialToken"]["type_id"].id())
        }
      }
      var specialTokens: [String: [(token: String, id: Int)]] = [:]
      if !node["special_tokens"].isNull {
        guard let names = node["special_tokens"].value as? [String: Any] else {
          throw node["special_tokens"].fail("expected an object of special tokens by name")
        }
        for name in names.keys.sorted() {
          let entry = node["special_tokens"][name]
          let (ids, tokens) = (try entry["ids"].array(), try entry["tokens"].array())
          guard ids.count == tokens.count else { throw entry.fail("ids and tokens must be as many") }
          specialTokens[name] = try zip(tokens, ids).map { (try $0.string(), try $1.id()) }
        }
      }
      let pair =
        node["pair"].isNull ? [.text(0, typeID: 0), .text(1, typeID: 1)] : try template(node["pair"])
      do {
        return try TemplateProcessing(
          single: try template(node["single"]), pair: pair, specialTokens: specialTokens)
      } catch let error as TemplateProcessing.TemplateError {
        throw node.fail(error.description)
      }
    case "ByteLevel": return ByteLevelPostProcessor(try trimming())
    case "Sequence": return PostProcessorSequence(try node["processors"].array().compactMap(postProcessor))
    case let other: throw node["type"].fail("unsupported post-processor \(other)")
    }
  }

  /// The `truncation` settings.
  static func truncation(_ node: JSONNode) throws -> Truncation? {
    if node.isNull { return nil }
    return Truncation(
      maximumLength: try node["max_length"].id(),
      strategy: try node["strategy"].named(default: .longestFirst),
      stride: node["stride"].isNull ? 0 : try node["stride"].id(),
      side: try node["direction"].named(default: .right))
  }

  /// The `padding` settings.
  static func padding(_ node: JSONNode) throws -> Padding? {
    if node.isNull { return nil }
    let strategy = node["strategy"]
    let length: Padding.Length
    if (strategy.value as? String) == "BatchLongest" {
      length = .longest
    } else if !strategy["Fixed"].isNull {
      length = .fixed(try strategy["Fixed"].id())
    } else {
      throw strategy.fail("expected \"BatchLongest\" or {\"Fixed\": length}")
    }
    return Padding(
      length, token: try node["pad_token"].optionalString() ?? "[PAD]",
      id: node["pad_id"].isNull ? 0 : try node["pad_id"].id(),
      typeID: node["pad_type_id"].isNull ? 0 : try node["pad_type_id"].id(),
      side: try node["direction"].named(default: .right),
      multiple: node["pad_to_multiple_of"].isNull ? nil : try node["pad_to_multiple_of"].id())
  }

  /// The `added_tokens`, each with its id. An id must be its content's id in the model's
  /// vocabulary, if the vocabulary has it, and no other vocabulary token's; no two added
  /// tokens share an id.
  static func addedTokens(_ node: JSONNode, model: any TokenizerModel) throws -> [(
    token: AddedToken, id: Int
  )] {
    if node.isNull { return [] }
    var result: [(token: AddedToken, id: Int)] = []
    var byID: [Int: String] = [:]
    for entry in try node.array() {
      let (content, id) = (try entry["content"].string(), try entry["id"].id())
      if let known = model.id(of: content), known != id {
        throw entry["id"].fail("\(content) is id \(known) in the model's vocabulary, not \(id)")
      }
      if let other = model.token(for: id), other != content {
        throw entry["id"].fail("id \(id) of \(content) is the vocabulary's \(other)")
      }
      if let other = byID[id], other != content {
        throw entry["id"].fail("id \(id) is given to both \(other) and \(content)")
      }
      byID[id] = content
      let special = try entry["special"].bool(default: false)
      result.append(
        (
          AddedToken(
            content, special: special, singleWord: try entry["single_word"].bool(default: false),
            stripsLeft: try entry["lstrip"].bool(default: false),
            stripsRight: try entry["rstrip"].bool(default: false),
            normalized: try entry["normalized"].bool(default: true)), id
        ))
    }
    return result
  }

  /// A `Replace` component: its pattern (`{"String": s}`, never empty, or `{"Regex": r}`) and
  /// its content, made by `string` or `regularExpression`.
  static func replacement<T>(
    _ node: JSONNode, string: (String, String) -> T, regularExpression: (String, String) throws -> T
  ) throws -> T {
    let (pattern, content) = (node["pattern"], try node["content"].string())
    if !pattern["Regex"].isNull {
      let text = try pattern["Regex"].string()
      do {
        return try regularExpression(text, content)
      } catch {
        throw pattern["Regex"].fail("the regular expression does not compile: \(error)")
      }
    }
    let text = try pattern["String"].string()
    guard !text.isEmpty else { throw pattern["String"].fail("an empty pattern") }
    return string(text, content)
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
    case "Precompiled":
      let field = node["precompiled_charsmap"]
      guard let charsmap = Data(base64Encoded: try field.string()) else {
        throw field.fail("expected base64")
      }
      do { return try PrecompiledNormalizer(charsmap: Array(charsmap)) } catch {
        throw field.fail("\(error)")
      }
    case "Replace":
      return try replacement(node, string: { Replace($0, with: $1) }) {
        try Replace(regularExpression: $0, with: $1)
      }
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

  /// A `Metaspace` object's replacement (one character, required) and prepend scheme, read as
  /// HuggingFace reads them for the pre-tokenizer and the decoder alike: the older
  /// `add_prefix_space: false` stands only beside `prepend_scheme: never` (HF refuses it
  /// alone, the scheme's default being always).
  static func metaspace(_ node: JSONNode) throws -> (Unicode.Scalar, MetaspacePrependScheme) {
    let replacement = try node["replacement"].string()
    guard let scalar = replacement.unicodeScalars.first, replacement.unicodeScalars.count == 1 else {
      throw node["replacement"].fail("expected one character")
    }
    var scheme = try node["prepend_scheme"].named(default: MetaspacePrependScheme.always)
    if try !node["add_prefix_space"].bool(default: true) {
      guard scheme == .never else {
        throw node["add_prefix_space"].fail("add_prefix_space false contradicts prepend_scheme \(scheme)")
      }
      scheme = .never
    }
    return (scalar, scheme)
  }

  static func preTokenizer(_ node: JSONNode) throws -> (any PreTokenizer)? {
    if node.isNull { return nil }
    switch try node.type() {
    case "Whitespace": return WhitespacePreTokenizer()
    case "WhitespaceSplit": return WhitespaceSplit()
    case "BertPreTokenizer": return BertPreTokenizer()
    case "UnicodeScripts": return UnicodeScripts()
    case "Metaspace":
      let (replacement, scheme) = try metaspace(node)
      return Metaspace(
        replacement: replacement, prependScheme: scheme, splits: try node["split"].bool(default: true))
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

  /// The `model`; a Unigram model's scores are taken from `exactScores` when given.
  static func model(_ node: JSONNode, exactScores: [Double]? = nil) throws -> any TokenizerModel {
    if node.isNull { throw node.fail("a tokenizer needs a model") }
    switch try node.type() {
    case "WordLevel":
      let vocabulary = try node["vocab"].vocabulary()
      return WordLevelModel(vocabulary: vocabulary, unknownToken: try node["unk_token"].token(in: vocabulary))
    case "WordPiece":
      let vocabulary = try node["vocab"].vocabulary()
      return WordPieceModel(
        vocabulary: vocabulary, unknownToken: try node["unk_token"].token(in: vocabulary),
        continuingPrefix: try node["continuing_subword_prefix"].optionalString() ?? "##",
        maximumCharacters: node["max_input_chars_per_word"].isNull
          ? 100 : try node["max_input_chars_per_word"].int())
    case "BPE":
      let vocabulary = try node["vocab"].vocabulary()
      let prefix = try node["continuing_subword_prefix"].optionalString()
      let merges = try node["merges"].array().map { item -> BPEModel.Merge in
        if let pair = item.value as? [String], pair.count == 2 {
          return try item.merge(pair[0], pair[1], prefix: prefix, in: vocabulary)
        }
        let parts = try item.string().split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw item.fail("expected a merge \"left right\" or [left, right]") }
        return try item.merge(String(parts[0]), String(parts[1]), prefix: prefix, in: vocabulary)
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
        vocabulary: vocabulary, merges: merges, endOfWord: endOfWord,
        unknownToken: node["unk_token"].isNull ? nil : try node["unk_token"].token(in: vocabulary),
        continuingPrefix: prefix, byteFallback: try node["byte_fallback"].bool(default: false),
        fusesUnknown: try node["fuse_unk"].bool(default: false),
        ignoresMerges: try node["ignore_merges"].bool(default: false))
    case "Unigram":
      var pieces = try node["vocab"].array().map { item -> (String, Double) in
        let pair = try item.array()
        guard pair.count == 2, let score = (pair[1].value as? NSNumber)?.doubleValue else {
          throw item.fail("expected [piece, score]")
        }
        return (try pair[0].string(), score)
      }
      if let exactScores, exactScores.count == pieces.count {
        for i in pieces.indices { pieces[i].1 = exactScores[i] }
      }
      let unknownID = node["unk_id"].isNull ? 0 : try node["unk_id"].int()
      guard pieces.indices.contains(unknownID) || (pieces.isEmpty && node["unk_id"].isNull) else {
        throw node["unk_id"].fail("id \(unknownID) is not in the vocabulary of \(pieces.count) pieces")
      }
      return UnigramModel(
        pieces: pieces, unknownID: unknownID, byteFallback: try node["byte_fallback"].bool(default: false))
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
      let (replacement, scheme) = try metaspace(node)
      return MetaspaceDecoder(replacement: String(replacement), prependScheme: scheme)
    case "ByteLevel": return ByteLevelDecoder()
    case "Replace":
      return try replacement(node, string: { ReplaceDecoder($0, with: $1) }) {
        try ReplaceDecoder(regularExpression: $0, with: $1)
      }
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
      let at = JSONNode(value: line, path: "line \(number + 1)", file: files.merges)
      merges.append(try at.merge(String(parts[0]), String(parts[1]), prefix: nil, in: vocabulary))
    }
    return Tokenizer(
      normalizer: nil, preTokenizer: ByteLevel(),
      model: BPEModel(vocabulary: vocabulary, merges: merges, endOfWord: .none, unknownToken: nil),
      decoder: ByteLevelDecoder())
  }
}

/// A Unigram tokenizer.json's scores read exactly. Foundation's `JSONSerialization` on Linux
/// reads some decimal numbers one unit in the last place away from the nearest double
/// (-7.458672640695945 one below it), and the Viterbi path between pieces of equal total
/// score (00 0 against 0 00) turns on that last bit; `JSONDecoder` reads them exactly, as
/// HuggingFace does.
private struct UnigramScores: Decodable {
  struct Model: Decodable {
    let type: String
    let vocab: [Piece]?
  }
  struct Piece: Decodable {
    let score: Double
    init(from decoder: any Decoder) throws {
      var pair = try decoder.unkeyedContainer()
      _ = try pair.decode(String.self)
      score = try pair.decode(Double.self)
    }
  }
  let model: Model

  /// The scores of `data`'s Unigram model, or nil for another model (or a file that does not
  /// decode, which the reader then explains).
  static func read(_ data: Data) -> [Double]? {
    guard data.range(of: Data(#""Unigram""#.utf8)) != nil,
      let scores = try? JSONDecoder().decode(UnigramScores.self, from: data), scores.model.type == "Unigram"
    else { return nil }
    return scores.model.vocab?.map(\.score)
  }
}

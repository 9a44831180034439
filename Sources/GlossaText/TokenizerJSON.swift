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

/// A cursor into parsed JSON that knows its path, for error messages. A field is read the way
/// HuggingFace's serde definitions read it: a required field must be there and not null
/// (`string()`, `bool()`, `int()`, `id()`, `named()`), a field with a default may be absent but
/// not null (`bool(default:)`, `named(default:)`), an optional one may be absent or null
/// (`optionalString()`, `optionalBool()`, `optionalID()`).
struct JSONNode {
  let value: Any
  let path: String
  let file: String
  /// Whether the field is absent from its object (its value is then null).
  let isMissing: Bool

  init(value: Any, path: String, file: String, isMissing: Bool = false) {
    (self.value, self.path, self.file, self.isMissing) = (value, path, file, isMissing)
  }

  func fail(_ reason: String) -> TokenizerFileError {
    TokenizerFileError(file: file, path: path, reason: reason)
  }

  /// The error for a value that is not `what`: "missing" where the field is absent.
  func expected(_ what: String) -> TokenizerFileError {
    fail(isMissing ? "missing (expected \(what))" : "expected \(what)")
  }

  subscript(key: String) -> JSONNode {
    let found = (value as? [String: Any])?[key]
    return JSONNode(
      value: found ?? NSNull(), path: path.isEmpty ? key : "\(path).\(key)", file: file,
      isMissing: found == nil)
  }
  /// Absent or null.
  var isNull: Bool { value is NSNull }
  func string() throws -> String {
    guard let s = value as? String else { throw expected("a string") }
    return s
  }
  func optionalString() throws -> String? { isNull ? nil : try string() }
  func bool() throws -> Bool {
    guard let b = value as? Bool else { throw expected("true or false") }
    return b
  }
  func bool(default fallback: Bool) throws -> Bool { isMissing ? fallback : try bool() }
  func optionalBool() throws -> Bool? { isNull ? nil : try bool() }
  func int() throws -> Int {
    guard let n = value as? NSNumber else { throw expected("an integer") }
    return n.intValue
  }
  /// An id or a length: an integer from 0 to 2³² − 1 (HuggingFace keeps them in 32 bits).
  func id() throws -> Int {
    guard let n = value as? NSNumber, n.doubleValue == n.doubleValue.rounded(),
      (0...Double(UInt32.max)).contains(n.doubleValue)
    else { throw expected("an integer from 0 to \(UInt32.max)") }
    return n.intValue
  }
  func optionalID() throws -> Int? { isNull ? nil : try id() }
  /// One of an enumeration's raw names (HuggingFace's `"LongestFirst"`, `"Left"`, …).
  func named<T: RawRepresentable & CaseIterable>(_: T.Type = T.self) throws -> T where T.RawValue == String {
    let names = T.allCases.map(\.rawValue).joined(separator: ", ")
    guard let name = value as? String else { throw expected("one of \(names)") }
    guard let value = T(rawValue: name) else { throw fail("unknown value \(name) (expected \(names))") }
    return value
  }
  /// One of an enumeration's raw names, or `fallback` when absent.
  func named<T: RawRepresentable & CaseIterable>(default fallback: T) throws -> T where T.RawValue == String {
    isMissing ? fallback : try named()
  }
  /// A token that must be in `vocabulary` (a model's unknown token).
  func token(in vocabulary: [String: Int]) throws -> String {
    let token = try string()
    guard vocabulary[token] != nil else { throw fail("\(token) is not in the vocabulary") }
    return token
  }
  func array() throws -> [JSONNode] {
    guard let items = value as? [Any] else { throw expected("an array") }
    return items.enumerated().map { JSONNode(value: $0.element, path: "\(path)[\($0.offset)]", file: file) }
  }
  func vocabulary() throws -> [String: Int] {
    guard let object = value as? [String: Any] else { throw expected("an object of token → id") }
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

  /// How HuggingFace reads a component whose `type` does not settle it (files from before
  /// components were tagged, or with a type it ignores): as the first of `readers`, in
  /// HuggingFace's order, that reads the object; nil when none does.
  func firstReading<T>(_ readers: [(JSONNode) throws -> T]) -> T? {
    for read in readers {
      if let component = try? read(self) { return component }
    }
    return nil
  }

  /// The first of `readers` that reads the object (see ``firstReading(_:)``), or the error of
  /// ``unsupported(_:)`` for `stage`.
  func untagged<T>(_ stage: String, _ readers: [(JSONNode) throws -> T]) throws -> T {
    guard let component = firstReading(readers) else { throw unsupported(stage) }
    return component
  }

  /// The error for a component whose type is none of `stage`'s and that no untagged reading
  /// takes: its type missing, not a string, or unknown.
  func unsupported(_ stage: String) -> TokenizerFileError {
    guard let name = self["type"].value as? String else { return self["type"].expected("a string") }
    return self["type"].fail("unsupported \(stage) \(name)")
  }
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
    if !root["version"].isMissing, try root["version"].string() != "1.0" {
      throw root["version"].fail("unknown tokenizer.json version (expected 1.0)")
    }
    let model = try root["model"].model(exactScores: UnigramScores.read(data))
    let added = try Self.addedTokens(root["added_tokens"], model: model)
    self.init(
      normalizer: try root["normalizer"].normalizer(), preTokenizer: try root["pre_tokenizer"].preTokenizer(),
      model: model, decoder: try root["decoder"].decoder() ?? SpaceJoinDecoder(),
      specialTokenIDs: Set(added.filter(\.token.isSpecial).map(\.id)))
    setAddedTokens(added)
    postProcessor = try root["post_processor"].postProcessor()
    truncation = try Self.truncation(root["truncation"])
    padding = try Self.padding(root["padding"])
  }

  /// The `truncation` settings (every field but the direction required, as HuggingFace
  /// requires them).
  static func truncation(_ node: JSONNode) throws -> Truncation? {
    if node.isNull { return nil }
    return Truncation(
      maximumLength: try node["max_length"].id(), strategy: try node["strategy"].named(),
      stride: try node["stride"].id(), side: try node["direction"].named(default: .right))
  }

  /// The `padding` settings (every field but the multiple required, as HuggingFace requires
  /// them).
  static func padding(_ node: JSONNode) throws -> Padding? {
    if node.isNull { return nil }
    let strategy = node["strategy"]
    let length: Padding.Length
    if (strategy.value as? String) == "BatchLongest" {
      length = .longest
    } else if !strategy["Fixed"].isNull {
      length = .fixed(try strategy["Fixed"].id())
    } else {
      throw strategy.expected("\"BatchLongest\" or {\"Fixed\": length}")
    }
    return Padding(
      length, token: try node["pad_token"].string(), id: try node["pad_id"].id(),
      typeID: try node["pad_type_id"].id(), side: try node["direction"].named(),
      multiple: try node["pad_to_multiple_of"].optionalID())
  }

  /// The `added_tokens`, each with the id HuggingFace gives it, which is not always the one the
  /// file writes: in the file's order, a token the model's vocabulary has takes the
  /// vocabulary's id, a content seen before keeps its id (the later entry's options replace the
  /// earlier's), an empty one is left out, and any other token takes the next id after the
  /// vocabulary's size and the tokens so numbered. A file HuggingFace wrote has those ids already; for one that does not (a hand-made
  /// id past the vocabulary, a content listed twice), this gives HuggingFace's encodings, which
  /// it loads with no more than a logged warning. The `id` must still be an integer, and every
  /// option must be written.
  static func addedTokens(_ node: JSONNode, model: any TokenizerModel) throws -> [(
    token: AddedToken, id: Int
  )] {
    if node.isMissing { return [] }
    var result: [(token: AddedToken, id: Int)] = []
    var position: [String: Int] = [:]
    var nextID = model.vocabularySize
    for entry in try node.array() {
      let content = try entry["content"].string()
      _ = try entry["id"].id()
      let token = AddedToken(
        content, special: try entry["special"].bool(), singleWord: try entry["single_word"].bool(),
        stripsLeft: try entry["lstrip"].bool(), stripsRight: try entry["rstrip"].bool(),
        normalized: try entry["normalized"].bool())
      if content.isEmpty { continue }
      if let seen = position[content] {
        result[seen].token = token
        continue
      }
      let id: Int
      if let known = model.id(of: content) {
        id = known
      } else {
        (id, nextID) = (nextID, nextID + 1)
      }
      position[content] = result.count
      result.append((token, id))
    }
    return result
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

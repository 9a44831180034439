import Foundation
import GlossaEmbeddings
import GlossaModels
import GlossaNN
import GlossaText

/// One thing the server serves, loaded once and shared by every request (read-only: the
/// models are switched to evaluation mode when loaded and never changed after).
public final class ServedModel: @unchecked Sendable {
  /// What was loaded.
  public enum Content {
    /// A tokenizer.json.
    case tokenizer(Tokenizer)
    /// A file of word vectors (or a Word2Vec / FastText model).
    case vectors(EmbeddingFile)
    /// A model directory.
    case model(SavedModel)
  }

  /// The name requests use: the file or folder name without its extensions.
  public let name: String
  /// The file or folder it came from.
  public let path: String
  /// The loaded content.
  public let content: Content

  init(name: String, path: String, content: Content) {
    (self.name, self.path, self.content) = (name, path, content)
    if case .model(let saved) = content { saved.module.eval() }
  }

  /// The kind of model, as `GET /v1/models` reports it.
  public var kind: String {
    switch content {
    case .tokenizer: "tokenizer"
    case .vectors: "vectors"
    case .model(.classifier): "classifier"
    case .model(.languageModel): "language-model"
    case .model(.tagger): "tagger"
    case .model(.forecaster): "forecaster"
    case .model(.translator): "translator"
    case .model(.speech): "speech"
    }
  }

  /// The endpoints that accept it.
  public var endpoints: [String] {
    var result = tokenizer == nil ? [] : ["/v1/tokenize"]
    switch content {
    case .tokenizer: break
    case .vectors: result += ["/v1/embeddings", "/v1/similar", "/v1/analogy"]
    case .model(.classifier): result += ["/v1/classify"]
    case .model(.languageModel): result += ["/v1/generate", "/v1/next"]
    case .model(.tagger): result += ["/v1/tag"]
    case .model(.forecaster): result += ["/v1/forecast"]
    case .model(.translator): result += ["/v1/translate"]
    case .model(.speech): result += ["/v1/transcribe"]
    }
    return result
  }

  /// The tokenizer that reads its input, for `/v1/tokenize`: a tokenizer.json itself, or the
  /// tokenizer of a model that reads text.
  public var tokenizer: Tokenizer? {
    switch content {
    case .tokenizer(let tokenizer): tokenizer
    case .model(.classifier(let model)): model.tokenizer
    case .model(.languageModel(let model)): model.tokenizer
    case .model(.translator(let model)): model.sourceTokenizer
    case .vectors, .model(.tagger), .model(.forecaster), .model(.speech): nil
    }
  }
}

extension SavedModel {
  /// The model as a module (to switch its mode).
  var module: any Module {
    switch self {
    case .classifier(let model): model
    case .languageModel(let model): model
    case .tagger(let model): model
    case .forecaster(let model): model
    case .translator(let model): model
    case .speech(let model): model
    }
  }
}

/// An error in the folder of models: which file, and what is wrong.
public struct ModelFolderError: Error, CustomStringConvertible {
  /// The file or folder.
  public let path: String
  /// What is wrong with it.
  public let message: String
  public var description: String { "\(path): \(message)" }
}

/// Every model under a folder, by name.
public struct ServedModels: Sendable {
  /// The models, by name.
  public let byName: [String: ServedModel]

  /// The names, sorted.
  public var names: [String] { byName.keys.sorted() }

  /// The model of that name.
  public subscript(name: String) -> ServedModel? { byName[name] }

  /// Models given directly (for a server built in code).
  public init(_ models: [ServedModel]) {
    byName = Dictionary(models.map { ($0.name, $0) }) { first, _ in first }
  }

  /// Loads what `folder` holds at its top level: each sub-folder with a `config.json` (a
  /// model directory), each `*.tokenizer.json` or `tokenizer.json` file, and each vector
  /// file (`.vec`, `.txt`, `.bin`, `.safetensors`). Each is named by its file name without
  /// extensions (`bpe.tokenizer.json` → `bpe`, `sentiment/` → `sentiment`). Other files are
  /// skipped; a file that fails to load, or two that would have the same name, is an error
  /// naming the file.
  public init(folder: URL, log: (String) -> Void = { _ in }) throws {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
      throw ModelFolderError(path: folder.path, message: "not a folder")
    }
    var models: [String: ServedModel] = [:]
    for entry in try manager.contentsOfDirectory(atPath: folder.path).sorted() where !entry.hasPrefix(".") {
      let url = folder.appendingPathComponent(entry)
      guard let (name, load) = Self.loader(for: url, entry: entry) else { continue }
      if let other = models[name] {
        throw ModelFolderError(path: url.path, message: "its name '\(name)' is already that of \(other.path)")
      }
      do {
        models[name] = ServedModel(name: name, path: url.path, content: try load())
      } catch {
        throw ModelFolderError(path: url.path, message: "cannot be loaded: \(error)")
      }
      log("loaded \(name) (\(models[name]!.kind)) from \(url.path)")
    }
    byName = models
  }

  /// The name and the loader of the entry at `url`, or nil when it is not a model.
  private static func loader(for url: URL, entry: String) -> (String, () throws -> ServedModel.Content)? {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return nil }
    if isFolder.boolValue {
      guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
        return nil
      }
      return (entry, { .model(try SavedModel(contentsOf: url)) })
    }
    let stem = String(entry.prefix { $0 != "." })
    if entry.hasSuffix(".json") {
      guard entry == "tokenizer.json" || entry.hasSuffix(".tokenizer.json") else { return nil }
      return (stem, { .tokenizer(try Tokenizer(contentsOf: url)) })
    }
    let vectorExtensions = [".vec", ".txt", ".bin", ".safetensors"]
    guard vectorExtensions.contains(where: entry.hasSuffix), !stem.isEmpty else { return nil }
    return (stem, { .vectors(try EmbeddingFile(contentsOf: url)) })
  }
}

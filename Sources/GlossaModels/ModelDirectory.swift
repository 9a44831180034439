import Foundation
import GlossaNN
import GlossaTensor
import GlossaText

/// Glossa's version, as saved models record it.
public let glossaVersion = "0.1.0"

/// A saved model is a directory: `config.json` (the task, the architecture and its sizes, the
/// labels, the Glossa version and the format's version), `tokenizer.json` (HuggingFace's
/// format) and `model.safetensors` (the weights, with PyTorch's parameter names). It is written
/// to a temporary directory renamed into place, and every file is checked when it is read: a
/// missing file, a config that does not match the weights (a name, a shape, a dtype) or a newer
/// format is an error naming the file and the field.
public enum ModelDirectory {
  /// The format this Glossa writes and the newest it reads.
  public static let format = 1

  /// What every `config.json` starts with.
  public struct Header: Codable, Sendable, Equatable {
    /// The task (`text-classification`, `language-model`, …).
    public var task: String
    /// The directory format's version.
    public var format: Int
    /// The Glossa that wrote it.
    public var glossaVersion: String

    enum CodingKeys: String, CodingKey {
      case task, format
      case glossaVersion = "glossa_version"
    }
  }

  /// Writes a model directory: `configuration` as `config.json`, the tokenizer's file and the
  /// model's weights, each through a temporary file renamed into place (anything else in the
  /// directory, such as a checkpoint, stays). The weights go last: a run that saves its best
  /// model each epoch changes only them, so a crash leaves either the old weights or the new.
  public static func write(
    configuration: some Encodable, tokenizer: Data, model: any Module, to directory: URL
  ) throws {
    try write(
      configuration: configuration, tokenizers: [("tokenizer.json", tokenizer)], model: model, to: directory)
  }

  /// Writes a model directory whose model has several tokenizer files (a translation model's
  /// source and target), each under its name.
  public static func write(
    configuration: some Encodable, tokenizers: [(name: String, data: Data)], model: any Module,
    to directory: URL
  ) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try encoder.encode(configuration).write(
      to: directory.appendingPathComponent("config.json"), options: .atomic)
    for (name, data) in tokenizers {
      try data.write(to: directory.appendingPathComponent(name), options: .atomic)
    }
    try SafeTensors(stateDict: model.stateDict(), metadata: ["format": "pt"]).write(
      to: directory.appendingPathComponent("model.safetensors"))
  }

  /// A model's `config.json`: the header's fields, and the architecture under `model`.
  struct SavedConfiguration<Model: Codable>: Codable {
    var task: String
    var format: Int
    var glossaVersion: String
    var model: Model

    /// The configuration of a model of `task` written by this Glossa.
    init(task: String, model: Model) {
      (self.task, format, glossaVersion, self.model) = (
        task, ModelDirectory.format, GlossaModels.glossaVersion, model
      )
    }

    enum CodingKeys: String, CodingKey {
      case task, format, model
      case glossaVersion = "glossa_version"
    }
  }

  /// The architecture a model of `task` saved in `directory`: the header checked (the task, and
  /// a format no newer than this Glossa reads), then the configuration under `model`.
  static func architecture<Model: Codable>(_ type: Model.Type, task: String, in directory: URL) throws
    -> Model
  {
    let header = try header(of: directory)
    guard header.task == task else {
      throw ModelFileError(
        file: directory.appendingPathComponent("config.json").path, field: "task",
        message: "'\(header.task)', expected '\(task)'")
    }
    return try configuration(SavedConfiguration<Model>.self, in: directory).model
  }

  /// The header of the `config.json` in `directory`, checked: the format must not be newer
  /// than this Glossa reads.
  public static func header(of directory: URL) throws -> Header {
    let header = try configuration(Header.self, in: directory)
    guard header.format <= format else {
      throw ModelFileError(
        file: directory.appendingPathComponent("config.json").path, field: "format",
        message:
          "format \(header.format) (Glossa \(header.glossaVersion)) is newer than this Glossa reads (\(format))"
      )
    }
    return header
  }

  /// The `config.json` of `directory` decoded as `type`; an error names the file and the key.
  public static func configuration<C: Decodable>(_ type: C.Type, in directory: URL) throws -> C {
    let url = try file("config.json", in: directory)
    let data = try Data(contentsOf: url)
    do {
      return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
      if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
        let (offset, problem) = jsonSyntaxError(in: data)
      {
        throw ModelFileError(file: url.path, field: "byte \(offset)", message: "not valid JSON (\(problem))")
      }
      let (path, message) = describe(error)
      throw ModelFileError(file: url.path, field: path.isEmpty ? nil : path, message: message)
    } catch {
      throw ModelFileError(file: url.path, message: "not valid JSON")
    }
  }

  /// `error` (from building a model of a directory's configuration, which names its files
  /// bare: `config.json`, `tokenizer.json`) naming the files in `directory`.
  static func located(_ error: any Error, in directory: URL) -> any Error {
    func path(_ file: String) -> String {
      file.contains("/") ? file : directory.appendingPathComponent(file).path
    }
    switch error {
    case let error as ModelFileError:
      return ModelFileError(file: path(error.file), field: error.field, message: error.message)
    case let error as TokenizerFileError:
      return TokenizerFileError(file: path(error.file), path: error.path, reason: error.reason)
    default: return error
    }
  }

  /// A size a configuration gives, as its weights must have it: `value` is the length of axis
  /// `axis` of `tensor`, or, without an axis, `tensor` must be there (the last of `layers`).
  struct ExpectedSize {
    let field: String, value: Int, tensor: String, axis: Int?
  }

  /// Checks a configuration against the shapes in `model.safetensors` before its model is
  /// built: a config.json may ask for any size, and building the model would reserve the
  /// memory it asks for. Every size must be positive and be what the weights have, and
  /// `dropout` a probability; an error names config.json and the field.
  static func check(_ sizes: [ExpectedSize], dropout: Float? = nil, in directory: URL) throws {
    let config = directory.appendingPathComponent("config.json").path
    if let dropout, !(dropout >= 0 && dropout < 1) {
      throw ModelFileError(
        file: config, field: "model.dropout", message: "\(dropout), expected a value in [0, 1)")
    }
    let weights = try SafeTensors(contentsOf: try file("model.safetensors", in: directory))
    for size in sizes {
      func fail(_ message: String) -> ModelFileError {
        ModelFileError(file: config, field: "model.\(size.field)", message: "\(size.value), " + message)
      }
      guard size.value > 0 else { throw fail("expected a positive number") }
      guard let shape = weights.entries[size.tensor]?.shape else {
        throw fail("but model.safetensors has no \(size.tensor)")
      }
      if let axis = size.axis, !(axis < shape.count && shape[axis] == size.value) {
        throw fail("but \(size.tensor) in model.safetensors is \(shape)")
      }
    }
  }

  /// The sizes of a recurrent network named `name` that a configuration gives: the hidden
  /// units (the recurrent weights' second axis), the input size when given, and the layers.
  static func recurrentSizes(
    _ name: String, hidden: (field: String, value: Int), input: (field: String, value: Int)? = nil,
    layers: (field: String, value: Int)? = nil
  ) -> [ExpectedSize] {
    var sizes = [
      ExpectedSize(field: hidden.field, value: hidden.value, tensor: "\(name).weight_hh_l0", axis: 1)
    ]
    if let input {
      sizes.append(
        ExpectedSize(field: input.field, value: input.value, tensor: "\(name).weight_ih_l0", axis: 1))
    }
    if let layers {
      sizes.append(
        ExpectedSize(
          field: layers.field, value: layers.value, tensor: "\(name).weight_hh_l\(max(layers.value - 1, 0))",
          axis: nil))
    }
    return sizes
  }

  /// Loads the weights of `directory` into `model`, which the configuration built: every
  /// tensor the model has must be there, as 32-bit floats of its shape, and nothing else.
  public static func loadWeights(into model: any Module, from directory: URL) throws {
    let url = try file("model.safetensors", in: directory)
    let file = try SafeTensors(contentsOf: url)
    let own = model.namedTensors()
    let names = Set(own.map(\.name))
    if let extra = file.entries.keys.sorted().first(where: { !names.contains($0) }) {
      throw ModelFileError(
        file: url.path, field: extra, message: "a tensor the configuration's model does not have")
    }
    var state: [String: Tensor] = [:]
    for (name, tensor) in own {
      guard let entry = file.entries[name] else {
        throw ModelFileError(
          file: url.path, field: name, message: "missing: the configuration's model needs it")
      }
      guard entry.dtype == .F32 else {
        throw ModelFileError(
          file: url.path, field: name, message: "dtype \(entry.dtype.rawValue), expected F32")
      }
      guard entry.shape == tensor.shape else {
        throw ModelFileError(
          file: url.path, field: name,
          message: "shape \(entry.shape), the configuration gives \(tensor.shape)")
      }
      state[name] = try file.tensor(name)
    }
    try model.loadStateDict(state)
  }

  /// `name` in `directory`, which must exist.
  static func file(_ name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
      throw ModelFileError(
        file: url.path,
        message: exists && isDirectory.boolValue
          ? "missing from the model directory" : "no model directory here")
    }
    return url
  }

  private static func describe(_ error: DecodingError) -> (String, String) {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context): return (path(context.codingPath + [key]), "missing")
    case .typeMismatch(let type, let context): return (path(context.codingPath), "expected \(type)")
    case .valueNotFound(let type, let context):
      return (path(context.codingPath), "expected \(type), found null")
    case .dataCorrupted(let context): return (path(context.codingPath), context.debugDescription)
    @unknown default: return ("", "cannot be decoded")
    }
  }
}

import GlossaTensor

/// Why a state dict could not be loaded into a module.
public enum StateDictError: Error, Equatable, CustomStringConvertible {
  /// Names the module has and the state dict lacks.
  case missing([String])
  /// Names the state dict has and the module lacks.
  case unexpected([String])
  /// A tensor whose shape differs from the module's.
  case shapeMismatch(name: String, expected: [Int], actual: [Int])

  public var description: String {
    switch self {
    case .missing(let names): "state dict lacks \(names.joined(separator: ", "))"
    case .unexpected(let names): "state dict has unexpected \(names.joined(separator: ", "))"
    case .shapeMismatch(let name, let expected, let actual):
      "state dict entry \(name) has shape \(actual), the module expects \(expected)"
    }
  }
}

extension Module {
  /// The module's tensors by name, as `torch.nn.Module.state_dict()` (the tensors
  /// themselves, not copies).
  public func stateDict() -> [String: Tensor] {
    Dictionary(namedTensors().map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
  }

  /// Copies the values of `state` into the module's tensors, checking every name and
  /// shape first, so a failed load leaves the module unchanged. With `strict`, names
  /// missing from either side are an error.
  public func loadStateDict(_ state: [String: Tensor], strict: Bool = true) throws {
    let own = namedTensors()
    if strict {
      let missing = own.map(\.name).filter { state[$0] == nil }
      if !missing.isEmpty { throw StateDictError.missing(missing) }
      let names = Set(own.map(\.name))
      let unexpected = state.keys.filter { !names.contains($0) }.sorted()
      if !unexpected.isEmpty { throw StateDictError.unexpected(unexpected) }
    }
    for (name, tensor) in own {
      if let source = state[name], source.shape != tensor.shape {
        throw StateDictError.shapeMismatch(name: name, expected: tensor.shape, actual: source.shape)
      }
    }
    for (name, tensor) in own {
      if let source = state[name] { tensor.assign(source) }
    }
  }
}

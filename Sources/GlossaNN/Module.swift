import GlossaTensor

/// A building block of a network that owns named tensors and sub-modules, like
/// `torch.nn.Module`.
///
/// Parameters are found from the module's stored properties: a `Tensor` property is a
/// parameter when it requires gradients (otherwise a buffer, saved but not trained), a
/// `Module` property is a sub-module whose names get the property's name as a prefix, and
/// an array of modules numbers its elements. So a two-layer network with properties `l1`
/// and `l2` has the state dict `l1.weight`, `l1.bias`, `l2.weight`, `l2.bias`, exactly
/// the names PyTorch gives the same network.
public protocol Module: AnyObject {
  /// The named tensors and sub-modules directly inside this module. The default reads the
  /// stored properties; a container (``Sequential``) lists its layers as `"0"`, `"1"`, ….
  var children: [(name: String, value: Any)] { get }
}

/// A module that maps one tensor to another, so it can be chained in a ``Sequential``.
public protocol Layer: Module {
  /// The forward pass.
  func callAsFunction(_ input: Tensor) -> Tensor
}

/// A module that draws random numbers while training (``Dropout``): reseeding it makes what
/// it draws next depend on the seed alone, so that a trainer can make every step's draws a
/// function of the step (a resumed run then draws what an uninterrupted one draws).
public protocol Stochastic: Module {
  /// Restarts the module's random numbers from `seed`.
  func reseed(_ seed: UInt64)
}

/// A module whose behaviour differs between training and evaluation (``Dropout``).
public protocol ModeDependent: Module {
  /// True while training, false in evaluation.
  var isTraining: Bool { get set }
}

extension Module {
  public var children: [(name: String, value: Any)] {
    Mirror(reflecting: self).children.compactMap { child in
      child.label.map { (name: $0, value: child.value) }
    }
  }

  /// Every tensor of this module and its sub-modules (parameters and buffers) with its
  /// dotted name, in declaration order: the state dict.
  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    var result: [(String, Tensor)] = []
    visit(prefix: "") { name, value in
      if let tensor = value as? Tensor { result.append((name, tensor)) }
    }
    return result
  }

  /// The trainable parameters (tensors that require gradients) with their names.
  public func namedParameters() -> [(name: String, tensor: Tensor)] {
    namedTensors().filter { $0.tensor.requiresGrad }
  }

  /// The trainable parameters, for an optimizer.
  public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

  /// Makes every tensor of this module a view of the same-named tensor of `original` (a
  /// module of the same architecture): a replica for data parallelism, which computes
  /// gradients of its own on another thread over the parameters the optimizer updates.
  public func shareTensors(of original: some Module) {
    let originals = Dictionary(original.namedTensors().map { ($0.name, $0.tensor) }) { first, _ in first }
    for (name, tensor) in namedTensors() {
      guard let source = originals[name], source.shape == tensor.shape else {
        preconditionFailure("shareTensors: the original has no tensor \(name) of shape \(tensor.shape)")
      }
      tensor.shareStorage(of: source)
    }
  }

  /// This module and every sub-module, depth first.
  public func modules() -> [any Module] {
    var result: [any Module] = [self]
    visit(prefix: "") { _, value in
      if let module = value as? any Module { result.append(module) }
    }
    return result
  }

  /// Switches this module and its sub-modules to training mode (`true`) or evaluation mode.
  public func train(_ training: Bool = true) {
    // Only a change is written, so that threads sharing a model in evaluation mode only read.
    for case let module as any ModeDependent in modules() where module.isTraining != training {
      module.isTraining = training
    }
  }

  /// Switches to evaluation mode: dropout passes its input through.
  public func eval() { train(false) }

  /// Reseeds every ``Stochastic`` module inside this one, each from `seed` and its place.
  public func reseed(_ seed: UInt64) {
    for (k, module) in modules().enumerated() {
      (module as? any Stochastic)?.reseed(seed &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
    }
  }

  /// Clears the gradients of every parameter.
  public func zeroGrad() { for p in parameters() { p.zeroGrad() } }

  private func visit(prefix: String, _ body: (String, Any) -> Void) {
    for (name, value) in children {
      let fullName = prefix + name
      if let tensor = value as? Tensor {
        body(fullName, tensor)
      } else if let module = value as? any Module {
        body(fullName, module)
        module.visit(prefix: fullName + ".", body)
      } else if let modules = value as? [any Module] {
        for (i, module) in modules.enumerated() {
          body("\(fullName).\(i)", module)
          module.visit(prefix: "\(fullName).\(i).", body)
        }
      }
    }
  }
}

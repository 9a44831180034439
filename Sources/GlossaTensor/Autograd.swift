/// One recorded operation of the autodiff tape: which tensors went in, and how to turn
/// the gradient of the output into gradients of the inputs (the chain rule, locally).
public final class GradientFunction {
  /// The operation's name, for error messages and graph printouts.
  public let name: String
  /// The tensors the operation read.
  public let inputs: [Tensor]
  /// Maps ∂loss/∂output to ∂loss/∂input for each input (nil where no gradient is needed).
  let backward: (Tensor) -> [Tensor?]

  init(name: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
    self.name = name
    self.inputs = inputs
    self.backward = backward
  }
}

/// Whether operations are recorded for backpropagation on this task (see ``withoutGradients(_:)``).
public enum GradientMode {
  @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording operations for backpropagation, like `torch.no_grad()`:
/// inference and parameter updates.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
  try GradientMode.$isEnabled.withValue(false, operation: body)
}

extension Tensor {
  /// Records `output` as computed from `inputs` by an operation named `name`, when
  /// gradients are enabled and some input requires them. `backward` receives ∂loss/∂output
  /// and returns ∂loss/∂input for each input, in order.
  ///
  /// Every differentiable operation calls this; a fused kernel (an LSTM layer, a loss)
  /// calls it once with its hand-written backward pass.
  @discardableResult
  public static func record(
    _ output: Tensor, op name: String, inputs: [Tensor],
    backward: @escaping (Tensor) -> [Tensor?]
  ) -> Tensor {
    guard GradientMode.isEnabled, inputs.contains(where: \.requiresGrad) else { return output }
    output.requiresGrad = true
    output.gradientFunction = GradientFunction(name: name, inputs: inputs, backward: backward)
    return output
  }

  /// Backpropagation: computes ∂self/∂leaf for every leaf tensor that requires gradients
  /// and adds it to the leaf's ``grad``. `self` must be a scalar unless `gradient`
  /// (∂loss/∂self) is given.
  public func backward(_ gradient: Tensor? = nil) {
    require(requiresGrad, "backward: the tensor does not require gradients")
    let seed = gradient ?? Tensor.full(1, shape: shape)
    require(
      gradient != nil || count == 1,
      "backward: the tensor has shape \(shape); pass its gradient or call it on a scalar")
    require(seed.shape == shape, "backward: gradient shape \(seed.shape) is not \(shape)")
    var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
    withoutGradients {
      for tensor in topologicalOrder() {
        guard var outputGradient = pending.removeValue(forKey: ObjectIdentifier(tensor)) else {
          continue
        }
        guard let function = tensor.gradientFunction else {
          tensor.accumulateGradient(&outputGradient)
          continue
        }
        let inputGradients = function.backward(outputGradient)
        for (input, inputGradient) in zip(function.inputs, inputGradients) {
          guard input.requiresGrad, let inputGradient else { continue }
          let key = ObjectIdentifier(input)
          if var existing = pending.removeValue(forKey: key) {
            // A tensor used several times (a decoder's weights at every step) sums its
            // gradients: in place when no other tensor can see the running sum's memory.
            if existing.shape == inputGradient.shape && isKnownUniquelyReferenced(&existing)
              && existing.hasUniqueStorage
            {
              BLAS.axpy(
                count: existing.count, alpha: 1, x: inputGradient.baseAddress, y: existing.baseAddress)
              withExtendedLifetime(inputGradient) {}
              pending[key] = existing
            } else {
              pending[key] = existing + inputGradient
            }
          } else {
            pending[key] = inputGradient
          }
        }
      }
    }
  }

  /// Tensors reachable from `self` through recorded operations, outputs before inputs.
  private func topologicalOrder() -> [Tensor] {
    var order: [Tensor] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(Tensor, Bool)] = [(self, false)]
    while let (tensor, inputsDone) = stack.popLast() {
      if inputsDone {
        order.append(tensor)
        continue
      }
      guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
      stack.append((tensor, true))
      for input in tensor.gradientFunction?.inputs ?? [] where input.requiresGrad {
        if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
      }
    }
    return order.reversed()
  }

  /// Adds `gradient` to ``grad``. The first gradient is adopted without a copy when no
  /// other tensor can see its memory.
  private func accumulateGradient(_ gradient: inout Tensor) {
    if let grad {
      require(grad.shape == shape, "backward: gradient \(gradient.shape) for a tensor of shape \(shape)")
      grad.withUnsafeMutableBufferPointer { g in
        gradient.withUnsafeBufferPointer { add in
          for i in 0..<g.count { g[i] += add[i] }
        }
      }
    } else {
      let unshared = isKnownUniquelyReferenced(&gradient) && gradient.hasUniqueStorage
      grad = unshared ? gradient : gradient.copy()
    }
  }

  /// Clears the accumulated gradient.
  public func zeroGrad() { grad = nil }
}

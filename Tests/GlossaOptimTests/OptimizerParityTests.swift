import GlossaOptim
import GlossaTensor
import TestSupport
import Testing

/// Parity with PyTorch for every `optimizer` and `clip_grad_norm` case of the torch
/// manifest; hyper-parameters come from each entry.
@Suite struct OptimizerParityTests {
  func makeOptimizer(_ entry: [String: Any], _ parameter: Tensor) -> (any Optimizer)? {
    let lr = Float(entry["lr"] as? Double ?? 0.01)
    let decay = Float(entry["weight_decay"] as? Double ?? 0)
    let momentum = Float(entry["momentum"] as? Double ?? 0)
    let eps = (entry["eps"] as? Double).map(Float.init)
    let betas = (entry["betas"] as? [Double]).map { (Float($0[0]), Float($0[1])) } ?? (0.9, 0.999)
    switch entry["optimizer"] as? String {
    case "sgd", "sgd_momentum", "sgd_nesterov":
      return SGD(
        [parameter], learningRate: lr, momentum: momentum, weightDecay: decay,
        nesterov: entry["nesterov"] as? Bool ?? false)
    case "adam":
      return Adam([parameter], learningRate: lr, betas: betas, epsilon: eps ?? 1e-8, weightDecay: decay)
    case "adamw":
      return Adam.adamW([parameter], learningRate: lr, betas: betas, epsilon: eps ?? 1e-8, weightDecay: decay)
    case "adagrad":
      return Adagrad([parameter], learningRate: lr, epsilon: eps ?? 1e-10, weightDecay: decay)
    case "rmsprop":
      return RMSprop(
        [parameter], learningRate: lr, alpha: Float(entry["alpha"] as? Double ?? 0.99), epsilon: eps ?? 1e-8,
        momentum: momentum, weightDecay: decay)
    default:
      return nil
    }
  }

  @Test func optimizersFollowPyTorchStepByStep() throws {
    guard let cases = try Fixtures.torchCases(where: { $0 == "optimizer" }) else { return }
    #expect(cases.count >= 7)
    for entry in cases {
      let name = entry["file"] as? String ?? "?"
      let file = try Fixtures.torchFile(entry)
      let parameter = try file.required("param.initial")
      parameter.requiresGrad = true
      guard let optimizer = makeOptimizer(entry, parameter) else {
        Issue.record("\(name): unknown optimizer \(entry["optimizer"] ?? "nil")")
        continue
      }
      for step in 0..<(entry["steps"] as? Int ?? 0) {
        parameter.grad = try file.required("grad.step\(step)")
        optimizer.step()
        if let problem = mismatch(
          parameter, try file.required("param.after_step\(step)"), relative: 1e-5, absolute: 1e-6)
        {
          Issue.record("\(name) step \(step): \(problem)")
        }
      }
    }
  }

  @Test func clipGradientNormFollowsPyTorch() throws {
    guard let cases = try Fixtures.torchCases(where: { $0 == "clip_grad_norm" }) else { return }
    #expect(!cases.isEmpty)
    for entry in cases {
      let file = try Fixtures.torchFile(entry)
      var parameters: [Tensor] = []
      var k = 0
      while let before = try file.tensor("grad\(k).before") {
        let p = Tensor.zeros(before.shape, requiresGrad: true)
        p.grad = before
        parameters.append(p)
        k += 1
      }
      #expect(!parameters.isEmpty)
      let norm = clipGradientNorm(parameters, maxNorm: Float(entry["max_norm"] as? Double ?? 1))
      #expect(
        mismatch(Tensor(scalar: norm), try file.required("total_norm"), relative: 1e-5, absolute: 1e-6) == nil
      )
      for (i, p) in parameters.enumerated() {
        let problem = mismatch(p.grad!, try file.required("grad\(i).after"), relative: 1e-5, absolute: 1e-6)
        #expect(problem == nil, "grad\(i): \(problem ?? "")")
      }
    }
  }
}

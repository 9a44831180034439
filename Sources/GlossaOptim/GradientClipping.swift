import GlossaTensor

/// Rescales all gradients together so that their global L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`): the standard cure for exploding gradients.
/// Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
  let gradients = parameters.compactMap(\.grad)
  var squares: Float = 0
  for g in gradients {
    let norm = g.withUnsafeBufferPointer { BLAS.nrm2(count: $0.count, x: $0.baseAddress!) }
    squares += norm * norm
  }
  let total = squares.squareRoot()
  // PyTorch's rule: scale by maxNorm / (total + 1e-6), only when that is below 1.
  let scale = maxNorm / (total + 1e-6)
  if scale < 1 {
    for g in gradients {
      g.withUnsafeMutableBufferPointer { values in
        for i in 0..<values.count { values[i] *= scale }
      }
    }
  }
  return total
}

/// Clamps every gradient element into [−maxValue, maxValue] (`clip_grad_value_`).
public func clipGradientValue(_ parameters: [Tensor], maxValue: Float) {
  for g in parameters.compactMap(\.grad) {
    g.withUnsafeMutableBufferPointer { values in
      for i in 0..<values.count { values[i] = min(max(values[i], -maxValue), maxValue) }
    }
  }
}

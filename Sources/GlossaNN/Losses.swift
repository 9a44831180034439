import GlossaTensor

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How a loss combines the per-element losses.
public enum Reduction: String, Sendable, CaseIterable {
  /// The average (over non-ignored elements for cross-entropy).
  case mean
  /// The total.
  case sum
  /// No reduction: one loss per element.
  case none
}

/// Mean squared error: (1/n) Σ (ŷ − y)², the lecture's loss for regression.
public func mseLoss(_ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
  require(
    prediction.shape == target.shape,
    "mseLoss: prediction \(prediction.shape) and target \(target.shape) differ")
  return reduce((prediction - target).squared(), reduction)
}

/// Cross-entropy of `logits` (classes on the last axis) against class indices, with the
/// log-softmax fused in: loss_i = −log softmax(logits_i)[target_i].
///
/// Targets equal to `ignoreIndex` add nothing and do not count in the mean. The gradient
/// is (softmax − one-hot) scaled by the reduction, computed in the same pass.
public func crossEntropy(
  _ logits: Tensor, targets: [Int], ignoreIndex: Int = -100, reduction: Reduction = .mean
) -> Tensor {
  let classes = logits.shape.last ?? 0
  let rows = logits.count / Swift.max(classes, 1)
  require(
    logits.rank >= 1 && targets.count == rows,
    "crossEntropy: logits \(logits.shape) need one target per row, got \(targets.count) targets")
  for t in targets where t != ignoreIndex {
    require(t >= 0 && t < classes, "crossEntropy: target \(t) is outside 0..<\(classes)")
  }
  let counted = targets.filter { $0 != ignoreIndex }.count
  // One pass per row: log Z = max + log Σ e^(x − max); loss = log Z − x[target].
  let logNormalizers = Tensor(uninitialized: [rows])
  let losses = Tensor.zeros(Array(logits.shape.dropLast()))
  let (x, logZ, loss) = (logits.baseAddress, logNormalizers.baseAddress, losses.baseAddress)
  withExtendedLifetime((logits, logNormalizers, losses)) {
    forEachRowRange(rows: rows, elementsPerRow: classes) { range in
      for r in range {
        let row = x + r * classes
        let m = VectorMath.maximum(row, count: classes)
        logZ[r] = m + logf(VectorMath.sumOfExponentials(row, count: classes, shift: m, output: nil))
        if targets[r] != ignoreIndex { loss[r] = logZ[r] - row[targets[r]] }
      }
    }
  }
  let output: Tensor
  switch reduction {
  case .none: output = losses
  case .sum: output = Tensor(scalar: losses.sum().item)
  case .mean: output = Tensor(scalar: counted == 0 ? .nan : losses.sum().item / Float(counted))
  }
  return Tensor.record(output, op: "crossEntropy", inputs: [logits]) { g in
    // ∂loss_r/∂logits_r = softmax_r − onehot(target_r), times the reduction's weight.
    let dx = Tensor.zeros(logits.shape)
    withExtendedLifetime((logits, logNormalizers, dx, g)) {
      forEachRowRange(rows: rows, elementsPerRow: classes) { range in
        for r in range where targets[r] != ignoreIndex {
          let weight: Float =
            switch reduction {
            case .none: g.baseAddress[r]
            case .sum: g.baseAddress[0]
            case .mean: g.baseAddress[0] / Float(counted)
            }
          let out = dx.baseAddress + r * classes
          _ = VectorMath.sumOfExponentials(x + r * classes, count: classes, shift: logZ[r], output: out)
          for c in 0..<classes { out[c] *= weight }
          out[targets[r]] -= weight
        }
      }
    }
    return [dx]
  }
}

/// Binary cross-entropy on logits, with the sigmoid fused in for stability:
/// ℓ = max(x, 0) − x·y + log(1 + e^(−|x|)), whose gradient is σ(x) − y.
/// Targets get no gradient.
public func binaryCrossEntropyWithLogits(
  _ logits: Tensor, _ targets: Tensor, reduction: Reduction = .mean
) -> Tensor {
  require(
    logits.shape == targets.shape,
    "binaryCrossEntropyWithLogits: logits \(logits.shape) and targets \(targets.shape) differ")
  let x = logits.scalars
  let y = targets.scalars
  let losses = Tensor(
    zip(x, y).map { x, y in Swift.max(x, 0) - x * y + log1pf(expf(-Swift.abs(x))) },
    shape: logits.shape)
  let output = reduction == .none ? losses : Tensor(scalar: reducedValue(losses, reduction))
  return Tensor.record(output, op: "binaryCrossEntropyWithLogits", inputs: [logits]) { g in
    let scale: Float = reduction == .mean ? 1 / Float(x.count) : 1
    let upstream = reduction == .none ? g.scalars : [Float](repeating: g.item, count: x.count)
    let gradient = (0..<x.count).map { i in
      upstream[i] * scale * (1 / (1 + expf(-x[i])) - y[i])
    }
    return [Tensor(gradient, shape: logits.shape)]
  }
}

private func reducedValue(_ losses: Tensor, _ reduction: Reduction) -> Float {
  let total = losses.sum().item
  return reduction == .mean ? total / Float(Swift.max(losses.count, 1)) : total
}

private func reduce(_ losses: Tensor, _ reduction: Reduction) -> Tensor {
  switch reduction {
  case .none: losses
  case .sum: losses.sum()
  case .mean: losses.mean()
  }
}

/// Sums, means and maxima, over all elements or along one axis.
extension Tensor {
  /// The sum of all elements, as a scalar tensor.
  public func sum() -> Tensor {
    var total: Float = 0
    withUnsafeBufferPointer { for x in $0 { total += x } }
    return Tensor.record(Tensor(scalar: total), op: "sum", inputs: [self]) { g in
      [Tensor.full(g.item, shape: self.shape)]
    }
  }

  /// The mean of all elements, as a scalar tensor.
  public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

  /// The sum along `axis`; the axis is dropped unless `keepingDimension`.
  public func sum(axis: Int, keepingDimension: Bool = false) -> Tensor {
    let axis = Shape.axis(axis, rank: rank, op: "sum")
    let (outer, n, inner) = Shape.split(shape, at: axis)
    var reducedShape = shape
    reducedShape[axis] = 1
    let result = Tensor.zeros(reducedShape)
    let x = baseAddress
    let out = result.baseAddress
    for o in 0..<outer {
      for i in 0..<n {
        let row = x + (o * n + i) * inner
        let target = out + o * inner
        for j in 0..<inner { target[j] += row[j] }
      }
    }
    let shaped = keepingDimension ? result : result.reshaped(Tensor.dropping(axis, from: shape))
    return Tensor.record(shaped, op: "sum", inputs: [self]) { g in
      [Tensor.zeros(self.shape) + g.reshaped(reducedShape)]
    }
  }

  /// The mean along `axis`.
  public func mean(axis: Int, keepingDimension: Bool = false) -> Tensor {
    let n = shape[Shape.axis(axis, rank: rank, op: "mean")]
    return sum(axis: axis, keepingDimension: keepingDimension) / Float(n)
  }

  /// log Σ exp(x) along `axis`, computed as m + log Σ exp(x − m) with m the maximum, so that no
  /// exponential overflows; its gradient is the softmax along the axis, exp(x − result).
  public func logSumExp(axis: Int, keepingDimension: Bool = false) -> Tensor {
    let axis = Shape.axis(axis, rank: rank, op: "logSumExp")
    let (outer, n, inner) = Shape.split(shape, at: axis)
    var reducedShape = shape
    reducedShape[axis] = 1
    let result = Tensor(uninitialized: reducedShape)
    let (x, out) = (baseAddress, result.baseAddress)
    for o in 0..<outer {
      for j in 0..<inner {
        var m = -Float.infinity
        for i in 0..<n { m = Swift.max(m, x[(o * n + i) * inner + j]) }
        var total: Float = 0
        if m.isFinite { for i in 0..<n { total += cExp(x[(o * n + i) * inner + j] - m) } }
        out[o * inner + j] = m.isFinite ? m + cLog(total) : m
      }
    }
    let shaped = keepingDimension ? result : result.reshaped(Tensor.dropping(axis, from: shape))
    return Tensor.record(shaped, op: "logSumExp", inputs: [self]) { g in
      let dx = Tensor(uninitialized: self.shape)
      let (d, gp) = (dx.baseAddress, g.baseAddress)
      for o in 0..<outer {
        for j in 0..<inner {
          let (lse, gradient) = (out[o * inner + j], gp[o * inner + j])
          for i in 0..<n {
            let k = (o * n + i) * inner + j
            d[k] = lse.isFinite ? gradient * cExp(x[k] - lse) : 0
          }
        }
      }
      return [dx]
    }
  }

  /// The maximum along `axis`; the gradient flows to the first position of each maximum.
  public func max(axis: Int, keepingDimension: Bool = false) -> Tensor {
    let axis = Shape.axis(axis, rank: rank, op: "max")
    let indices = argmax(axis: axis)
    let (outer, n, inner) = Shape.split(shape, at: axis)
    var reducedShape = shape
    reducedShape[axis] = 1
    let result = Tensor(uninitialized: keepingDimension ? reducedShape : Tensor.dropping(axis, from: shape))
    for o in 0..<outer {
      for j in 0..<inner {
        result.baseAddress[o * inner + j] = baseAddress[(o * n + indices[o * inner + j]) * inner + j]
      }
    }
    return Tensor.record(result, op: "max", inputs: [self]) { g in
      let dx = Tensor.zeros(self.shape)
      for o in 0..<outer {
        for j in 0..<inner {
          dx.baseAddress[(o * n + indices[o * inner + j]) * inner + j] = g.baseAddress[o * inner + j]
        }
      }
      return [dx]
    }
  }

  /// The index of the largest element along `axis` (the first one on ties), for each
  /// position of the other axes, in row-major order.
  public func argmax(axis: Int = -1) -> [Int] {
    let axis = Shape.axis(axis, rank: rank, op: "argmax")
    let (outer, n, inner) = Shape.split(shape, at: axis)
    var result = [Int](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for j in 0..<inner {
        var best = 0
        let line = baseAddress + o * n * inner + j
        for i in 1..<Swift.max(n, 1) where line[i * inner] > line[best * inner] { best = i }
        result[o * inner + j] = best
      }
    }
    return result
  }

  static func dropping(_ axis: Int, from shape: [Int]) -> [Int] {
    var result = shape
    result.remove(at: axis)
    return result
  }
}

/// The lecture's activation functions and the softmax family.
extension Tensor {
  /// σ(x) = 1 / (1 + e^(−x)); σ′ = σ(1 − σ).
  public func sigmoid() -> Tensor {
    let y = mapBuffer(VectorMath.sigmoid)
    return Tensor.record(y, op: "sigmoid", inputs: [self]) { [y = y.detached()] g in
      [Tensor.broadcastMap(g, y, op: "sigmoid backward") { g, y in g * y * (1 - y) }]
    }
  }

  /// tanh(x); tanh′ = 1 − tanh².
  public func tanh() -> Tensor {
    let y = mapBuffer(VectorMath.tanh)
    return Tensor.record(y, op: "tanh", inputs: [self]) { [y = y.detached()] g in
      [Tensor.broadcastMap(g, y, op: "tanh backward") { g, y in g * (1 - y * y) }]
    }
  }

  /// ReLU(x) = max(0, x); the gradient is 1 where x > 0, else 0.
  public func relu() -> Tensor {
    let y = map { $0 > 0 ? $0 : 0 }
    return Tensor.record(y, op: "relu", inputs: [self]) { g in
      [Tensor.broadcastMap(g, self, op: "relu backward") { g, x in x > 0 ? g : 0 }]
    }
  }

  /// softmax(x)_i = e^(x_i − max x) / Σ_j e^(x_j − max x) along `axis`
  /// (shifted by the maximum, so no exponential overflows).
  public func softmax(axis: Int = -1) -> Tensor {
    alongLastAxis(axis, op: "softmax") { x in
      let y = Tensor(uninitialized: x.shape)
      x.forEachRow(y) { x, out, n in VectorMath.softmax(x, count: n, output: out) }
      return Tensor.record(y, op: "softmax", inputs: [x]) { [y = y.detached()] g in
        // ∂x_i = y_i (g_i − Σ_j g_j y_j)
        let dx = Tensor(uninitialized: y.shape)
        g.forEachRow(dx, y) { g, out, yp, n in
          var dot: Float = 0
          for i in 0..<n { dot += g[i] * yp[i] }
          for i in 0..<n { out[i] = yp[i] * (g[i] - dot) }
        }
        return [dx]
      }
    }
  }

  /// log softmax(x)_i = x_i − max x − log Σ_j e^(x_j − max x) along `axis`.
  public func logSoftmax(axis: Int = -1) -> Tensor {
    alongLastAxis(axis, op: "logSoftmax") { x in
      let y = Tensor(uninitialized: x.shape)
      x.forEachRow(y) { x, out, n in VectorMath.logSoftmax(x, count: n, output: out) }
      return Tensor.record(y, op: "logSoftmax", inputs: [x]) { [y = y.detached()] g in
        // ∂x_i = g_i − softmax_i Σ_j g_j, with softmax_i = e^(y_i)
        let dx = Tensor(uninitialized: y.shape)
        g.forEachRow(dx, y) { g, out, yp, n in
          var total: Float = 0
          for i in 0..<n { total += g[i] }
          _ = VectorMath.sumOfExponentials(yp, count: n, shift: 0, output: out)
          for i in 0..<n { out[i] = g[i] - out[i] * total }
        }
        return [dx]
      }
    }
  }

  /// Applies a row-wise operation along `axis`, moving that axis last and back if needed.
  private func alongLastAxis(_ axis: Int, op: String, _ body: (Tensor) -> Tensor) -> Tensor {
    let axis = Shape.axis(axis, rank: rank, op: op)
    if axis == Swift.max(rank - 1, 0) { return body(self) }
    return body(transposed(axis, -1)).transposed(axis, -1)
  }

  /// Calls `body` for each row (the last axis) with the row in `self` and in `output`; large
  /// tensors' rows are split over threads (``forEachRowRange(rows:elementsPerRow:threads:_:)``).
  @inline(__always)
  func forEachRow(
    _ output: Tensor, _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
  ) {
    let n = shape.last ?? 1
    forEachRowRange(rows: count / Swift.max(n, 1), elementsPerRow: n) { range in
      for r in range { body(baseAddress + r * n, output.baseAddress + r * n, n) }
    }
  }

  /// Calls `body` for each row with the row in `self`, `output` and `other`.
  @inline(__always)
  func forEachRow(
    _ output: Tensor, _ other: Tensor,
    _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) ->
      Void
  ) {
    let n = shape.last ?? 1
    forEachRowRange(rows: count / Swift.max(n, 1), elementsPerRow: n) { range in
      for r in range { body(baseAddress + r * n, output.baseAddress + r * n, other.baseAddress + r * n, n) }
    }
  }
}

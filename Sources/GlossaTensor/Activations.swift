/// The lecture's activation functions and the softmax family.
extension Tensor {
  /// σ(x) = 1 / (1 + e^(−x)); σ′ = σ(1 − σ).
  public func sigmoid() -> Tensor {
    let y = map { x in 1 / (1 + cExp(-x)) }
    return Tensor.record(y, op: "sigmoid", inputs: [self]) { g in
      [Tensor.broadcastMap(g, y, op: "sigmoid backward") { g, y in g * y * (1 - y) }]
    }
  }

  /// tanh(x); tanh′ = 1 − tanh².
  public func tanh() -> Tensor {
    let y = map(cTanh)
    return Tensor.record(y, op: "tanh", inputs: [self]) { g in
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
    let axis = Shape.axis(axis, rank: rank, op: "softmax")
    let y = Tensor(uninitialized: shape)
    Tensor.alongAxis(self, y, axis: axis) { x, out, n, step in
      let m = Tensor.maximum(x, n, step)
      var total: Float = 0
      for i in 0..<n {
        out[i * step] = cExp(x[i * step] - m)
        total += out[i * step]
      }
      for i in 0..<n { out[i * step] /= total }
    }
    return Tensor.record(y, op: "softmax", inputs: [self]) { g in
      // ∂x_i = y_i (g_i − Σ_j g_j y_j)
      let dx = Tensor(uninitialized: y.shape)
      Tensor.alongAxis(g, dx, axis: axis) { gp, out, n, step in
        let offset = gp - g.baseAddress
        let yp = y.baseAddress + offset
        var dot: Float = 0
        for i in 0..<n { dot += gp[i * step] * yp[i * step] }
        for i in 0..<n { out[i * step] = yp[i * step] * (gp[i * step] - dot) }
      }
      return [dx]
    }
  }

  /// log softmax(x)_i = x_i − max x − log Σ_j e^(x_j − max x) along `axis`.
  public func logSoftmax(axis: Int = -1) -> Tensor {
    let axis = Shape.axis(axis, rank: rank, op: "logSoftmax")
    let y = Tensor(uninitialized: shape)
    Tensor.alongAxis(self, y, axis: axis) { x, out, n, step in
      let m = Tensor.maximum(x, n, step)
      var total: Float = 0
      for i in 0..<n { total += cExp(x[i * step] - m) }
      let logTotal = m + cLog(total)
      for i in 0..<n { out[i * step] = x[i * step] - logTotal }
    }
    return Tensor.record(y, op: "logSoftmax", inputs: [self]) { g in
      // ∂x_i = g_i − softmax_i Σ_j g_j
      let dx = Tensor(uninitialized: y.shape)
      Tensor.alongAxis(g, dx, axis: axis) { gp, out, n, step in
        let yp = y.baseAddress + (gp - g.baseAddress)
        var total: Float = 0
        for i in 0..<n { total += gp[i * step] }
        for i in 0..<n { out[i * step] = gp[i * step] - cExp(yp[i * step]) * total }
      }
      return [dx]
    }
  }

  /// Calls `body` once per line along `axis` with the line's start in `input` and `output`,
  /// its length and its stride.
  @inline(__always)
  static func alongAxis(
    _ input: Tensor, _ output: Tensor, axis: Int,
    _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void
  ) {
    let (outer, n, inner) = Shape.split(input.shape, at: axis)
    for o in 0..<outer {
      for i in 0..<inner {
        let offset = o * n * inner + i
        body(input.baseAddress + offset, output.baseAddress + offset, n, inner)
      }
    }
  }

  @inline(__always)
  static func maximum(_ x: UnsafeMutablePointer<Float>, _ n: Int, _ step: Int) -> Float {
    var m = -Float.infinity
    for i in 0..<n where x[i * step] > m { m = x[i * step] }
    return m
  }
}

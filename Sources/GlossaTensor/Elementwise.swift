/// Elementwise arithmetic with NumPy-style broadcasting.
///
/// Each kernel is a loop over raw buffers: a flat loop when the shapes agree, and
/// otherwise runs along the last axis with per-operand strides (0 on a stretched axis).
extension Tensor {
  /// Applies `kernel` to corresponding elements of `a` and `b`, broadcasting their shapes.
  @inline(__always)
  static func broadcastMap(
    _ a: Tensor, _ b: Tensor, op: String, _ kernel: (Float, Float) -> Float
  ) -> Tensor {
    let shape = a.shape == b.shape ? a.shape : Shape.broadcast(a.shape, b.shape, op: op)
    let result = Tensor(uninitialized: shape)
    let pa = a.baseAddress
    let pb = b.baseAddress
    let out = result.baseAddress
    let n = result.count
    if a.count == n && b.count == n {
      for i in 0..<n { out[i] = kernel(pa[i], pb[i]) }
    } else if b.count == 1 {
      let scalar = pb[0]
      for i in 0..<n { out[i] = kernel(pa[i], scalar) }
    } else if a.count == 1 {
      let scalar = pa[0]
      for i in 0..<n { out[i] = kernel(scalar, pb[i]) }
    } else {
      stridedMap(shape: shape, a: a, b: b, out: out, kernel)
    }
    return result
  }

  /// The general broadcasting loop: an odometer over all axes but the last.
  @inline(__always)
  private static func stridedMap(
    shape: [Int], a: Tensor, b: Tensor, out: UnsafeMutablePointer<Float>,
    _ kernel: (Float, Float) -> Float
  ) {
    let rank = shape.count
    let sa = Shape.broadcastStrides(a.shape, to: shape)
    let sb = Shape.broadcastStrides(b.shape, to: shape)
    let inner = shape[rank - 1]
    let (ia, ib) = (sa[rank - 1], sb[rank - 1])
    let rows = Shape.count(shape) / Swift.max(inner, 1)
    var index = [Int](repeating: 0, count: rank)
    var (offsetA, offsetB, offsetOut) = (0, 0, 0)
    let pa = a.baseAddress
    let pb = b.baseAddress
    for _ in 0..<rows {
      for j in 0..<inner { out[offsetOut + j] = kernel(pa[offsetA + j * ia], pb[offsetB + j * ib]) }
      offsetOut += inner
      var axis = rank - 2
      while axis >= 0 {
        index[axis] += 1
        offsetA += sa[axis]
        offsetB += sb[axis]
        if index[axis] < shape[axis] { break }
        offsetA -= sa[axis] * shape[axis]
        offsetB -= sb[axis] * shape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
  }

  /// Applies `kernel` to every element.
  @inline(__always)
  func map(_ kernel: (Float) -> Float) -> Tensor {
    let result = Tensor(uninitialized: shape)
    let source = baseAddress
    let out = result.baseAddress
    for i in 0..<count { out[i] = kernel(source[i]) }
    return result
  }

  /// A copy of `self` with `kernel` applied in place to the whole buffer (one of
  /// ``VectorMath``'s eight-lane functions).
  @inline(__always)
  func mapBuffer(_ kernel: (UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
    let result = Tensor(uninitialized: shape)
    result.baseAddress.update(from: baseAddress, count: count)
    kernel(result.baseAddress, count)
    return result
  }

  /// Sums `self` down to `shape` over the axes that broadcasting stretched: the backward
  /// of broadcasting.
  public func sum(toShape target: [Int]) -> Tensor {
    if shape == target { return self }
    var result = self
    let offset = rank - target.count
    for _ in 0..<offset { result = result.sum(axis: 0) }
    for axis in 0..<target.count where target[axis] == 1 && result.shape[axis] != 1 {
      result = result.sum(axis: axis, keepingDimension: true)
    }
    return result.reshaped(target)
  }

  /// a + b, broadcasting.
  public static func + (a: Tensor, b: Tensor) -> Tensor {
    record(broadcastMap(a, b, op: "add", +), op: "add", inputs: [a, b]) { g in
      [g.sum(toShape: a.shape), g.sum(toShape: b.shape)]
    }
  }

  /// a − b, broadcasting.
  public static func - (a: Tensor, b: Tensor) -> Tensor {
    record(broadcastMap(a, b, op: "subtract", -), op: "subtract", inputs: [a, b]) { g in
      [g.sum(toShape: a.shape), (-g).sum(toShape: b.shape)]
    }
  }

  /// a ⊙ b (elementwise product), broadcasting.
  public static func * (a: Tensor, b: Tensor) -> Tensor {
    record(broadcastMap(a, b, op: "multiply", *), op: "multiply", inputs: [a, b]) { g in
      [
        a.requiresGrad ? (g * b).sum(toShape: a.shape) : nil,
        b.requiresGrad ? (g * a).sum(toShape: b.shape) : nil,
      ]
    }
  }

  /// a / b elementwise, broadcasting.
  public static func / (a: Tensor, b: Tensor) -> Tensor {
    record(broadcastMap(a, b, op: "divide", /), op: "divide", inputs: [a, b]) { g in
      [
        a.requiresGrad ? (g / b).sum(toShape: a.shape) : nil,
        // ∂(a/b)/∂b = −a / b²
        b.requiresGrad ? (-(g * a) / (b * b)).sum(toShape: b.shape) : nil,
      ]
    }
  }

  /// −a.
  public static prefix func - (a: Tensor) -> Tensor {
    record(a.map { -$0 }, op: "negate", inputs: [a]) { g in [-g] }
  }

  /// a + s for a scalar s.
  public static func + (a: Tensor, s: Float) -> Tensor {
    record(a.map { $0 + s }, op: "add", inputs: [a]) { g in [g] }
  }

  /// a − s for a scalar s.
  public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }

  /// s − a for a scalar s.
  public static func - (s: Float, a: Tensor) -> Tensor { -a + s }

  /// a · s for a scalar s.
  public static func * (a: Tensor, s: Float) -> Tensor {
    record(a.map { $0 * s }, op: "scale", inputs: [a]) { g in [g * s] }
  }

  /// s · a for a scalar s.
  public static func * (s: Float, a: Tensor) -> Tensor { a * s }

  /// a / s for a scalar s.
  public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

  /// Each element squared.
  public func squared() -> Tensor {
    Tensor.record(map { $0 * $0 }, op: "square", inputs: [self]) { g in [g * self * 2] }
  }

  /// The square root of each element.
  public func squareRoot() -> Tensor {
    let y = map { $0.squareRoot() }
    return Tensor.record(y, op: "sqrt", inputs: [self]) { [y = y.detached()] g in [g / (y * 2)] }
  }

  /// e raised to each element.
  public func exp() -> Tensor {
    let y = mapBuffer(VectorMath.exp)
    return Tensor.record(y, op: "exp", inputs: [self]) { [y = y.detached()] g in [g * y] }
  }

  /// The natural logarithm of each element.
  public func log() -> Tensor {
    Tensor.record(map(cLog), op: "log", inputs: [self]) { g in [g / self] }
  }

  /// The absolute value of each element (gradient 0 at 0, as in PyTorch).
  public func abs() -> Tensor {
    Tensor.record(map(Swift.abs), op: "abs", inputs: [self]) { g in
      [g * self.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }]
    }
  }
}

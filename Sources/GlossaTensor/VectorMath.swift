import CGlossaKernels

/// Vectorized exp, tanh and sigmoid over raw `Float` buffers, eight lanes at a time.
///
/// The C library's `expf` and `tanhf` cost 5–25 ns a call; these polynomial versions run
/// at about 1 ns an element and stay within a few units in the last place (tested
/// against the C library). Softmax, cross-entropy and the recurrent gates use them.
public enum VectorMath {
  /// Eight lanes: one AVX register, two SSE registers.
  public typealias Vector = SIMD8<Float>

  /// e^x, lane by lane: e^x = 2^n · e^r with n = round(x / ln 2), r = x − n ln 2, and e^r
  /// from its degree-6 Taylor–Cephes polynomial.
  @_transparent
  public static func exp(_ input: Vector) -> Vector {
    var x = input
    x.replace(with: 88, where: x .> 88)
    x.replace(with: -87.336544750553, where: x .< -87.336544750553)
    // Round x·log2(e) to the nearest integer with the 1.5·2²³ trick (no SSE4.1 needed).
    let magic = Vector(repeating: 12_582_912)
    let shifted = x * 1.44269504088896341 + magic
    let n = shifted - magic
    var r = x - n * 0.693359375
    r = r - n * -2.12194440e-4
    var p = Vector(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    p = p * (r * r) + r + 1
    // 2^n: n sits in the low mantissa bits of `shifted`.
    let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let scale = unsafeBitCast((bits &+ 127) &<< 23, to: Vector.self)
    var result = p * scale
    result.replace(with: 0, where: input .< -87.336544750553)  // underflow (and −∞) to 0
    result.replace(with: .infinity, where: input .> 88.7228391116729)  // overflow to ∞
    result.replace(with: input, where: input .!= input)  // NaN stays NaN
    return result
  }

  /// σ(x) = 1 / (1 + e^(−x)).
  @_transparent
  public static func sigmoid(_ x: Vector) -> Vector { 1 / (1 + exp(-x)) }

  /// tanh(x) = (1 − e^(−2|x|)) / (1 + e^(−2|x|)) with the sign of x; near 0, where that
  /// difference cancels, its odd Taylor polynomial x − x³/3 + 2x⁵/15 − 17x⁷/315.
  @_transparent
  public static func tanh(_ x: Vector) -> Vector {
    var magnitude = x
    magnitude.replace(with: -x, where: x .< 0)
    let e = exp(-2 * magnitude)
    var result = (1 - e) / (1 + e)
    result.replace(with: -result, where: x .< 0)
    let x2 = x * x
    var series = x2 * Vector(repeating: -17.0 / 315) + Vector(repeating: 2.0 / 15)
    series = series * x2 + Vector(repeating: -1.0 / 3)
    series = (series * x2 + Vector(repeating: 1)) * x
    result.replace(with: series, where: magnitude .< 0.0625)
    return result
  }

  /// Applies a vector function to `count` elements in place (the tail through a padded vector).
  @inline(__always)
  public static func apply(
    _ pointer: UnsafeMutablePointer<Float>, count: Int, _ f: (Vector) -> Vector
  ) {
    var i = 0
    let raw = UnsafeMutableRawPointer(pointer)
    while i + 8 <= count {
      let v = raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self)
      raw.storeBytes(of: f(v), toByteOffset: i * 4, as: Vector.self)
      i += 8
    }
    if i < count {
      var v = Vector()
      for k in 0..<(count - i) { v[k] = pointer[i + k] }
      let y = f(v)
      for k in 0..<(count - i) { pointer[i + k] = y[k] }
    }
  }

  /// e^x for `count` elements in place.
  public static func exp(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
    if wideMap(pointer, count: count, kind: 0) { return }
    apply(pointer, count: count) { exp($0) }
  }
  /// tanh(x) for `count` elements in place.
  public static func tanh(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
    if wideMap(pointer, count: count, kind: 1) { return }
    apply(pointer, count: count) { tanh($0) }
  }
  /// σ(x) for `count` elements in place.
  public static func sigmoid(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
    if wideMap(pointer, count: count, kind: 2) { return }
    apply(pointer, count: count) { sigmoid($0) }
  }

  /// The same functions, sixteen lanes in one AVX-512 register or eight in one AVX2 register,
  /// with fused multiply-adds, when the processor has them: a portable build compiles the `SIMD8`
  /// code above for SSE (two registers, separate multiplies and adds), which runs at half the
  /// AVX2 speed. The two wide kernels give the same bits. Returns false where the caller's own
  /// loop must run (neither, or not x86).
  @inline(__always)
  private static func wideMap(_ pointer: UnsafeMutablePointer<Float>, count: Int, kind: Int32) -> Bool {
    let lanes = glossa_map_lanes()
    guard lanes > 0 else { return false }
    glossa_map_with(lanes, pointer, count, kind)
    return true
  }

  /// The lanes of the widest map the processor runs (16, 8, or 0 for none).
  static var wideMapLanes: Int { Int(glossa_map_lanes()) }

  /// e^x (kind 0), tanh (1) or σ (2) by the wide map of `lanes` lanes, which the processor must
  /// have: what tests compare.
  static func wideMap(lanes: Int, _ pointer: UnsafeMutablePointer<Float>, count: Int, kind: Int32) {
    glossa_map_with(Int32(lanes), pointer, count, kind)
  }

  /// The largest of `count` elements.
  @inline(__always)
  public static func maximum(_ pointer: UnsafePointer<Float>, count: Int) -> Float {
    var best = Vector(repeating: -.infinity)
    var i = 0
    let raw = UnsafeRawPointer(pointer)
    while i + 8 <= count {
      let v = raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self)
      best.replace(with: v, where: v .> best)
      i += 8
    }
    var m = best.max()
    while i < count {
      if pointer[i] > m { m = pointer[i] }
      i += 1
    }
    return m
  }

  /// softmax(x) of `count` elements into `output` (which may be `x`): e^(x_i − m) / Σ_j e^(x_j − m),
  /// with m the largest, so that no exponential overflows.
  @inline(__always)
  public static func softmax(_ x: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>) {
    let scale = 1 / sumOfExponentials(x, count: count, shift: maximum(x, count: count), output: output)
    for i in 0..<count { output[i] *= scale }
  }

  /// log softmax(x) of `count` elements into `output` (which may be `x`):
  /// x_i − (m + log Σ_j e^(x_j − m)), with m the largest, so that no exponential overflows.
  @inline(__always)
  public static func logSoftmax(_ x: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Float>) {
    let m = maximum(x, count: count)
    let logTotal = m + cLog(sumOfExponentials(x, count: count, shift: m, output: nil))
    for i in 0..<count { output[i] = x[i] - logTotal }
  }

  /// Σ e^(x_i − shift) over `count` elements, writing each term to `output` when given (it may
  /// be the input): in eight-lane fused multiply-adds where the processor has them.
  @inline(__always)
  public static func sumOfExponentials(
    _ pointer: UnsafePointer<Float>, count: Int, shift: Float, output: UnsafeMutablePointer<Float>?
  ) -> Float {
    if glossa_wide() != 0 { return glossa_sum_exp_avx2(pointer, count, shift, output) }
    return sumOfExponentialsInLanes(pointer, count: count, shift: shift, output: output)
  }

  /// The same sum in `SIMD8` lanes, whatever the processor: the fallback, and what the wide
  /// kernel is tested against.
  @inline(__always)
  static func sumOfExponentialsInLanes(
    _ pointer: UnsafePointer<Float>, count: Int, shift: Float, output: UnsafeMutablePointer<Float>?
  ) -> Float {
    var total = Vector()
    var i = 0
    let raw = UnsafeRawPointer(pointer)
    while i + 8 <= count {
      let e = exp(raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self) - shift)
      total += e
      if let output {
        UnsafeMutableRawPointer(output).storeBytes(of: e, toByteOffset: i * 4, as: Vector.self)
      }
      i += 8
    }
    var sum = total.sum()
    if i < count {
      var v = Vector(repeating: -.infinity)
      for k in 0..<(count - i) { v[k] = pointer[i + k] - shift }
      let e = exp(v)
      for k in 0..<(count - i) {
        sum += e[k]
        output?[i + k] = e[k]
      }
    }
    return sum
  }
}

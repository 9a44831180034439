import Foundation

/// The discrete Fourier transform X_k = Σ_j x_j e^(−2πi jk/n) of any length n, by the
/// Cooley–Tukey algorithm over n's factors p₁ p₂ … p_s (4s, then a 2 if one is left, then odd
/// primes): the samples are put in mixed-radix digit-reversed order, then each stage, from the
/// last factor to the first, merges p transforms of length m into one of length p·m: with the
/// twiddled inputs t_r = e^(−2πi rk/(pm)) Y_r[k], X[k + mq] = Σ_r t_r e^(−2πi rq/p), a DFT of
/// length p for each k. Spectrograms use 400-sample frames (25 ms at 16 kHz: 4²·5²), which a
/// power-of-two FFT would have to pad. The plan (order, twiddles) is made once per length; a
/// transform allocates nothing.
public struct FFT: Sendable {
  /// The transform's length.
  public let size: Int
  /// n's factors: 4s, a 2, odd primes from the smallest.
  private let factors: [Int]
  /// Where each position's sample comes from (mixed-radix digit reversal).
  let order: [Int]
  /// Each stage, from the last factor's to the first's: the factor p, the merged transforms'
  /// length m, and where its twiddles start in ``tables``: W_pm^(rk) (r < p, k < m, at r·m + k)
  /// and W_p^(rq) (at r·p + q), each as a cos and a sin side by side.
  private let stages: [(p: Int, m: Int, twiddles: Int, roots: Int)]
  /// Every stage's twiddles in one buffer (read without copies or reference counting).
  private let tables: [Float]

  /// A transform of `size` samples.
  public init(size: Int) {
    precondition(size > 0, "FFT: the size must be positive")
    self.size = size
    var factors: [Int] = []
    var rest = size
    while rest % 4 == 0 {
      factors.append(4)
      rest /= 4
    }
    var p = 2
    while rest > 1 {
      while rest % p == 0 {
        factors.append(p)
        rest /= p
      }
      p += 1
      if p * p > rest && rest > 1 {
        factors.append(rest)
        rest = 1
      }
    }
    self.factors = factors
    // Position Σ r_s · n/(p₁…p_s) holds sample r₁ + p₁ (r₂ + p₂ (r₃ + …)).
    order = (0..<size).map { position in
      var (rest, block, index, scale) = (position, size, 0, 1)
      for p in factors {
        block /= p
        index += (rest / block) * scale
        rest %= block
        scale *= p
      }
      return index
    }
    var stages: [(p: Int, m: Int, twiddles: Int, roots: Int)] = []
    var tables: [Float] = []
    func append(_ count: Int, _ angle: (Int) -> Double) -> Int {
      let start = tables.count
      for j in 0..<count { tables += [Float(Foundation.cos(angle(j))), Float(Foundation.sin(angle(j)))] }
      return start
    }
    var m = 1
    for p in factors.reversed() {
      let (length, merged) = (Double(p * m), m)
      let twiddles = append(p * m) { 2 * Double.pi * Double(($0 / merged) * ($0 % merged)) / length }
      let roots = append(p * p) { 2 * Double.pi * Double(($0 / p) * ($0 % p) % p) / Double(p) }
      stages.append((p, m, twiddles, roots))
      m *= p
    }
    (self.stages, self.tables) = (stages, tables)
  }

  /// The spectrum of real samples (`size` of them): real and imaginary parts of all `size` bins.
  public func transform(_ samples: [Float]) -> (real: [Float], imaginary: [Float]) {
    precondition(samples.count == size, "FFT: \(samples.count) samples for a transform of \(size)")
    var re = order.map { samples[$0] }
    var im = [Float](repeating: 0, count: size)
    re.withUnsafeMutableBufferPointer { r in
      im.withUnsafeMutableBufferPointer { i in transform(r.baseAddress!, i.baseAddress!) }
    }
    return (re, im)
  }

  /// |X_k|² for k = 0 … size/2 (the rest mirror them for real samples).
  public func powerSpectrum(_ samples: [Float]) -> [Float] {
    let (re, im) = transform(samples)
    return (0...(size / 2)).map { re[$0] * re[$0] + im[$0] * im[$0] }
  }

  /// Transforms in place a sequence already in ``order`` (`re` and `im`, `size` each): one
  /// transform when `Lane` is `Float`, one per lane when it is a SIMD vector (a spectrogram's
  /// frames side by side, the same arithmetic on each).
  func transform<Lane: FFTLane>(_ re: UnsafeMutablePointer<Lane>, _ im: UnsafeMutablePointer<Lane>) {
    tables.withUnsafeBufferPointer { tables in
      for (p, m, twiddles, roots) in stages {
        let (twiddles, roots) = (tables.baseAddress! + twiddles, tables.baseAddress! + roots)
        switch p {
        case 2: radix2(re, im, m: m, twiddles: twiddles)
        case 4: radix4(re, im, m: m, twiddles: twiddles)
        case 5: radix5(re, im, m: m, twiddles: twiddles, roots: roots)
        default: oddRadix(re, im, p: p, m: m, twiddles: twiddles, roots: roots)
        }
      }
    }
  }

  /// W (x + iy) for the twiddle W = cos θ − i sin θ stored at `w` as (cos θ, sin θ).
  @inline(__always)
  private func twiddled<Lane: FFTLane>(_ x: Lane, _ y: Lane, _ w: UnsafePointer<Float>) -> (Lane, Lane) {
    (x * w[0] + y * w[1], y * w[0] - x * w[1])
  }

  /// A stage of p = 2: X[k] = t_0 + t_1, X[k + m] = t_0 − t_1 (t_0 = Y_0[k], t_1 = W^k Y_1[k]).
  private func radix2<Lane: FFTLane>(
    _ re: UnsafeMutablePointer<Lane>, _ im: UnsafeMutablePointer<Lane>, m: Int, twiddles: UnsafePointer<Float>
  ) {
    for block in stride(from: 0, to: size, by: 2 * m) {
      for k in 0..<m {
        let (i, j) = (block + k, block + m + k)
        let (a, b) = k > 0 ? twiddled(re[j], im[j], twiddles + 2 * (m + k)) : (re[j], im[j])
        (re[i], im[i], re[j], im[j]) = (re[i] + a, im[i] + b, re[i] - a, im[i] - b)
      }
    }
  }

  /// A stage of p = 4, where W_4 = −i: X_0,2 = (t_0 + t_2) ± (t_1 + t_3) and
  /// X_1,3 = (t_0 − t_2) ∓ i (t_1 − t_3).
  private func radix4<Lane: FFTLane>(
    _ re: UnsafeMutablePointer<Lane>, _ im: UnsafeMutablePointer<Lane>, m: Int, twiddles: UnsafePointer<Float>
  ) {
    for block in stride(from: 0, to: size, by: 4 * m) {
      for k in 0..<m {
        let (i0, i1, i2, i3) = (block + k, block + m + k, block + 2 * m + k, block + 3 * m + k)
        var (a1, b1, a2, b2, a3, b3) = (re[i1], im[i1], re[i2], im[i2], re[i3], im[i3])
        if k > 0 {
          (a1, b1) = twiddled(a1, b1, twiddles + 2 * (m + k))
          (a2, b2) = twiddled(a2, b2, twiddles + 2 * (2 * m + k))
          (a3, b3) = twiddled(a3, b3, twiddles + 2 * (3 * m + k))
        }
        let (evenReal, evenImaginary) = (re[i0] + a2, im[i0] + b2)
        let (evenRealDifference, evenImaginaryDifference) = (re[i0] - a2, im[i0] - b2)
        let (oddReal, oddImaginary) = (a1 + a3, b1 + b3)
        let (oddRealDifference, oddImaginaryDifference) = (a1 - a3, b1 - b3)
        (re[i0], im[i0]) = (evenReal + oddReal, evenImaginary + oddImaginary)
        (re[i2], im[i2]) = (evenReal - oddReal, evenImaginary - oddImaginary)
        (re[i1], im[i1]) = (
          evenRealDifference + oddImaginaryDifference, evenImaginaryDifference - oddRealDifference
        )
        (re[i3], im[i3]) = (
          evenRealDifference - oddImaginaryDifference, evenImaginaryDifference + oddRealDifference
        )
      }
    }
  }

  /// A stage of p = 5: ``oddRadix(_:_:p:m:twiddles:roots:)``'s sums written out, in
  /// registers, with c_j = cos(2πj/5) and s_j = sin(2πj/5): X_1,4 and X_2,3 take σ_1, σ_2 with
  /// (c_1, c_2) and (c_2, c_1), δ_1, δ_2 with (s_1, s_2) and (s_2, −s_1).
  private func radix5<Lane: FFTLane>(
    _ re: UnsafeMutablePointer<Lane>, _ im: UnsafeMutablePointer<Lane>, m: Int,
    twiddles: UnsafePointer<Float>,
    roots: UnsafePointer<Float>
  ) {
    // W_5^(rq) at r·5 + q: (c_1, s_1) at r = q = 1, (c_2, s_2) at r = 1, q = 2.
    let (c1, s1, c2, s2) = (roots[2 * 6], roots[2 * 6 + 1], roots[2 * 7], roots[2 * 7 + 1])
    for block in stride(from: 0, to: size, by: 5 * m) {
      for k in 0..<m {
        let i = (block + k, block + m + k, block + 2 * m + k, block + 3 * m + k, block + 4 * m + k)
        var (a1, b1, a2, b2) = (re[i.1], im[i.1], re[i.2], im[i.2])
        var (a3, b3, a4, b4) = (re[i.3], im[i.3], re[i.4], im[i.4])
        if k > 0 {
          (a1, b1) = twiddled(a1, b1, twiddles + 2 * (m + k))
          (a2, b2) = twiddled(a2, b2, twiddles + 2 * (2 * m + k))
          (a3, b3) = twiddled(a3, b3, twiddles + 2 * (3 * m + k))
          (a4, b4) = twiddled(a4, b4, twiddles + 2 * (4 * m + k))
        }
        let (a0, b0) = (re[i.0], im[i.0])
        let (sum1Real, sum1Imaginary, difference1Real, difference1Imaginary) = (
          a1 + a4, b1 + b4, a1 - a4, b1 - b4
        )
        let (sum2Real, sum2Imaginary, difference2Real, difference2Imaginary) = (
          a2 + a3, b2 + b3, a2 - a3, b2 - b3
        )
        (re[i.0], im[i.0]) = (a0 + sum1Real + sum2Real, b0 + sum1Imaginary + sum2Imaginary)
        var cosineReal = a0 + sum1Real * c1 + sum2Real * c2
        var cosineImaginary = b0 + sum1Imaginary * c1 + sum2Imaginary * c2
        var sineImaginary = difference1Imaginary * s1 + difference2Imaginary * s2
        var sineReal = difference1Real * s1 + difference2Real * s2
        (re[i.1], im[i.1]) = (cosineReal + sineImaginary, cosineImaginary - sineReal)
        (re[i.4], im[i.4]) = (cosineReal - sineImaginary, cosineImaginary + sineReal)
        cosineReal = a0 + sum1Real * c2 + sum2Real * c1
        cosineImaginary = b0 + sum1Imaginary * c2 + sum2Imaginary * c1
        sineImaginary = difference1Imaginary * s2 - difference2Imaginary * s1
        sineReal = difference1Real * s2 - difference2Real * s1
        (re[i.2], im[i.2]) = (cosineReal + sineImaginary, cosineImaginary - sineReal)
        (re[i.3], im[i.3]) = (cosineReal - sineImaginary, cosineImaginary + sineReal)
      }
    }
  }

  /// A stage of an odd p: X[q] = Σ_r t_r W_p^(rq), pairing r with p − r (the same cosine, the
  /// opposite sine): with σ_r = t_r + t_(p−r) and δ_r = t_r − t_(p−r),
  /// X[q] = t_0 + Σ_(r ≤ (p−1)/2) σ_r cos θ − i δ_r sin θ, θ = 2πrq/p, and X[p − q] the same
  /// with the sine's sign turned.
  private func oddRadix<Lane: FFTLane>(
    _ re: UnsafeMutablePointer<Lane>, _ im: UnsafeMutablePointer<Lane>, p: Int, m: Int,
    twiddles: UnsafePointer<Float>, roots: UnsafePointer<Float>
  ) {
    withUnsafeTemporaryAllocation(of: Lane.self, capacity: 2 * p) { scratch in
      // t_r = a_r + i b_r; then σ_r and δ_r in place of t_r and t_(p−r).
      let (a, b) = (scratch.baseAddress!, scratch.baseAddress! + p)
      for block in stride(from: 0, to: size, by: p * m) {
        for k in 0..<m {
          for r in 0..<p {
            let i = block + r * m + k
            (a[r], b[r]) =
              k > 0 && r > 0 ? twiddled(re[i], im[i], twiddles + 2 * (r * m + k)) : (re[i], im[i])
          }
          var (realSum, imaginarySum) = (a[0], b[0])
          for r in 1...(p / 2) {
            (a[r], a[p - r]) = (a[r] + a[p - r], a[r] - a[p - r])
            (b[r], b[p - r]) = (b[r] + b[p - r], b[r] - b[p - r])
            realSum += a[r]
            imaginarySum += b[r]
          }
          (re[block + k], im[block + k]) = (realSum, imaginarySum)
          for q in 1...(p / 2) {
            var (cosineReal, sineImaginary, cosineImaginary, sineReal) = (a[0], Lane.zero, b[0], Lane.zero)
            for r in 1...(p / 2) {
              let w = roots + 2 * (r * p + q)
              cosineReal += a[r] * w[0]
              sineImaginary += b[p - r] * w[1]
              cosineImaginary += b[r] * w[0]
              sineReal += a[p - r] * w[1]
            }
            re[block + q * m + k] = cosineReal + sineImaginary
            im[block + q * m + k] = cosineImaginary - sineReal
            re[block + (p - q) * m + k] = cosineReal - sineImaginary
            im[block + (p - q) * m + k] = cosineImaginary + sineReal
          }
        }
      }
    }
  }
}

/// What ``FFT`` computes with: a `Float` for one transform, or a SIMD vector of floats for one
/// transform per lane.
protocol FFTLane {
  static var zero: Self { get }
  static func + (lhs: Self, rhs: Self) -> Self
  static func - (lhs: Self, rhs: Self) -> Self
  static func += (lhs: inout Self, rhs: Self)
  static func * (lhs: Self, rhs: Float) -> Self
}

extension Float: FFTLane {}
extension SIMD8: FFTLane where Scalar == Float {}

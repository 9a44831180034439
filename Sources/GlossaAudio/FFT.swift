import Foundation

/// The discrete Fourier transform X_k = Σ_j x_j e^(−2πi jk/n) of any length n, by the
/// Cooley–Tukey algorithm over n's prime factors p₁ p₂ … p_s: the samples are put in
/// mixed-radix digit-reversed order, then each stage, from the last factor to the first, merges
/// p transforms of length m into one of length p·m: with the twiddled inputs
/// t_r = e^(−2πi rk/(pm)) Y_r[k], X[k + mq] = Σ_r t_r e^(−2πi rq/p), a DFT of length p for each
/// k. Spectrograms use 400-sample frames (25 ms at 16 kHz: 2⁴·5²), which a power-of-two FFT
/// would have to pad. The plan (order, twiddles) is made once per length; a transform
/// allocates nothing.
public struct FFT: Sendable {
  /// The transform's length.
  public let size: Int
  /// n's prime factors, smallest first.
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
    re.withUnsafeMutableBufferPointer { r in im.withUnsafeMutableBufferPointer { i in transform(r, i) } }
    return (re, im)
  }

  /// |X_k|² for k = 0 … size/2 (the rest mirror them for real samples).
  public func powerSpectrum(_ samples: [Float]) -> [Float] {
    let (re, im) = transform(samples)
    return (0...(size / 2)).map { re[$0] * re[$0] + im[$0] * im[$0] }
  }

  /// Transforms in place a sequence already in ``order`` (`re` and `im`, `size` each).
  func transform(_ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>) {
    let largest = factors.max() ?? 1
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * largest) { scratch in
      tables.withUnsafeBufferPointer { tables in
        for (p, m, twiddles, roots) in stages {
          for block in stride(from: 0, to: size, by: p * m) {
            for k in 0..<m {
              // t_r = W_pm^(rk) Y_r[k].
              for r in 0..<p {
                let (a, b) = (re[block + r * m + k], im[block + r * m + k])
                let w = twiddles + 2 * (r * m + k)
                let (c, s) = (tables[w], tables[w + 1])
                (scratch[r], scratch[largest + r]) = (a * c + b * s, b * c - a * s)
              }
              if p == 2 {
                let (a, b, c, d) = (scratch[0], scratch[largest], scratch[1], scratch[largest + 1])
                (re[block + k], im[block + k]) = (a + c, b + d)
                (re[block + m + k], im[block + m + k]) = (a - c, b - d)
                continue
              }
              // X[k + mq] = Σ_r t_r W_p^(rq).
              for q in 0..<p {
                var (x, y): (Float, Float) = (0, 0)
                for r in 0..<p {
                  let w = roots + 2 * (r * p + q)
                  let (c, s) = (tables[w], tables[w + 1])
                  x += scratch[r] * c + scratch[largest + r] * s
                  y += scratch[largest + r] * c - scratch[r] * s
                }
                (re[block + q * m + k], im[block + q * m + k]) = (x, y)
              }
            }
          }
        }
      }
    }
  }
}

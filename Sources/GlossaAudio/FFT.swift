import Foundation

/// The discrete Fourier transform X_k = Σ_j x_j e^(−2πi jk/n) of any length n, by the
/// Cooley–Tukey recursion over n's prime factors (n = p·m: p transforms of length m, of the
/// samples j ≡ r mod p, combined with the twiddles e^(−2πi rk/n)); a prime length is
/// transformed directly. Spectrograms use 400-sample frames (25 ms at 16 kHz: 2⁴·5²), which a
/// power-of-two FFT would have to pad.
public struct FFT: Sendable {
  /// The transform's length.
  public let size: Int
  /// cos and sin of 2πj/size: every twiddle of every stage is one of them.
  private let cosines: [Double], sines: [Double]

  /// A transform of `size` samples.
  public init(size: Int) {
    precondition(size > 0, "FFT: the size must be positive")
    self.size = size
    cosines = (0..<size).map { Foundation.cos(2 * Double.pi * Double($0) / Double(size)) }
    sines = (0..<size).map { Foundation.sin(2 * Double.pi * Double($0) / Double(size)) }
  }

  /// The spectrum of real samples (`size` of them): real and imaginary parts of all `size` bins.
  public func transform(_ samples: [Float]) -> (real: [Double], imaginary: [Double]) {
    precondition(samples.count == size, "FFT: \(samples.count) samples for a transform of \(size)")
    return transform(samples.map(Double.init), [Double](repeating: 0, count: size), step: 1)
  }

  /// |X_k|² for k = 0 … size/2 (the rest mirror them for real samples).
  public func powerSpectrum(_ samples: [Float]) -> [Double] {
    let (re, im) = transform(samples)
    return (0...(size / 2)).map { re[$0] * re[$0] + im[$0] * im[$0] }
  }

  /// The transform of a subsequence of length size/step, whose twiddles are every step-th
  /// entry of the tables (e^(−2πi e/n) = the table's entry e·step, with n = size/step).
  private func transform(_ re: [Double], _ im: [Double], step: Int) -> ([Double], [Double]) {
    let n = re.count
    if n == 1 { return (re, im) }
    let p = Self.smallestFactor(n)
    var outRe = [Double](repeating: 0, count: n)
    var outIm = [Double](repeating: 0, count: n)
    if p == n {
      for k in 0..<n {
        for j in 0..<n {
          let e = (j * k % n) * step
          outRe[k] += re[j] * cosines[e] + im[j] * sines[e]
          outIm[k] += im[j] * cosines[e] - re[j] * sines[e]
        }
      }
      return (outRe, outIm)
    }
    let m = n / p
    let parts = (0..<p).map { r in
      transform(
        stride(from: r, to: n, by: p).map { re[$0] }, stride(from: r, to: n, by: p).map { im[$0] },
        step: step * p)
    }
    for k in 0..<n {
      for r in 0..<p {
        let (a, b) = (parts[r].0[k % m], parts[r].1[k % m])
        let e = (r * k % n) * step
        outRe[k] += a * cosines[e] + b * sines[e]
        outIm[k] += b * cosines[e] - a * sines[e]
      }
    }
    return (outRe, outIm)
  }

  private static func smallestFactor(_ n: Int) -> Int {
    var p = 2
    while p * p <= n {
      if n % p == 0 { return p }
      p += 1
    }
    return n
  }
}

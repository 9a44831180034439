import Foundation

/// The mel scale: pitch as listeners hear it, roughly linear below 1 kHz and logarithmic above.
public enum MelScale: String, Sendable, Codable, CaseIterable {
  /// HTK's: m = 2595 log₁₀(1 + f / 700) (torchaudio's default).
  case htk
  /// Slaney's (the Auditory Toolbox, librosa's default): linear below 1 kHz, m = 3f / 200,
  /// logarithmic above, 27 mels for each factor of 6.4.
  case slaney

  /// The mel of `hertz`.
  public func mel(_ hertz: Double) -> Double {
    switch self {
    case .htk: return 2595 * log10(1 + hertz / 700)
    case .slaney:
      guard hertz >= 1000 else { return hertz / (200.0 / 3) }
      return 1000 / (200.0 / 3) + log(hertz / 1000) / (log(6.4) / 27)
    }
  }

  /// The hertz of `mel`.
  public func hertz(_ mel: Double) -> Double {
    switch self {
    case .htk: return 700 * (pow(10, mel / 2595) - 1)
    case .slaney:
      let linearEnd = 1000 / (200.0 / 3)
      guard mel >= linearEnd else { return mel * (200.0 / 3) }
      return 1000 * exp((log(6.4) / 27) * (mel - linearEnd))
    }
  }

  /// Triangular filters `[bands][bins]` over the `bins` frequencies 0 … sampleRate/2 of a
  /// spectrogram, their corners equally spaced in mels from `low` to `high` hertz, as
  /// torchaudio's `melscale_fbanks` makes them; with Slaney's scale each filter is divided by
  /// its width in hertz (equal area), as librosa's default.
  public func filterbank(bins: Int, bands: Int, sampleRate: Int, low: Double = 0, high: Double? = nil)
    -> [[Double]]
  {
    let top = high ?? Double(sampleRate) / 2
    let frequencies = (0..<bins).map { Double(sampleRate / 2) * Double($0) / Double(max(bins - 1, 1)) }
    let (m0, m1) = (mel(low), mel(top))
    let corners = (0..<(bands + 2)).map { hertz(m0 + (m1 - m0) * Double($0) / Double(bands + 1)) }
    return (0..<bands).map { band in
      let (left, centre, right) = (corners[band], corners[band + 1], corners[band + 2])
      let area = self == .slaney ? 2 / (right - left) : 1
      return frequencies.map { f in
        max(0, min((f - left) / (centre - left), (right - f) / (right - centre))) * area
      }
    }
  }
}

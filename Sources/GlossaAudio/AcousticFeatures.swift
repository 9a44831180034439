import Foundation

/// What a speech model hears of a clip: a feature vector every 10 ms. The power spectrogram of
/// 25 ms frames summed into mel bands (``MelSpectrogram``); then either
/// the log of each band's energy (log-mel filterbank) or the first cepstral coefficients
/// (MFCC: the bands in decibels, floored 80 dB below the clip's loudest, through the
/// orthonormal DCT-II, as torchaudio's `MFCC`). Optionally the deltas and delta-deltas (the
/// slope over ±2 frames, d_t = Σ_k k (c_{t+k} − c_{t−k}) / 10, the edges repeated), and each
/// feature normalised over the clip (mean 0, variance 1).
public struct AcousticFeatures: Sendable, Codable, Equatable {
  /// Log-mel energies or MFCCs.
  public enum Kind: String, Sendable, Codable, CaseIterable {
    case logMel = "log-mel"
    case mfcc
  }

  public var kind = Kind.logMel
  /// The rate the features are computed at: a clip at another rate is resampled to it.
  public var sampleRate = 16_000
  /// The frame's length and the hop between frames, in seconds.
  public var windowSeconds = 0.025, hopSeconds = 0.010
  /// Mel bands (40 to 80 are usual) and their scale.
  public var bands = 40
  public var melScale = MelScale.htk
  /// MFCCs kept (the first ones), for `.mfcc`.
  public var coefficients = 13
  /// Whether the deltas and delta-deltas follow each frame's features.
  public var deltas = false
  /// Whether each feature is normalised over the clip.
  public var normalizes = true

  /// The defaults: 40 log-mel bands (HTK's scale) of 25 ms frames every 10 ms at 16 kHz, normalised.
  public init() {}

  /// Features per frame.
  public var dimension: Int { (kind == .mfcc ? coefficients : bands) * (deltas ? 3 : 1) }

  /// The features of `clip` (its one channel, or its channels mixed down when `mixDown`),
  /// resampled to ``sampleRate`` first when it is at another: `[frames][dimension]`.
  public func callAsFunction(_ clip: AudioClip, mixDown: Bool = false, file: String = "<clip>") throws
    -> [[Float]]
  {
    var samples = try clip.monoSamples(mixDown: mixDown, file: file)
    if clip.sampleRate != sampleRate { samples = Resampler(from: clip.sampleRate, to: sampleRate)(samples) }
    return try features(samples)
  }

  /// The features of samples at ``sampleRate``.
  public func features(_ samples: [Float]) throws -> [[Float]] {
    let mel = try melEnergies(samples)
    var values: [[Float]]
    switch kind {
    case .logMel: values = mel.map { $0.map { Float(log($0 + 1e-6)) } }
    case .mfcc: values = Self.cepstrum(mel, coefficients: coefficients)
    }
    if deltas {
      let first = Self.deltas(values)
      let second = Self.deltas(first)
      values = values.indices.map { values[$0] + first[$0] + second[$0] }
    }
    return normalizes ? Self.normalized(values) : values
  }

  /// The mel bands' energies of each frame, `[frames][bands]` (``melSpectrogram``'s).
  public func melEnergies(_ samples: [Float]) throws -> [[Double]] { try melSpectrogram(samples) }

  /// The mel spectrogram these settings describe (make it once to featurize many clips).
  public var melSpectrogram: MelSpectrogram {
    MelSpectrogram(
      sampleRate: sampleRate, windowLength: windowLength, hop: hop, bands: bands, scale: melScale)
  }

  /// Samples per frame and between frames.
  public var windowLength: Int { Int((windowSeconds * Double(sampleRate)).rounded()) }
  public var hop: Int { Int((hopSeconds * Double(sampleRate)).rounded()) }

  /// MFCCs: 10 log₁₀ of each band (at least 10⁻¹⁰), floored 80 dB below the clip's loudest, then
  /// c_k = s_k Σ_n dB_n cos(π k (n + ½) / N), s_0 = √(1/N), s_k = √(2/N).
  static func cepstrum(_ mel: [[Double]], coefficients: Int) -> [[Float]] {
    var decibels = mel.map { $0.map { 10 * log10(max($0, 1e-10)) } }
    let floor = (decibels.flatMap { $0 }.max() ?? 0) - 80
    decibels = decibels.map { $0.map { max($0, floor) } }
    let n = Double(mel.first?.count ?? 1)
    return decibels.map { frame in
      (0..<coefficients).map { k in
        let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
        return Float(
          scale
            * frame.enumerated().reduce(0) {
              $0 + $1.1 * cos(Double.pi * Double(k) * (Double($1.0) + 0.5) / n)
            })
      }
    }
  }

  /// Each feature's slope over ±2 frames, d_t = Σ_{k=1}^{2} k (c_{t+k} − c_{t−k}) / 10, the
  /// first and last frames repeated past the ends (torchaudio's `compute_deltas`).
  static func deltas(_ values: [[Float]]) -> [[Float]] {
    let last = values.count - 1
    return values.indices.map { t in
      values[t].indices.map { f in
        (1...2).reduce(Float(0)) { total, k in
          total + Float(k) * (values[min(t + k, last)][f] - values[max(t - k, 0)][f])
        } / 10
      }
    }
  }

  /// Each feature minus its mean over the frames, divided by its standard deviation (plus 10⁻⁵).
  static func normalized(_ values: [[Float]]) -> [[Float]] {
    guard let width = values.first?.count else { return values }
    let count = Double(values.count)
    let means = (0..<width).map { f in values.reduce(0.0) { $0 + Double($1[f]) } / count }
    let deviations = (0..<width).map { f in
      (values.reduce(0.0) { $0 + pow(Double($1[f]) - means[f], 2) } / count).squareRoot()
    }
    return values.map { frame in
      frame.indices.map { Float((Double(frame[$0]) - means[$0]) / (deviations[$0] + 1e-5)) }
    }
  }
}

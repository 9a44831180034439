/// The mel spectrogram: each frame's power spectrum (``Spectrogram``) summed under triangular
/// filters equally spaced in mels (``MelScale/filterbank(bins:bands:sampleRate:low:high:)``),
/// as torchaudio's `MelSpectrogram` computes it. The plan (the FFT's twiddles, the window, each
/// filter's nonzero bins) is made once, so that one value serves every clip.
public struct MelSpectrogram: Sendable {
  /// The power spectrogram under the filters.
  public let spectrogram: Spectrogram
  /// Mel bands per frame.
  public let bands: Int
  /// The filters' nonzero bins and their weights, one filter after another: filter f's from
  /// `ends[f − 1]` (0 for the first) to `ends[f]`.
  private let bins: [Int], weights: [Float], ends: [Int]

  /// `bands` filters on `scale` from 0 Hz to half of `sampleRate`, over frames of
  /// `windowLength` samples every `hop`.
  public init(sampleRate: Int, windowLength: Int, hop: Int, bands: Int, scale: MelScale = .htk) {
    spectrogram = Spectrogram(windowLength: windowLength, hop: hop)
    self.bands = bands
    var (bins, weights, ends) = ([Int](), [Float](), [Int]())
    for filter in scale.filterbank(bins: spectrogram.bins, bands: bands, sampleRate: sampleRate) {
      for (bin, weight) in filter.enumerated() where weight > 0 {
        bins.append(bin)
        weights.append(Float(weight))
      }
      ends.append(bins.count)
    }
    (self.bins, self.weights, self.ends) = (bins, weights, ends)
  }

  /// The mel bands' energies of each frame, `[frames][bands]`: the frames of a block side by
  /// side (a SIMD lane each), each filter summing only its nonzero bins.
  public func callAsFunction(_ samples: [Float]) throws -> [[Double]] {
    typealias Lanes = Spectrogram.Lanes
    var rows = [[Double]]()
    rows.reserveCapacity(1 + samples.count / spectrogram.hop)
    var energies = [Lanes](repeating: .zero, count: 2 * bands)
    try bins.withUnsafeBufferPointer { bins in
      try weights.withUnsafeBufferPointer { weights in
        try energies.withUnsafeMutableBufferPointer { energies in
          try spectrogram.forEachBlock(of: samples) { _, count, power in
            var start = 0
            for (band, end) in ends.enumerated() {
              var (x, y) = (Lanes.zero, Lanes.zero)
              for j in start..<end {
                x += power[2 * bins[j]] * weights[j]
                y += power[2 * bins[j] + 1] * weights[j]
              }
              (energies[2 * band], energies[2 * band + 1], start) = (x, y, end)
            }
            for frame in 0..<count {
              rows.append(Spectrogram.row(frame, of: UnsafeBufferPointer(energies), width: bands))
            }
          }
        }
      }
    }
    return rows
  }
}

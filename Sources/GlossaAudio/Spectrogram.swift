import Foundation

/// The power spectrogram |STFT|² of a signal, as torchaudio's `Spectrogram` computes it by
/// default: frames of `windowLength` samples every `hop` samples, the signal reflected by half
/// a window at both ends (so frame t is centred on sample t · hop, and there are
/// 1 + ⌊samples / hop⌋ frames), each frame times a periodic Hann window
/// w_j = ½ − ½ cos(2πj / windowLength), its power at windowLength/2 + 1 frequencies from 0 to
/// half the sample rate.
public struct Spectrogram: Sendable {
  /// Samples per frame (the FFT's length).
  public let windowLength: Int
  /// Samples between frames.
  public let hop: Int
  private let window: [Float]
  private let fft: FFT

  /// Frames of `windowLength` samples every `hop` samples.
  public init(windowLength: Int, hop: Int) {
    precondition(windowLength > 1 && hop > 0, "Spectrogram: window \(windowLength) and hop \(hop)")
    (self.windowLength, self.hop) = (windowLength, hop)
    window = (0..<windowLength).map {
      Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(windowLength)))
    }
    fft = FFT(size: windowLength)
  }

  /// Frequencies per frame.
  public var bins: Int { windowLength / 2 + 1 }

  /// The power of each frame at each frequency, `[frames][bins]`. The signal must be longer
  /// than half a window (the reflection needs as many samples).
  public func callAsFunction(_ samples: [Float]) throws -> [[Double]] {
    let half = windowLength / 2
    guard samples.count > half else {
      throw AudioFileError(
        file: "<signal>", offset: nil,
        message: "\(samples.count) samples, fewer than a half window (\(half + 1) needed)")
    }
    // Reflection without repeating the edge: x[−i] = x[i], x[n − 1 + i] = x[n − 1 − i].
    let padded =
      (1...half).reversed().map { samples[$0] } + samples
      + (1...half).map { samples[samples.count - 1 - $0] }
    let frames = 1 + samples.count / hop
    // Each frame is read straight into the FFT's order, windowed; two buffers serve every frame.
    var re = [Float](repeating: 0, count: windowLength)
    var im = [Float](repeating: 0, count: windowLength)
    let order = fft.order.map { ($0, window[$0]) }
    return (0..<frames).map { t in
      re.withUnsafeMutableBufferPointer { re in
        im.withUnsafeMutableBufferPointer { im in
          for (position, (index, weight)) in order.enumerated() {
            re[position] = padded[t * hop + index] * weight
            im[position] = 0
          }
          fft.transform(re, im)
          return (0..<bins).map { (k: Int) -> Double in
            let power: Float = re[k] * re[k] + im[k] * im[k]
            return Double(power)
          }
        }
      }
    }
  }
}

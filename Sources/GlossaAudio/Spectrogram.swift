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
    var rows = [[Double]]()
    try forEachBlock(of: samples) { _, count, power in
      for frame in 0..<count { rows.append(Self.row(frame, of: power, width: bins)) }
    }
    return rows
  }

  /// Frame `frame`'s `width` values from a block laid out as ``forEachBlock(of:_:)`` hands
  /// them on: value k in lane frame % lanes of `values[2k + frame / lanes]`.
  static func row(_ frame: Int, of values: UnsafeBufferPointer<Lanes>, width: Int) -> [Double] {
    let (half, lane) = (frame / lanes, frame % lanes)
    return (0..<width).map { Double(values[2 * $0 + half][lane]) }
  }

  /// Frames computed at once: a SIMD vector's lanes, each lane a frame.
  typealias Lanes = SIMD8<Float>
  static let lanes = Lanes.scalarCount

  /// Hands the power spectra of the frames, 2 × ``lanes`` at a time, to `body(first, count,
  /// power)`: frames first ..< first + count, bin k of frame first + j (j < count) in lane
  /// j % lanes of `power[2k + j / lanes]`. Two frames share each complex transform: x in the
  /// real part and y in the imaginary, z = x + iy, their spectra part again by the symmetry of
  /// a real signal's, X_k = (Z_k + Z*_(n−k)) / 2 and Y_k = (Z_k − Z*_(n−k)) / 2i, so that
  /// |X_k|² = ((Re Z_k + Re Z_(n−k))² + (Im Z_k − Im Z_(n−k))²) / 4 and
  /// |Y_k|² = ((Im Z_k + Im Z_(n−k))² + (Re Z_k − Re Z_(n−k))²) / 4.
  func forEachBlock(
    of samples: [Float],
    _ body: (_ first: Int, _ count: Int, _ power: UnsafeBufferPointer<Lanes>) throws -> Void
  ) throws {
    let half = windowLength / 2
    guard samples.count > half else {
      throw AudioFileError(
        file: "<signal>", offset: nil,
        message: "\(samples.count) samples, fewer than a half window (\(half + 1) needed)")
    }
    // Reflection without repeating the edge: x[−i] = x[i], x[n − 1 + i] = x[n − 1 − i].
    // Zeros follow, for the last block's frames past the last frame (their spectra are not
    // handed on).
    var padded = [Float]()
    padded.reserveCapacity(samples.count + 2 * half + 2 * Self.lanes * hop)
    padded += (1...half).reversed().map { samples[$0] }
    padded += samples
    padded += (1...half).map { samples[samples.count - 1 - $0] }
    padded += repeatElement(0, count: 2 * Self.lanes * hop)
    let frames = 1 + samples.count / hop
    let n = windowLength
    // Each frame is read straight into the FFT's order, windowed; three buffers serve every block.
    var re = [Lanes](repeating: .zero, count: n)
    var im = [Lanes](repeating: .zero, count: n)
    var power = [Lanes](repeating: .zero, count: 2 * bins)
    try padded.withUnsafeBufferPointer { padded in
      try fft.order.withUnsafeBufferPointer { order in
        try window.withUnsafeBufferPointer { window in
          try re.withUnsafeMutableBufferPointer { re in
            try im.withUnsafeMutableBufferPointer { im in
              try power.withUnsafeMutableBufferPointer { power in
                for first in stride(from: 0, to: frames, by: 2 * Self.lanes) {
                  let count = min(2 * Self.lanes, frames - first)
                  // Lane j of position i: sample order[i] of frame first + j, windowed.
                  for position in 0..<n {
                    let x = padded.baseAddress! + first * hop + order[position]
                    let y = x + Self.lanes * hop
                    let weight = window[order[position]]
                    re[position] =
                      Lanes(
                        x[0], x[hop], x[2 * hop], x[3 * hop], x[4 * hop], x[5 * hop], x[6 * hop], x[7 * hop])
                      * weight
                    im[position] =
                      Lanes(
                        y[0], y[hop], y[2 * hop], y[3 * hop], y[4 * hop], y[5 * hop], y[6 * hop], y[7 * hop])
                      * weight
                  }
                  fft.transform(re.baseAddress!, im.baseAddress!)
                  for k in 0..<bins {
                    let mirror = k == 0 ? 0 : n - k
                    let (sumReal, differenceReal) = (re[k] + re[mirror], re[k] - re[mirror])
                    let (sumImaginary, differenceImaginary) = (im[k] + im[mirror], im[k] - im[mirror])
                    power[2 * k] = (sumReal * sumReal + differenceImaginary * differenceImaginary) * 0.25
                    power[2 * k + 1] = (sumImaginary * sumImaginary + differenceReal * differenceReal) * 0.25
                  }
                  try body(first, count, UnsafeBufferPointer(power))
                }
              }
            }
          }
        }
      }
    }
  }
}

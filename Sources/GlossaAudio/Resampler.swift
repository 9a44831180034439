import Foundation

/// Band-limited resampling from one sample rate to another by windowed-sinc interpolation, as
/// torchaudio's `resample` does by default: x(t) = Σ_i x_i sinc(π f (i/f − t)) read at the new
/// rate's instants, the sinc cut off below the lower of the two Nyquist frequencies (times
/// `rolloff`, so nothing folds back) and truncated after `zeroCrossings` zero crossings on each
/// side under a Hann window. With both rates divided by their greatest common divisor (in → out
/// samples per period), the output's phases repeat every `out` samples: one filter per phase.
public struct Resampler: Sendable {
  /// The rates, in and out.
  public let inputRate: Int, outputRate: Int
  /// Both divided by their greatest common divisor.
  private let inputStep: Int, outputStep: Int
  /// Samples on each side of an output instant that its filter reads.
  private let width: Int
  /// The filter of each output phase, `2 · width + inputStep` taps.
  private let filters: [[Float]]

  /// A resampler from `inputRate` to `outputRate` samples per second.
  public init(from inputRate: Int, to outputRate: Int, zeroCrossings: Int = 6, rolloff: Double = 0.99) {
    precondition(inputRate > 0 && outputRate > 0, "Resampler: rates must be positive")
    var (a, b) = (inputRate, outputRate)
    while b != 0 { (a, b) = (b, a % b) }
    (self.inputRate, self.outputRate) = (inputRate, outputRate)
    (inputStep, outputStep) = (inputRate / a, outputRate / a)
    let cutoff = Double(min(inputStep, outputStep)) * rolloff
    let width = Int((Double(zeroCrossings) * Double(inputStep) / cutoff).rounded(.up))
    self.width = width
    let (inputStep, outputStep) = (inputStep, outputStep)
    filters = (0..<outputStep).map { phase in
      (0..<(2 * width + inputStep)).map { tap in
        // t: the distance, in cutoff periods, between input tap and output instant.
        let t = min(
          max(
            (Double(tap - width) / Double(inputStep) - Double(phase) / Double(outputStep)) * cutoff,
            -Double(zeroCrossings)),
          Double(zeroCrossings))
        let window = pow(cos(t * Double.pi / Double(zeroCrossings) / 2), 2)
        let sinc = t == 0 ? 1 : sin(Double.pi * t) / (Double.pi * t)
        return Float(sinc * window * cutoff / Double(inputStep))
      }
    }
  }

  /// The signal at the output rate: ⌈samples · out / in⌉ samples.
  public func callAsFunction(_ samples: [Float]) -> [Float] {
    if inputRate == outputRate { return samples }
    let count = samples.count
    let outputCount = (count * outputStep + inputStep - 1) / inputStep
    var output = [Float](repeating: 0, count: outputCount)
    for k in 0..<outputCount {
      let (period, phase) = (k / outputStep, k % outputStep)
      // Tap m reads input sample period · in + m − width (zero outside the signal).
      let start = period * inputStep - width
      var total: Float = 0
      filters[phase].withUnsafeBufferPointer { filter in
        let (first, end) = (max(0, -start), min(filter.count, count - start))
        guard first < end else { return }
        for m in first..<end { total += samples[start + m] * filter[m] }
      }
      output[k] = total
    }
    return output
  }
}

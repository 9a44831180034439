import Foundation
import GlossaAudio
import GlossaNN
import GlossaTensor

/// The CTC loss forward and backward for a batch of 32 sequences of 200 steps over 30 classes,
/// targets of 30 symbols, on each of `--threads` (benchmarks/speech_reference.py times torch's
/// ctc_loss on the same).
func ctcBenchmark(_ options: Options) {
  let (steps, batch, classes, length) = (200, 32, 30, 30)
  var generator = SeededGenerator(seed: 3)
  let logits = Tensor.uniform([steps, batch, classes], low: -2, high: 2, generator: &generator)
  let targets = (0..<batch).map { _ in
    (0..<length).map { _ in 1 + Int(generator.next() % UInt64(classes - 1)) }
  }
  let lengths = [Int](repeating: steps, count: batch)
  let logProbabilities = withoutGradients { logits.logSoftmax(axis: 2) }
  logProbabilities.requiresGrad = true
  var results: [[String: Any]] = []
  for threads in options.threads {
    BLAS.setThreads(threads)
    let rate = rate(seconds: options.seconds) {
      logProbabilities.grad = nil
      ctcLoss(logProbabilities, targets: targets, inputLengths: lengths).backward()
    }
    results.append(["threads": threads, "batches_per_s": rate])
  }
  emit([
    "workload": "ctc_loss", "library": "glossa", "shape": [steps, batch, classes], "target_length": length,
    "results": results,
  ])
}

/// Mel power spectrograms (40 HTK bands, 25 ms frames every 10 ms at 16 kHz) of 10 s of audio.
func melBenchmark(_ options: Options) {
  let samples = (0..<160_000).map { Float(0.5 * sin(Double($0) * 0.05) + 0.1 * sin(Double($0) * 0.9)) }
  // Made once, as the reference makes torchaudio's transform once.
  let mel = AcousticFeatures().melSpectrogram
  let rate = rate(seconds: options.seconds) { _ = try! mel(samples) }
  emit([
    "workload": "mel_spectrogram", "library": "glossa", "audio_seconds": 10,
    "results": [["threads": 1, "audio_seconds_per_s": rate * 10]],
  ])
}

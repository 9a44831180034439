import Foundation
import GlossaAudio
import Testing

/// GlossaAudio against torchaudio and soundfile (Fixtures/audio_cases.json, made by
/// Fixtures/make_audio_cases.py), and against definitions written out.
@Suite struct AudioTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")

  struct Cases: Decodable {
    struct Case: Decodable {
      let name: String
      let signal: [Float]
      let spectrogram: [[Double]]?
      let mel_htk_40: [[Double]]
      let mel_slaney_64: [[Double]]
      let mfcc_13: [[Double]]
      let mfcc_13_deltas: [[Double]]
    }
    struct Resampled: Decodable {
      let signal: [Float]
      let outputs: [String: [Float]]
    }
    struct WAVCase: Decodable {
      let file: String
      let sample_rate: Int
      let channels: [[Float]]
    }
    let cases: [Case]
    let resample_44100: Resampled
    let wavs: [WAVCase]
  }

  static let fixtures = try! JSONDecoder().decode(
    Cases.self, from: Data(contentsOf: folder.appendingPathComponent("audio_cases.json")))

  /// The largest difference relative to the expected values' scale.
  func relativeError(_ actual: [[Double]], _ expected: [[Double]]) -> Double {
    #expect(actual.count == expected.count && actual.first?.count == expected.first?.count)
    let scale = max(expected.flatMap { $0 }.map(abs).max() ?? 1, 1e-12)
    return zip(actual.flatMap { $0 }, expected.flatMap { $0 }).map { abs($0 - $1) }.max()! / scale
  }

  @Test func theFFTIsTheDiscreteFourierTransform() {
    for size in [1, 2, 3, 8, 12, 30, 49, 97, 400, 512] {
      let samples = (0..<size).map { Float(sin(Double($0) * 0.37) + 0.1 * Double($0 % 5)) }
      let (re, im) = FFT(size: size).transform(samples)
      for k in 0..<size {
        var (a, b) = (0.0, 0.0)
        for (j, x) in samples.enumerated() {
          a += Double(x) * cos(2 * Double.pi * Double(j * k) / Double(size))
          b -= Double(x) * sin(2 * Double.pi * Double(j * k) / Double(size))
        }
        #expect(
          abs(Double(re[k]) - a) < 1e-5 * Double(size) && abs(Double(im[k]) - b) < 1e-5 * Double(size),
          "size \(size), bin \(k)")
      }
    }
  }

  @Test func spectrogramAndMelBandsAreTorchaudios() throws {
    for c in Self.fixtures.cases {
      let power = try Spectrogram(windowLength: 400, hop: 160)(c.signal)
      if let expected = c.spectrogram { #expect(relativeError(power, expected) < 1e-5, "\(c.name)") }
      for (scale, bands, expected) in [(MelScale.htk, 40, c.mel_htk_40), (.slaney, 64, c.mel_slaney_64)] {
        let bank = scale.filterbank(bins: 201, bands: bands, sampleRate: 16000)
        let mel = power.map { frame in bank.map { zip($0, frame).reduce(0) { $0 + $1.0 * $1.1 } } }
        #expect(relativeError(mel, expected) < 1e-5, "\(c.name) \(scale)")
        // The features' own sum, over each filter's nonzero bins, is the same.
        var features = AcousticFeatures()
        (features.bands, features.melScale) = (bands, scale)
        #expect(relativeError(try features.melEnergies(c.signal), expected) < 1e-5, "\(c.name) \(scale)")
      }
    }
  }

  /// The spectrogram transforms 16 frames at once (two per complex transform, in SIMD lanes):
  /// each frame's power is the plain transform's of the frame alone, windowed, for whole and
  /// partial blocks, windows of every kind of factor, and signals that end mid-frame.
  @Test func theSpectrogramsBlocksAreThePlainTransformFrameByFrame() throws {
    for (length, hop, samples) in [(400, 160, 5_001), (400, 160, 2_419), (256, 100, 700), (30, 7, 16)] {
      let signal = (0..<samples).map { i -> Float in
        let (slow, fast): (Double, Double) = (sin(Double(i) * 0.013), cos(Double(i * i % 977)))
        return Float(slow + 0.3 * fast)
      }
      let spectrogram = Spectrogram(windowLength: length, hop: hop)
      let power = try spectrogram(signal)
      let half = length / 2
      #expect(power.count == 1 + samples / hop && power[0].count == half + 1)
      let fft = FFT(size: length)
      for (t, row) in power.enumerated() {
        let frame = (0..<length).map { j -> Float in
          var i = t * hop + j - half
          if i < 0 { i = -i }
          if i >= samples { i = 2 * (samples - 1) - i }
          let angle: Double = 2 * Double.pi * Double(j) / Double(length)
          return signal[i] * Float(0.5 - 0.5 * cos(angle))
        }
        let expected = fft.powerSpectrum(frame)
        let scale = max(Double(expected.max()!), 1)
        let error = zip(row, expected).map { abs($0 - Double($1)) }.max()!
        #expect(error < 1e-5 * scale, "window \(length), \(samples) samples, frame \(t): \(error)")
      }
    }
  }

  @Test func mfccsAndDeltasAreTorchaudios() throws {
    var features = AcousticFeatures()
    (features.kind, features.normalizes) = (.mfcc, false)
    for c in Self.fixtures.cases {
      let mfcc = try features.features(c.signal).map { $0.map(Double.init) }
      #expect(relativeError(mfcc, c.mfcc_13) < 1e-5, "\(c.name)")
      features.deltas = true
      let withDeltas = try features.features(c.signal)
      features.deltas = false
      #expect(withDeltas.first?.count == 39 && features.dimension == 13)
      let deltas = withDeltas.map { $0[13..<26].map(Double.init) }
      #expect(relativeError(deltas, c.mfcc_13_deltas) < 1e-4, "\(c.name)")
    }
  }

  @Test func resamplingIsTorchaudios() {
    let fixture = Self.fixtures.resample_44100
    for (rate, expected) in fixture.outputs {
      let output = Resampler(from: 44100, to: Int(rate)!)(fixture.signal)
      #expect(output.count == expected.count)
      let error = zip(output, expected).map { abs($0 - $1) }.max()!
      #expect(error < 1e-5, "44.1 → \(rate) kHz: \(error)")
    }
  }

  /// A sine resampled keeps its frequency and amplitude; a tone above the new Nyquist
  /// frequency is filtered out rather than folded back.
  @Test func aResampledSineKeepsItsFrequencyAndAmplitude() {
    let tone = (0..<44100).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / 44100)) }
    let alias = (0..<44100).map { Float(0.5 * sin(2 * Double.pi * 12000 * Double($0) / 44100)) }
    let resampler = Resampler(from: 44100, to: 16000)
    let output = resampler(tone)
    #expect(output.count == 16000)
    // Away from the edges: the amplitude of a 1 kHz sine, by correlation at 16 kHz.
    let middle = 1000..<15000
    let (c, s) = middle.reduce((0.0, 0.0)) { total, i in
      let phase = 2 * Double.pi * 1000 * Double(i) / 16000
      return (total.0 + Double(output[i]) * cos(phase), total.1 + Double(output[i]) * sin(phase))
    }
    let amplitude = 2 * (c * c + s * s).squareRoot() / Double(middle.count)
    #expect(abs(amplitude - 0.5) < 0.005, "amplitude \(amplitude)")
    let residue = middle.map { i in
      Double(output[i]) - amplitude * sin(2 * Double.pi * 1000 * Double(i) / 16000 + atan2(c, s))
    }
    #expect(residue.map(abs).max()! < 0.01)
    let folded = resampler(alias)[middle].map { abs(Double($0)) }.max()!
    #expect(folded < 0.01, "12 kHz leaked through as \(folded)")
  }

  @Test func wavFilesOfEveryFormatReadAsSoundfileReadsThem() throws {
    for w in Self.fixtures.wavs {
      let clip = try WAV.read(Self.folder.appendingPathComponent(w.file))
      #expect(clip.sampleRate == w.sample_rate && clip.channels.count == w.channels.count, "\(w.file)")
      for (a, b) in zip(clip.channels, w.channels) {
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }, "\(w.file)")
      }
    }
  }

  @Test func aWrittenClipReadsBackTheSame() throws {
    let clip = AudioClip(
      channels: [(0..<100).map { Float($0 - 50) / 64 }, (0..<100).map { Float($0) / 128 }], sampleRate: 22050)
    for float in [false, true] {
      let read = try WAV.decode(WAV.encode(clip, float: float))
      #expect(read == clip, "float: \(float)")
    }
    let stereo = try WAV.decode(WAV.encode(clip))
    #expect(throws: AudioFileError.self) { try stereo.monoSamples() }
    #expect(try stereo.monoSamples(mixDown: true)[10] == (clip.channels[0][10] + clip.channels[1][10]) / 2)
  }

  @Test func brokenWAVFilesAreNamedWithTheirOffset() throws {
    let good = WAV.encode(AudioClip(mono: [0, 0.5, -0.5], sampleRate: 16000))
    func message(_ data: Data) -> String {
      do {
        _ = try WAV.decode(data, file: "clip.wav")
        return ""
      } catch { return "\(error)" }
    }
    #expect(
      message(Data("hello".utf8))
        == "clip.wav: byte 0: not a RIFF WAVE file (expected 'RIFF', a size and 'WAVE')")
    #expect(message(good.prefix(30)).hasPrefix("clip.wav: byte 16: the 'fmt ' chunk claims 16 bytes"))
    var float64 = good
    float64[20] = 3  // float, but 16 bits
    #expect(message(float64).contains("format 3 with 16-bit samples"))
    var noData = good.prefix(36)
    noData[4] = 28
    #expect(message(Data(noData)) == "clip.wav: byte 36: the file ends without a 'data' chunk")
  }

  @Test func featuresHaveAFrameEvery10Milliseconds() throws {
    let clip = AudioClip(mono: Self.fixtures.cases[0].signal, sampleRate: 16000)
    var features = AcousticFeatures()
    features.deltas = true
    let values = try features(clip)
    #expect(values.count == 1 + clip.count / 160 && values[0].count == 120 && features.dimension == 120)
    // Normalised: each feature has mean 0 and variance 1 over the clip.
    for f in [0, 39, 119] {
      let column = values.map { Double($0[f]) }
      let mean = column.reduce(0, +) / Double(column.count)
      #expect(abs(mean) < 1e-4)
      let variance: Double = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
      #expect(abs(variance - 1) < 1e-3)
    }
    // The same clip at 8 kHz is resampled to 16 kHz first.
    let low = AudioClip(mono: Resampler(from: 16000, to: 8000)(clip.channels[0]), sampleRate: 8000)
    #expect(try features(low).count == values.count)
    #expect(throws: AudioFileError.self) { try features(AudioClip(mono: [0, 1], sampleRate: 16000)) }
  }
}

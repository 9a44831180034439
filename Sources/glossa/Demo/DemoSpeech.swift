import Foundation
import GlossaAudio
import GlossaData
import GlossaModels
import GlossaTensor

/// Speech recognition: a bidirectional GRU hears spoken numbers and writes their digits,
/// trained with CTC, and is scored on voices it never heard.
extension Demo {
  func speech(_ run: DemoRun) throws {
    run.heading("Speech recognition: a bidirectional GRU with CTC writes down spoken numbers")
    let words = try SpokenDigits(manifest: run.file("digits.tsv"))
    // A quarter of the voices is held out: the model is scored on speakers it never heard.
    let split = DataSplit.shuffled(count: words.voices.count, validation: 0.25, seed: seed)
    let (trainVoices, heldVoices) = (
      split.train.map { words.voices[$0] }, split.validation.map { words.voices[$0] }
    )
    var random = SeededGenerator(seed: seed)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-demo-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    func clips(_ count: Int, voices: [String], name: String) throws -> [TranscribedClip] {
      try (0..<count).map { k in
        let (clip, digits) = words.number(
          voice: voices[Int(random.next() % UInt64(voices.count))], using: &random)
        let file = folder.appendingPathComponent("\(name)-\(k).wav")
        try WAV.write(clip, to: file)
        return TranscribedClip(audio: file, transcript: digits)
      }
    }
    let train = try clips(run.quick ? 500 : 1000, voices: trainVoices, name: "train")
    let validation = try clips(100, voices: heldVoices, name: "valid")
    var training = SpeechRecognizerTraining()
    training.architecture.features.sampleRate = SpokenDigits.sampleRate
    training.architecture.alphabet = (0...9).map(String.init)
    (training.architecture.layers, training.architecture.hidden) = (1, 96)
    training.learningRate = 3e-3
    training.seed = seed
    training.trainer = trainerSettings(training.trainer, epochs: run.quick ? 8 : 12)
    let (model, evaluation, result) = try training.train(train, validation: validation)
    run.keep("digits", save: model.save(to:))
    let guess = SpokenDigits.guess(train.map(\.transcript), validation.map(\.transcript))
    run.say(
      "\(train.count) numbers of 3 to 5 digits strung from the single words of \(trainVoices.count) espeak-ng voices "
        + "(each word sped up or slowed down, with pauses and noise), \(validation.count) more from "
        + "\(heldVoices.count) voices held out; 40 log-mel bands every 10 ms, 3 frames a step, one bidirectional "
        + "layer of 96 GRU units, \(result.epochs.count) epochs in \(run.stepSeconds.formatted(1)) s")
    run.say(
      "held-out character error rate \((evaluation.cer.rate * 100).formatted(1))% "
        + "(always writing the commonest digit, as often as numbers have digits on average: "
        + "\((guess.rate * 100).formatted(1))%), whole numbers wrong \((evaluation.wer.rate * 100).formatted(1))%"
    )
    let shown = Array(validation.prefix(4))
    for (clip, transcript) in zip(shown, try model.transcribe(shown.map { try WAV.read($0.audio) })) {
      run.say("  heard \(transcript.text.isEmpty ? "nothing" : transcript.text)   (said: \(clip.transcript))")
    }
    run.lossFigure(
      "speech-loss.svg", result, title: "Speech recogniser: CTC loss by epoch",
      caption: "The speech recogniser's CTC loss by epoch, in training and on held-out voices.")
    run.check(
      "the recogniser hears digits", evaluation.cer.rate < guess.rate / 2,
      "CER \((evaluation.cer.rate * 100).formatted(1))% against \((guess.rate * 100).formatted(1))% for a fixed guess"
    )
  }
}

/// The demo's spoken digits: each digit word said alone by several voices, strung into
/// numbers the way a person reads one out.
struct SpokenDigits {
  /// The rate of the demo's clips.
  static let sampleRate = 8000
  /// The voices, in the manifest's order.
  let voices: [String]
  /// Each voice's ten words at each speed: `words[voice]![speed][digit]`.
  private let words: [String: [[[Float]]]]
  /// Speed factors: a word resampled from `sampleRate · factor`, played at `sampleRate`.
  private static let speeds = [0.9, 0.95, 1.0, 1.05, 1.1]

  /// Reads the manifest (`digits/VOICE-WORD.wav<TAB>DIGIT`, every digit for every voice).
  init(manifest: URL) throws {
    var clips: [String: [[Float]?]] = [:]
    var voices: [String] = []
    for entry in try TranscribedClip.read(manifest) {
      let name = entry.audio.deletingPathExtension().lastPathComponent
      guard let digit = Int(entry.transcript), (0...9).contains(digit), let dash = name.lastIndex(of: "-")
      else {
        throw DataFileError(
          file: manifest.path,
          message: "\(entry.audio.lastPathComponent): expected VOICE-WORD.wav and a digit 0-9")
      }
      let voice = String(name[..<dash])
      let clip = try WAV.read(entry.audio)
      guard clip.sampleRate == Self.sampleRate else {
        throw DataFileError(
          file: entry.audio.path, message: "expected \(Self.sampleRate) Hz, found \(clip.sampleRate)")
      }
      if clips[voice] == nil { voices.append(voice) }
      clips[voice, default: Array(repeating: nil, count: 10)][digit] = try clip.monoSamples(
        file: entry.audio.path)
    }
    for voice in voices where clips[voice]!.contains(where: { $0 == nil }) {
      throw DataFileError(file: manifest.path, message: "the voice \(voice) lacks a digit")
    }
    self.voices = voices
    let resamplers = Self.speeds.map {
      Resampler(from: Int(Double(Self.sampleRate) * $0), to: Self.sampleRate)
    }
    words = clips.mapValues { digits in resamplers.map { resample in digits.map { resample($0!) } } }
  }

  /// A number of 3 to 5 digits in `voice`: each word at a random speed and loudness, after a
  /// pause of 30 to 150 ms, with white noise under it all; and its digits.
  func number(voice: String, using random: inout SeededGenerator) -> (AudioClip, String) {
    let rate = Double(Self.sampleRate)
    func uniform(_ low: Double, _ high: Double) -> Double {
      low + (high - low) * Double(random.nextUnitFloat())
    }
    var samples = [Float](repeating: 0, count: Int(0.1 * rate))
    var digits = ""
    for _ in 0..<(3 + Int(random.next() % 3)) {
      let digit = Int(random.next() % 10)
      let word = words[voice]![Int(random.next() % UInt64(Self.speeds.count))][digit]
      samples += [Float](repeating: 0, count: Int(uniform(0.03, 0.15) * rate))
      let gain = Float(uniform(0.5, 1))
      samples += word.map { $0 * gain }
      digits += String(digit)
    }
    samples += [Float](repeating: 0, count: Int(0.1 * rate))
    let noise = Float(uniform(0.002, 0.01))
    for k in samples.indices { samples[k] += noise * random.nextNormal() }
    return (AudioClip(mono: samples, sampleRate: Self.sampleRate), digits)
  }

  /// The error rate of one fixed answer for every number: the commonest digit of `train`,
  /// written as many times as its numbers have digits on average.
  static func guess(_ train: [String], _ references: [String]) -> ErrorRate {
    let counts = Dictionary(grouping: train.joined(), by: { $0 }).mapValues(\.count)
    let commonest = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
    let length = Int((Double(train.map(\.count).reduce(0, +)) / Double(train.count)).rounded())
    let answer = String(repeating: commonest, count: length)
    return ErrorRate(
      hypotheses: Array(repeating: answer, count: references.count), references: references, unit: .character)
  }
}

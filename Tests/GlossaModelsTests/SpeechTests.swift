import Foundation
import GlossaAudio
import GlossaData
import GlossaModels
import GlossaNN
import TestSupport
import Testing

/// The speech recogniser trained end to end on clips it can learn in seconds: each letter a
/// tone of its own pitch, words separated by silence. The loss falls, the held-out clips are
/// transcribed, a saved model transcribes the same, bad clips and transcripts are named.
@Suite(.serialized) struct SpeechTests {
  static let folder = ModelFixtures.temporary("speech")

  static func settings(epochs: Int) -> SpeechRecognizerTraining {
    var training = SpeechRecognizerTraining()
    training.architecture.alphabet = ["a", "b", "c", "d", " "]
    (training.architecture.hidden, training.architecture.layers, training.architecture.stack) = (32, 1, 2)
    training.architecture.features.bands = 24
    training.learningRate = 5e-3
    training.batchSize = 8
    training.trainer.epochs = epochs
    training.trainer.showsProgress = false
    training.seed = 3
    // Two parts per batch whatever the machine's threads, so that the model is the same everywhere.
    training.trainer.parallelParts = 2
    return training
  }

  /// A model trained on 64 clips, validated on 12 others.
  nonisolated(unsafe) static let trained:
    (SpeechRecognizer, SpeechEvaluation, TrainingResult, [TranscribedClip]) = {
      let train = try! TranscribedClip.read(
        ToneSpeech.manifest(ToneSpeech.texts(64, seed: 1), in: folder, name: "train"))
      let valid = try! TranscribedClip.read(
        ToneSpeech.manifest(ToneSpeech.texts(12, seed: 2), in: folder, name: "valid"))
      let (model, evaluation, result) = try! settings(epochs: 12).train(train, validation: valid)
      return (model, evaluation, result, valid)
    }()

  @Test func theLossFallsAndHeldOutClipsAreTranscribed() throws {
    let (_, evaluation, result, _) = Self.trained
    let losses = result.epochs.map(\.trainLoss)
    #expect(losses.last! < losses.first! / 3, "\(losses)")
    #expect(evaluation.cer.rate < 0.25, "\(evaluation.cer)")
    #expect(
      evaluation.clips == 12 && evaluation.cer.referenceLength > 0 && evaluation.wer.referenceLength > 0)
  }

  /// The beam's transcript of each held-out clip is at least as likely under the model as the
  /// greedy one (what the search is for), and its error rate is reported beside greedy's.
  @Test func theBeamFindsTranscriptsAtLeastAsLikelyAsGreedy() throws {
    let (model, greedy, _, valid) = Self.trained
    let features = try valid.map { try model.features(try WAV.read($0.audio)) }
    let (byBeam, byGreedy) = (
      model.transcribe(features: features, beam: 8), model.transcribe(features: features)
    )
    for k in features.indices {
      let (a, b) = (byBeam[k].text, byGreedy[k].text)
      let (beamLikelihood, greedyLikelihood) = (
        try model.logLikelihood(a, features: features[k]), try model.logLikelihood(b, features: features[k])
      )
      #expect(beamLikelihood >= greedyLikelihood - 1e-4, "'\(a)' against '\(b)'")
    }
    #expect(try model.evaluate(valid, beam: 8).clips == greedy.clips)
    // With a character language model of the training transcripts, the beam's error rate stays
    // within a character of greedy's.
    let lines = ToneSpeech.texts(64, seed: 1)
    let fusion = ShallowFusion(
      model: CharacterNGramModel(order: 3, alphabet: Array("abcd "), lines: lines), weight: 0.3, reward: 0.5)
    let fused = try model.evaluate(valid, beam: 8, fusion: fusion)
    #expect(
      fused.cer.rate <= greedy.cer.rate + 1 / Double(greedy.cer.referenceLength) + 1e-12, "\(fused.cer)")
  }

  @Test func aSavedModelTranscribesTheSame() throws {
    let (model, _, _, valid) = Self.trained
    let directory = ModelFixtures.temporary("speech-model")
    defer { try? FileManager.default.removeItem(at: directory) }
    try model.save(to: directory)
    guard case .speech(let loaded) = try SavedModel(contentsOf: directory) else {
      Issue.record("not loaded as a speech recogniser")
      return
    }
    #expect(loaded.configuration == model.configuration)
    let clips = try valid.map { try WAV.read($0.audio) }
    #expect(try loaded.transcribe(clips) == model.transcribe(clips))
  }

  @Test func wordsAreTimedInOrderWithinTheClip() throws {
    let (model, _, _, valid) = Self.trained
    let clip = try WAV.read(valid[0].audio)
    let transcript = try model.transcribe([clip])[0]
    #expect(
      transcript.words.map(\.word).joined(separator: " ")
        == transcript.text.split(separator: " ").joined(separator: " "))
    for (a, b) in zip(transcript.words, transcript.words.dropFirst()) { #expect(a.end <= b.start) }
    for word in transcript.words { #expect(word.start < word.end && word.end <= clip.duration + 0.1) }
    // The beam's words are timed too, on the forced alignment of its text: the greedy path
    // itself when the two texts agree.
    let features = try valid.map { try model.features(try WAV.read($0.audio)) }
    for (byBeam, byGreedy) in zip(
      model.transcribe(features: features, beam: 8), model.transcribe(features: features))
    {
      #expect(
        byBeam.words.map(\.word).joined(separator: " ")
          == byBeam.text.split(separator: " ").joined(separator: " "))
      if byBeam.text == byGreedy.text { #expect(byBeam.words == byGreedy.words) }
    }
  }

  @Test func badClipsAndTranscriptsAreNamed() throws {
    let (model, _, _, _) = Self.trained
    let folder = Self.folder.appendingPathComponent("bad")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    func message(_ lines: String, _ files: [String: Data] = [:]) -> String {
      do {
        for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
        let url = folder.appendingPathComponent("bad.tsv")
        try lines.write(to: url, atomically: true, encoding: .utf8)
        _ = try model.evaluate(try TranscribedClip.read(url))
        return ""
      } catch { return "\(error)" }
    }
    let good = WAV.encode(ToneSpeech.clip("ab", seed: 1))
    #expect(message("x.wav\tab", ["x.wav": good]).isEmpty)
    #expect(message("x.wav\tabz", ["x.wav": good]).contains("x.wav: 'z' is not in the model's alphabet"))
    #expect(message("x.wav\taaaa bbbb cccc dddd aaaa", ["x.wav": good]).contains("x.wav: the clip gives"))
    #expect(
      message("y.wav\tab", ["y.wav": Data("not audio".utf8)]).contains("y.wav: byte 0: not a RIFF WAVE file"))
    let stereo = WAV.encode(
      AudioClip(
        channels: [ToneSpeech.clip("ab", seed: 1).channels[0], ToneSpeech.clip("ab", seed: 2).channels[0]],
        sampleRate: 16000))
    #expect(message("s.wav\tab", ["s.wav": stereo]).contains("s.wav: 2 channels, expected one"))
    #expect(message("s.wav\tab\nno tab here").contains("bad.tsv:2: expected path<TAB>transcript"))
    #expect(message("missing.wav\tab").contains("missing.wav: cannot be read"))
  }
}

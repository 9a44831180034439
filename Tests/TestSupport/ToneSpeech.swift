import Foundation
import GlossaAudio

/// Speech a model can learn in seconds, made without a synthesiser: each letter of a, b, c, d a
/// tone of its own pitch, words separated by silence, a little noise throughout.
public enum ToneSpeech {
  /// Each letter's pitch, in hertz.
  public static let pitches: [Character: Double] = ["a": 330, "b": 660, "c": 1320, "d": 2640]

  /// A clip saying `text`: 0.12 s of a letter's tone (and a little silence) per letter, 0.15 s
  /// of silence per space, with a little noise.
  public static func clip(_ text: String, seed: Int) -> AudioClip {
    var samples: [Float] = []
    var state = UInt64(seed) &+ 1
    for character in text {
      let pitch = pitches[character]
      for i in 0..<(pitch == nil ? 2400 : 1920) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let noise = Float(Int(state >> 40) % 1000 - 500) / 50_000
        let tone = pitch.map { Float(0.4 * sin(2 * Double.pi * $0 * Double(i) / 16000)) } ?? 0
        samples.append((i < 1600 ? tone : 0) + noise)
      }
    }
    return AudioClip(mono: samples, sampleRate: 16000)
  }

  /// Texts of one to three words of two to four letters, drawn from `seed`.
  public static func texts(_ count: Int, seed: Int) -> [String] {
    var state = UInt64(seed)
    func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % n
    }
    return (0..<count).map { _ in
      (0...next(3)).map { _ in String((0...(1 + next(3))).map { _ in Array("abcd")[next(4)] }) }.joined(
        separator: " ")
    }
  }

  /// A manifest of clips written as WAV files in `folder`.
  public static func manifest(_ texts: [String], in folder: URL, name: String) throws -> URL {
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("wav"), withIntermediateDirectories: true)
    var lines: [String] = []
    for (k, text) in texts.enumerated() {
      let path = "wav/\(name)-\(k).wav"
      try WAV.write(clip(text, seed: k), to: folder.appendingPathComponent(path))
      lines.append("\(path)\t\(text)")
    }
    let url = folder.appendingPathComponent("\(name).tsv")
    try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    return url
  }
}

import Foundation
import GlossaAudio
import GlossaNN
import GlossaTensor

/// A speech recogniser's architecture and features, as its `config.json` holds them.
public struct SpeechRecognizerConfiguration: Codable, Sendable, Equatable {
  /// What the model hears: the acoustic features of each clip.
  public var features = AcousticFeatures()
  /// The characters it writes (the blank, id 0, comes before them).
  public var alphabet = Array("abcdefghijklmnopqrstuvwxyz' ").map(String.init)
  /// Frames stacked into one, every `stack` frames (subsampling: 10 ms frames become 30 ms steps
  /// with 3): fewer steps for the recurrent layers, each seeing a wider slice of sound.
  public var stack = 3
  /// The recurrent unit, layers, units per direction, and whether each layer also reads the
  /// clip backwards (the lecture's "the backward RNN can leverage information from later speech
  /// frames").
  public var cell: RecurrentKind = .gru
  public var layers = 2
  public var hidden = 128
  public var bidirectional = true
  /// The dropout between layers and before the output layer.
  public var dropout: Float = 0.1

  /// The defaults.
  public init() {}

  /// Features per recurrent step.
  public var inputSize: Int { features.dimension * stack }
  /// The output classes: the blank and the alphabet.
  public var classes: Int { alphabet.count + 1 }
}

/// A transcript the model cannot learn or score: a character outside its alphabet, or more
/// than its steps can hold.
public struct TranscriptError: Error, CustomStringConvertible, Equatable {
  /// The clip, and what is wrong.
  public let file: String, message: String
  public var description: String { "\(file): \(message)" }
}

/// The lecture's speech recognition (many-to-many, unaligned): acoustic features of a clip,
/// stacked a few frames at a time, read by a stack of bidirectional RNNs, each step's
/// output a distribution over the alphabet and the blank; trained with the CTC loss, which sums
/// over every alignment of the transcript to the steps, and decoded greedily (the best symbol at
/// each step, repeats merged, blanks dropped) or by prefix beam search.
public final class SpeechRecognizer: Module {
  /// The architecture and features.
  public let configuration: SpeechRecognizerConfiguration
  let rnn: RecurrentNetwork
  let output: Linear
  let dropout: Dropout
  private let symbols: [Character: Int]

  /// A new model of `configuration`, initialised from `seed`.
  public init(configuration: SpeechRecognizerConfiguration, seed: UInt64 = 0) throws {
    let c = configuration
    guard c.stack > 0, c.layers > 0, c.hidden > 0, !c.alphabet.isEmpty, c.features.dimension > 0 else {
      throw ModelFileError(file: "config.json", field: "model", message: "a size that is not positive")
    }
    guard c.alphabet.allSatisfy({ $0.count == 1 }), Set(c.alphabet).count == c.alphabet.count else {
      throw ModelFileError(
        file: "config.json", field: "model.alphabet",
        message: "the alphabet must be distinct single characters")
    }
    self.configuration = c
    rnn = RecurrentNetwork(
      kind: c.cell, inputSize: c.inputSize, hiddenSize: c.hidden, layers: c.layers,
      bidirectional: c.bidirectional,
      dropout: c.layers > 1 ? c.dropout : 0, seed: seed)
    output = Linear(c.hidden * (c.bidirectional ? 2 : 1), c.classes, seed: seed &+ 1)
    dropout = Dropout(c.dropout, seed: seed &+ 2)
    symbols = Dictionary(uniqueKeysWithValues: c.alphabet.enumerated().map { (Character($1), $0 + 1) })
  }

  public var children: [(name: String, value: Any)] {
    [("rnn", rnn), ("output", output), ("dropout", dropout)]
  }

  /// The features of a clip, `[frames][dimension]`: its one channel, or (with `mixDown`) the
  /// mean of its channels; a clip of several channels is otherwise an error.
  public func features(_ clip: AudioClip, mixDown: Bool = false, file: String = "<clip>") throws -> [[Float]]
  {
    try configuration.features(clip, mixDown: mixDown, file: file)
  }

  /// The recurrent steps a clip of `frames` feature frames gives.
  public func steps(frames: Int) -> Int { (frames + configuration.stack - 1) / configuration.stack }

  /// A transcript's symbol ids; a character outside the alphabet, or a transcript longer than
  /// the clip's steps can spell (a repeated letter needs a blank between), is an error.
  public func symbolIDs(_ transcript: String, steps: Int, file: String) throws -> [Int] {
    let ids = try transcript.map { character -> Int in
      guard let id = symbols[character] else {
        throw TranscriptError(
          file: file,
          message: "'\(character)' is not in the model's alphabet (\(configuration.alphabet.joined()))")
      }
      return id
    }
    let needed = ids.count + zip(ids, ids.dropFirst()).filter { $0 == $1 }.count
    guard needed <= steps else {
      throw TranscriptError(
        file: file,
        message:
          "the clip gives \(steps) steps, too few for its \(ids.count)-character transcript (\(needed) needed)"
      )
    }
    return ids
  }

  /// Log-probabilities `[steps, batch, classes]` of a batch of feature sequences, and each
  /// sequence's steps.
  func logProbabilities(_ batch: [[[Float]]]) -> (Tensor, [Int]) {
    let stack = configuration.stack
    let width = configuration.features.dimension
    let lengths = batch.map { steps(frames: $0.count) }
    let longest = lengths.max() ?? 0
    // Time-first, each step's `stack` frames side by side (zeros past a clip's end).
    var values = [Float](repeating: 0, count: longest * batch.count * width * stack)
    for (b, frames) in batch.enumerated() {
      for (f, frame) in frames.enumerated() {
        let (step, slot) = (f / stack, f % stack)
        let offset = ((step * batch.count + b) * stack + slot) * width
        for (k, v) in frame.enumerated() { values[offset + k] = v }
      }
    }
    let x = Tensor(values, shape: [longest, batch.count, width * stack])
    let hidden = rnn(x, lengths: lengths).output
    return (output(dropout(hidden)).logSoftmax(axis: 2), lengths)
  }

  /// The mean CTC loss of a batch (PyTorch's mean: each clip's loss over its transcript's length).
  func loss(_ batch: [[[Float]]], targets: [[Int]]) -> Tensor {
    let (logProbabilities, lengths) = logProbabilities(batch)
    return ctcLoss(logProbabilities, targets: targets, inputLengths: lengths)
  }

  /// The transcripts of feature sequences in evaluation mode: decoded greedily, each with its
  /// words' times from the best path's alignment, or with a `beam` above 1 by prefix beam
  /// search (the most likely text, summed over its paths), helped by a character language
  /// model when `fusion` is given, its words' times from the text's forced alignment (the most
  /// likely path that spells it).
  public func transcribe(features batch: [[[Float]]], beam: Int = 1, fusion: ShallowFusion? = nil)
    -> [Transcript]
  {
    let wasTraining = rnn.isTraining
    eval()
    defer { train(wasTraining) }
    let seconds =
      Double(configuration.stack * configuration.features.hop) / Double(configuration.features.sampleRate)
    return withoutGradients {
      let (logProbabilities, lengths) = logProbabilities(batch)
      if beam > 1 {
        let characters = configuration.alphabet.map { Character($0) }
        let order = fusion?.model.order ?? 1
        let bonus = fusion.map { fusion in
          { (prefix: [Int], symbol: Int) -> Float in
            let history = prefix.suffix(order - 1).map { characters[$0 - 1] }
            return Float(
              fusion.weight * fusion.model.logProbability(characters[symbol - 1], after: history)
                + fusion.reward)
          }
        }
        let texts = ctcPrefixBeamSearch(logProbabilities, inputLengths: lengths, beam: beam, bonus: bonus)
        let alignments = ctcForcedAlignment(logProbabilities, targets: texts, inputLengths: lengths)
        // A text the beam found has a path, so it has an alignment; without one, no times.
        return zip(texts, alignments).map { text, aligned in
          aligned.map { transcript($0, seconds: seconds) }
            ?? Transcript(text: text.map { configuration.alphabet[$0 - 1] }.joined(), words: [])
        }
      }
      return ctcGreedyAlignment(logProbabilities, inputLengths: lengths).map {
        transcript($0, seconds: seconds)
      }
    }
  }

  /// The transcript of aligned symbols, each with the first and last step that wrote it; a
  /// word spans its letters' steps, `seconds` a step.
  private func transcript(_ aligned: [(symbol: Int, first: Int, last: Int)], seconds: Double) -> Transcript {
    var words: [Transcript.Word] = []
    var current: (text: String, first: Int, last: Int)?
    for (symbol, first, last) in aligned {
      let character = configuration.alphabet[symbol - 1]
      if character == " " {
        if let word = current { words.append(Transcript.Word(word.text, word.first, word.last, seconds)) }
        current = nil
      } else if current == nil {
        current = (character, first, last)
      } else {
        current!.text += character
        current!.last = last
      }
    }
    if let word = current { words.append(Transcript.Word(word.text, word.first, word.last, seconds)) }
    return Transcript(text: aligned.map { configuration.alphabet[$0.symbol - 1] }.joined(), words: words)
  }

  /// log P(transcript | clip): the log of the summed probability of every path that spells the
  /// transcript (the negative CTC loss), in evaluation mode: how much the model believes a text.
  public func logLikelihood(_ transcript: String, features: [[Float]]) throws -> Double {
    let wasTraining = rnn.isTraining
    eval()
    defer { train(wasTraining) }
    return try withoutGradients {
      let (logProbabilities, lengths) = logProbabilities([features])
      let ids = try symbolIDs(transcript, steps: lengths[0], file: "<transcript>")
      return -Double(ctcLoss(logProbabilities, targets: [ids], inputLengths: lengths, reduction: .sum).item)
    }
  }

  /// The transcripts of clips (mixed down to one channel when `mixDown`; see
  /// ``transcribe(features:beam:fusion:)`` for `beam`).
  public func transcribe(_ clips: [AudioClip], mixDown: Bool = false, beam: Int = 1) throws -> [Transcript] {
    try transcribe(features: clips.map { try features($0, mixDown: mixDown) }, beam: beam)
  }

  static let task = "speech-recognition"

  /// Saves the model as a model directory: `config.json` (the features and alphabet among the
  /// architecture) and `model.safetensors`.
  public func save(to directory: URL) throws {
    try ModelDirectory.write(
      configuration: ModelDirectory.SavedConfiguration(task: Self.task, model: configuration),
      tokenizers: [], model: self, to: directory)
  }

  /// Loads a model saved by ``save(to:)``.
  public convenience init(contentsOf directory: URL) throws {
    let saved = try ModelDirectory.architecture(
      SpeechRecognizerConfiguration.self, task: Self.task, in: directory)
    try ModelDirectory.check(
      ModelDirectory.recurrentSizes(
        "rnn", hidden: ("hidden", saved.hidden), input: ("features", saved.inputSize),
        layers: ("layers", saved.layers)),
      dropout: saved.dropout, in: directory)
    do {
      try self.init(configuration: saved)
    } catch { throw ModelDirectory.located(error, in: directory) }
    try ModelDirectory.loadWeights(into: self, from: directory)
    eval()
  }
}

extension SpeechRecognizer: SavedTaskModel {}

/// What a recogniser heard in a clip.
public struct Transcript: Sendable, Codable, Equatable {
  /// The text.
  public var text: String
  /// Its words, with the seconds they span in the clip (from the steps that wrote their letters).
  public var words: [Word]

  /// A word and its time.
  public struct Word: Sendable, Codable, Equatable {
    public var word: String
    public var start: Double, end: Double

    init(_ word: String, _ first: Int, _ last: Int, _ secondsPerStep: Double) {
      // In milliseconds, the steps' precision being tens of them.
      (self.word, start, end) = (
        word, (Double(first) * secondsPerStep * 1000).rounded() / 1000,
        (Double(last + 1) * secondsPerStep * 1000).rounded() / 1000
      )
    }
  }
}

import Foundation
import GlossaData
import GlossaNN
import GlossaTensor
import GlossaText
import TestSupport
import Testing

@testable import GlossaModels

/// Sampling on hand-made distributions.
@Suite struct SamplingTests {
  let logits: [Float] = [2, 1, 0.5, 3, -1]  // most likely: 3, 0, 1, 2, 4

  @Test func topKDrawsOnlyTheKMostLikely() {
    var sampling = Sampling()
    sampling.topK = 2
    let p = sampling.distribution(logits: logits, previous: [])
    #expect(p[2] == 0 && p[1] == 0 && p[4] == 0 && abs(p[3] + p[0] - 1) < 1e-6)
    #expect(abs(p[3] / p[0] - Float(exp(1.0))) < 1e-4)  // the kept ones keep their ratio
    var generator = SeededGenerator(seed: 1)
    let drawn = Set(
      (0..<500).map { _ in sampling.choose(logits: logits, previous: [], generator: &generator) })
    #expect(drawn == [3, 0])
  }

  /// The top-k search that skips eight scores at a time gives the k best of a full sort, ties
  /// to the lower id, over lengths that are and are not multiples of eight.
  @Test func theMostLikelyAreThoseOfAFullSort() {
    var generator = SeededGenerator(seed: 3)
    for length in [203, 1000, 5371] {
      // Few distinct values, so that ties are many; some tokens suppressed (−∞).
      let values = (0..<length).map { _ -> Float in
        let draw = Int(generator.next() % 64)
        return draw == 0 ? -.infinity : Float(draw % 37) * 0.25
      }
      for count in [1, 7, 40, length / 4 - 1] {
        let sorted = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        #expect(Sampling.mostLikely(values, count) == Array(sorted.prefix(count)), "\(length) \(count)")
      }
    }
  }

  @Test func topPKeepsTheSmallestSetReachingP() {
    let softmax = logits.map { exp(Double($0)) }
    let total = softmax.reduce(0, +)
    var sampling = Sampling()
    sampling.topP = (softmax[3] + softmax[0]) / total - 1e-6  // just below the top two's share
    let p = sampling.distribution(logits: logits, previous: [])
    #expect(p.enumerated().filter { $0.element > 0 }.map(\.offset).sorted() == [0, 3])
    sampling.topP = 0.01  // at least the best token stays
    #expect(sampling.distribution(logits: logits, previous: []) == [0, 0, 0, 1, 0])
    var generator = SeededGenerator(seed: 2)
    sampling.topP = 0.9
    let allowed = Set(
      sampling.distribution(logits: logits, previous: []).enumerated().filter { $0.element > 0 }.map(\.offset)
    )
    #expect(
      (0..<300).allSatisfy { _ in
        allowed.contains(sampling.choose(logits: logits, previous: [], generator: &generator))
      })
  }

  /// Without top-k or top-p every token may be drawn: softmax(logits / T), and draws that
  /// follow it.
  @Test func plainSamplingDrawsFromTheSoftmaxOfEveryToken() {
    var sampling = Sampling()
    sampling.temperature = 0.7
    let e = logits.map { exp(Double($0) / 0.7) }
    let expected = e.map { $0 / e.reduce(0, +) }
    let p = sampling.distribution(logits: logits, previous: [])
    #expect(zip(p, expected).allSatisfy { abs(Double($0) - $1) < 1e-6 }, "\(p) vs \(expected)")
    var generator = SeededGenerator(seed: 5)
    var counts = [Int](repeating: 0, count: logits.count)
    let draws = 20_000
    for _ in 0..<draws { counts[sampling.choose(logits: logits, previous: [], generator: &generator)] += 1 }
    for (id, count) in counts.enumerated() {
      #expect(
        abs(Double(count) / Double(draws) - expected[id]) < 0.015, "token \(id): \(counts) vs \(expected)")
    }
  }

  @Test func aSuppressedTokenIsNeverChosen() {
    var sampling = Sampling()
    sampling.suppressedTokens = [3]
    let p = sampling.distribution(logits: logits, previous: [])
    #expect(p[3] == 0 && abs(p.reduce(0, +) - 1) < 1e-5)
    sampling.temperature = 0
    #expect(sampling.distribution(logits: logits, previous: []) == [1, 0, 0, 0, 0])  // the next best
  }

  @Test func punctuationAndApostrophesAttachToTheirWord() {
    #expect(
      LanguageModel.joinsWithoutSpace(".", after: "said") && LanguageModel.joinsWithoutSpace("?!", after: "x")
    )
    #expect(
      LanguageModel.joinsWithoutSpace("'", after: "elizabeth")
        && LanguageModel.joinsWithoutSpace("s", after: "'"))
    #expect(LanguageModel.joinsWithoutSpace("word", after: "("))
    #expect(
      !LanguageModel.joinsWithoutSpace("she", after: ",")
        && !LanguageModel.joinsWithoutSpace("\"", after: "."))
  }

  @Test func temperatureZeroIsGreedyAndThePenaltyLowersRepeats() {
    var sampling = Sampling()
    sampling.temperature = 0
    #expect(sampling.distribution(logits: logits, previous: []) == [0, 0, 0, 1, 0])
    sampling.repetitionPenalty = 2
    // 3 → 1.5, below 2: token 0 becomes the best.
    #expect(sampling.distribution(logits: logits, previous: [3]) == [1, 0, 0, 0, 0])
    sampling.temperature = 1
    let plain = Sampling().distribution(logits: logits, previous: [4])
    let penalised = sampling.distribution(logits: logits, previous: [4])
    #expect(penalised[4] < plain[4])  // a negative score is multiplied
  }
}

/// The language model trained end to end on a page of Jane Austen.
@Suite struct LanguageModelTests {
  func files() -> (train: [URL], validation: [URL], folder: URL) {
    let folder = ModelFixtures.temporary("lm-data")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let lines = (try? readLines(of: ModelFixtures.austen)) ?? []
    let (train, validation) = (
      folder.appendingPathComponent("train.txt"), folder.appendingPathComponent("valid.txt")
    )
    try? (lines.prefix(260).joined(separator: "\n") + "\n").write(
      to: train, atomically: true, encoding: .utf8)
    try? (lines.dropFirst(260).joined(separator: "\n") + "\n").write(
      to: validation, atomically: true, encoding: .utf8)
    return ([train], [validation], folder)
  }

  func settings(epochs: Int) -> LanguageModelTraining {
    var training = LanguageModelTraining()
    training.architecture.layers = 2
    training.architecture.hidden = 24
    training.architecture.embeddingDimension = 24
    training.architecture.tieWeights = true
    training.tokenizer = .words(minimumFrequency: 2, vocabularySize: 800, lowercase: true)
    training.batchSize = 8
    training.bptt = 12
    training.trainer.epochs = epochs
    training.trainer.showsProgress = false
    training.seed = 3
    return training
  }

  @Test func theLossFallsAndASavedModelGeneratesTheSame() throws {
    let (train, validation, folder) = files()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("model")
    let (model, result) = try settings(epochs: 3).train(train, validation: validation, output: output)
    let losses = result.epochs.map(\.trainLoss)
    #expect(losses[2] < losses[0], "\(losses)")
    let perplexities = result.epochs.compactMap { $0.validation?["perplexity"] }
    #expect(perplexities.min()! < 800, "validation perplexity \(perplexities) against a vocabulary of 800")
    let loaded = try LanguageModel(contentsOf: output)
    var sampling = Sampling()
    sampling.seed = 9
    sampling.topK = 20
    sampling.maximumTokens = 15
    let (a, b) = (
      model.generate(from: "she was", sampling: sampling),
      loaded.generate(from: "she was", sampling: sampling)
    )
    #expect(a.ids == b.ids && a.ids.count == 15)
    // The same seed, the same text.
    #expect(model.generate(from: "she was", sampling: sampling).text == a.text)
    sampling.seed = 10
    #expect(model.generate(from: "she was", sampling: sampling).ids != a.ids)
    var streamed = ""
    _ = model.generate(from: "she was", sampling: Sampling.greedy(5)) {
      streamed += $0; return true
    }
    #expect(streamed == model.generate(from: "she was", sampling: Sampling.greedy(5)).text)
    let next = loaded.nextTokens(after: "she was", top: 5)
    #expect(next.count == 5 && zip(next, next.dropFirst()).allSatisfy { $0.probability >= $1.probability })
    let v = Corpus(files: validation)
    #expect(try abs(model.perplexity(of: v).perplexity - loaded.perplexity(of: v).perplexity) < 1e-6)
  }

  @Test func theFirstLayersGradientIsMeasuredStepByStep() throws {
    let (train, validation, folder) = files()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (model, _) = try settings(epochs: 1).train(train, validation: validation)
    let text = "she was very happy\nand so was he"
    let tokens = model.ids(line: "she was very happy").count + model.ids(line: "and so was he").count
    let norms = model.hiddenStateGradients(text)
    #expect(norms.count == tokens)
    // ∂(Σ h_T)/∂h_T is all ones: √24 for 24 units; earlier steps get less.
    #expect(abs(norms.last! - Double(24).squareRoot()) < 1e-4 && norms[0] < norms.last!)
    #expect(model.hiddenStateGradients(text, steps: 3).count == 3)
    #expect(model.hiddenStateGradients("").isEmpty)
  }

  @Test func aResumedRunEqualsAnUninterruptedOneBitForBit() throws {
    let (train, validation, folder) = files()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (whole, split) = (folder.appendingPathComponent("whole"), folder.appendingPathComponent("split"))
    _ = try settings(epochs: 2).train(train, validation: validation, output: whole)
    _ = try settings(epochs: 1).train(train, validation: validation, output: split)
    _ = try settings(epochs: 2).train(train, validation: validation, output: split, resume: true)
    let (x, y) = (
      try TrainerTestSupport.checkpointWeights(whole), try TrainerTestSupport.checkpointWeights(split)
    )
    #expect(!x.isEmpty && x.keys.sorted() == y.keys.sorted())
    for (name, tensor) in x { #expect(tensor.scalars == y[name]?.scalars, "\(name) differs") }
  }
}

@Suite struct LanguageModelStepperTests {
  /// An untrained model over 40 made-up words (`w0` … `w38` and the end token).
  static func model(_ cell: RecurrentKind, tied: Bool) throws -> LanguageModel {
    var words = ["<eos>": 0]
    for k in 1..<40 { words["w\(k - 1)"] = k }
    var configuration = LanguageModelConfiguration()
    (configuration.cell, configuration.layers, configuration.hidden) = (cell, 2, 16)
    (configuration.embeddingDimension, configuration.vocabularySize, configuration.tieWeights) = (
      16, 40, tied
    )
    let file = try TokenizerFile.data(
      for: WordLevelModel(vocabulary: words, unknownToken: "w0"), lowercase: false)
    return try LanguageModel(configuration: configuration, tokenizerFile: file, seed: 5)
  }

  /// The scores after the last of `ids` from the model's call over the whole sequence (in
  /// evaluation mode: no dropout).
  static func wholeSequenceScores(_ model: LanguageModel, _ ids: [Int]) -> Tensor {
    model.eval()
    let logits = withoutGradients { model(ids, steps: ids.count, batch: 1, state: nil).logits }
    return logits.slice(axis: 0, range: (ids.count - 1)..<ids.count).reshaped([
      model.configuration.vocabularySize
    ])
  }

  @Test(arguments: [(RecurrentKind.lstm, false), (.gru, true), (.rnnTanh, false)])
  func aTokenAtATimeScoresAsTheWholeSequence(_ cell: RecurrentKind, _ tied: Bool) throws {
    let model = try Self.model(cell, tied: tied)
    let (prompts, next) = ([[0, 3, 7], [0, 12]], [[5, 9], [1, 30], [39, 0]])
    let stepper = LanguageModel.Stepper(model: model)
    for prompt in prompts { stepper.append(prompt: prompt) }
    for (row, prompt) in prompts.enumerated() {
      #expect(
        mismatch(
          Tensor(stepper.logits(row: row), shape: [40]), Self.wholeSequenceScores(model, prompt),
          relative: 1e-5,
          absolute: 1e-6) == nil)
    }
    var sequences = prompts
    for ids in next {
      stepper.step(ids)
      for row in 0..<2 {
        sequences[row].append(ids[row])
        let whole = Self.wholeSequenceScores(model, sequences[row])
        #expect(
          mismatch(
            Tensor(stepper.logits(row: row), shape: [40]), whole, relative: 1e-5, absolute: 1e-6) == nil,
          "\(cell) row \(row) after \(sequences[row])")
      }
    }
    // A sequence leaves: the other keeps its scores and steps on alone.
    stepper.keep(rows: [1])
    stepper.step([4])
    let whole = Self.wholeSequenceScores(model, sequences[1] + [4])
    #expect(
      mismatch(Tensor(stepper.logits(row: 0), shape: [40]), whole, relative: 1e-5, absolute: 1e-6) == nil)
  }

  @Test func generationGivesTheTokensOfTheWholeSequencePath() throws {
    let model = try Self.model(.lstm, tied: false)
    // Weights well away from zero, so that the best token leads the next by far more than
    // float rounding (checked below): greedy choice is then the same on either path.
    for parameter in model.parameters() { parameter.assign(parameter * 12) }
    let generated = model.generate(from: "w3 w17", sampling: Sampling.greedy(25)).ids
    // The same greedy choice, reading the whole sequence again for every token.
    var ids = model.promptIDs("w3 w17")
    var expected: [Int] = []
    for _ in 0..<25 {
      let scores = Self.wholeSequenceScores(model, ids).scalars
      let best = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
      let runnerUp = scores.indices.filter { $0 != best }.map { scores[$0] }.max()!
      #expect(scores[best] - runnerUp > 1e-3, "a near tie after \(ids)")
      expected.append(best)
      ids.append(best)
    }
    #expect(generated == expected)
  }
}

extension Sampling {
  /// Greedy decoding of `tokens` tokens.
  static func greedy(_ tokens: Int) -> Sampling {
    var sampling = Sampling()
    sampling.temperature = 0
    sampling.maximumTokens = tokens
    return sampling
  }
}

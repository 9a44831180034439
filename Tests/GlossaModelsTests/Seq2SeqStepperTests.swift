import Foundation
import GlossaNN
import GlossaTensor
import GlossaText
import TestSupport
import Testing

@testable import GlossaModels

/// The decoder stepper that greedy decoding and beam search run on, against the training
/// path's step (tensors, the memory of one sentence alone), for every kind of attention.
@Suite struct Seq2SeqStepperTests {
  /// An untrained model over made-up words: two decoder layers, a bidirectional encoder.
  static func model(_ cell: RecurrentKind, _ attention: AttentionKind?) throws -> Seq2Seq {
    var words: [String: Int] = [:]
    for (k, token) in Seq2Seq.specialTokens.enumerated() { words[token] = k }
    for k in 0..<26 { words["w\(k)"] = k + 4 }
    let file = try TokenizerFile.data(
      for: WordLevelModel(vocabulary: words, unknownToken: "<unk>"), lowercase: false)
    var configuration = Seq2SeqConfiguration()
    (configuration.cell, configuration.layers, configuration.hidden) = (cell, 2, 12)
    (configuration.embeddingDimension, configuration.attention) = (attention == .luongDot ? 12 : 8, attention)
    let model = try Seq2Seq(
      configuration: configuration, sourceTokenizer: file, targetTokenizer: file, seed: 3)
    // Weights larger than the initial ones, so that attention's weights are far from uniform.
    for parameter in model.parameters() { parameter.assign(parameter * 3) }
    model.eval()
    return model
  }

  /// The log-probabilities and attention weights after the last of `history` for `source`
  /// decoded alone, by the training path's step.
  static func alone(_ model: Seq2Seq, _ source: [Int], _ history: [Int]) -> (Tensor, Tensor?) {
    withoutGradients {
      let (memory, initial) = model.encode([source])
      var state = initial
      var result: (Tensor, Tensor?) = (Tensor.zeros([1]), nil)
      for token in history {
        let (output, next, weights) = model.step(
          model.targetEmbedding([token], shape: [1]), state: state, memory: memory)
        state = next
        result = (model.generator(output).logSoftmax(axis: 1), weights)
      }
      return result
    }
  }

  @Test(arguments: [
    (RecurrentKind.gru, AttentionKind?.some(.bahdanau)), (.lstm, .luongGeneral), (.gru, .luongDot),
    (.lstm, nil),
  ])
  func stepsAsTheTrainingPathWithRowsReorderedAndRepeated(_ cell: RecurrentKind, _ attention: AttentionKind?)
    throws
  {
    let model = try Self.model(cell, attention)
    let sources = [[4, 5, 6], [7, 8], [9, 10, 11, 12, 13]]
    let decoder = Seq2Seq.DecoderStepper(model: model, sources: sources)
    let V = model.configuration.targetVocabularySize
    // Each row's history of fed tokens, and the rows kept before each step after the first.
    var histories = sources.indices.map { _ in [model.startID] }
    let steps: [(kept: [Int], tokens: [Int])] = [
      ([0, 1, 2], [model.startID, model.startID, model.startID]), ([2, 0, 0, 1], [5, 6, 7, 8]),
      ([3, 1], [9, 29]), ([1], [12]),
    ]
    for (k, step) in steps.enumerated() {
      if k > 0 {
        decoder.keep(rows: step.kept)
        histories = step.kept.map { histories[$0] }
        for r in histories.indices { histories[r].append(step.tokens[r]) }
      }
      decoder.step(k == 0 ? step.tokens : histories.map { $0.last! })
      #expect(decoder.rows == histories.count)
      if k == 1 {
        // Two rows of one sentence after different tokens: the comparison is not of equal rows.
        #expect(decoder.logProbabilities[V..<(2 * V)] != decoder.logProbabilities[(2 * V)..<(3 * V)])
      }
      for (row, sentence) in decoder.sentences.enumerated() {
        let (expected, weights) = Self.alone(model, sources[sentence], histories[row])
        let actual = Tensor(Array(decoder.logProbabilities[(row * V)..<((row + 1) * V)]), shape: [1, V])
        #expect(
          mismatch(actual, expected, relative: 1e-5, absolute: 1e-5) == nil,
          "\(cell) \(String(describing: attention)) row \(row) after \(histories[row])")
        if let weights {
          let length = sources[sentence].count
          let start = row * decoder.sourceSteps
          let rowWeights = Array(decoder.weights[start..<(start + decoder.sourceSteps)])
          #expect(
            mismatch(
              Tensor(Array(rowWeights.prefix(length)), shape: [1, length]),
              weights.slice(axis: 1, range: 0..<length), relative: 1e-5, absolute: 1e-6) == nil)
          #expect(rowWeights.dropFirst(length).allSatisfy { $0 == 0 })
        }
      }
    }
  }
}

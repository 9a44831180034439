import Foundation
import GlossaNN
import GlossaTensor
import GlossaText

/// How a finished hypothesis's log-probability log P(Y) is normalised by its length |Y| (its
/// tokens, the end token included), so that beam search does not favour short translations.
public enum LengthPenalty: Sendable, Equatable {
  /// log P(Y) itself.
  case none
  /// log P(Y) / |Y|.
  case average
  /// GNMT's (Wu et al., 2016): log P(Y) / ((5 + |Y|) / 6)^α.
  case gnmt(alpha: Double)

  /// The normalised score.
  public func apply(_ logProbability: Double, length: Int) -> Double {
    switch self {
    case .none: logProbability
    case .average: logProbability / Double(max(length, 1))
    case .gnmt(let alpha): logProbability / Foundation.pow((5 + Double(length)) / 6, alpha)
    }
  }
}

/// How the decoder chooses the translation's tokens.
public enum DecodingStrategy: Sendable, Equatable {
  /// The most likely token at each step.
  case greedy
  /// Beam search: the `size` most likely partial translations are kept at each step.
  case beam(size: Int)
}

/// The settings of decoding.
public struct DecodingOptions: Sendable {
  /// Greedy or beam search.
  public var strategy = DecodingStrategy.beam(size: 5)
  /// The length normalisation of beam search's finished hypotheses.
  public var lengthPenalty = LengthPenalty.gnmt(alpha: 0.6)
  /// A translation has at most `ratio · source tokens + offset` tokens.
  public var maximumLengthRatio = 2.0
  public var maximumLengthOffset = 10
  /// No n-gram of this length appears twice in a hypothesis (nil: no blocking).
  public var blockRepeatedNGrams: Int? = nil
  /// Whether a source longer than the model's limit is cut (otherwise it is an error).
  public var truncate = false
  /// Sentences decoded together.
  public var batchSize = 32
  /// Whether each translation keeps its attention weights.
  public var keepsAttention = false

  /// The defaults: beam 5, GNMT length penalty 0.6.
  public init() {}
}

/// A translated sentence.
public struct Translation: Sendable {
  /// The translation's text.
  public var text: String
  /// Its tokens and their ids (without the end token).
  public var tokens: [String]
  public var ids: [Int]
  /// The source's tokens as the model read them.
  public var sourceTokens: [String]
  /// The log-probability of the translation (and its end token) under the model, and the score
  /// beam search ranked it by (after the length penalty).
  public var logProbability: Double
  public var score: Double
  /// The attention weights, a row per output token (the end token's last) over the source
  /// tokens, when asked for and the model attends.
  public var attention: [[Float]]?
}

extension Seq2Seq {
  /// A sentence as ``translate(_:options:)`` reads it: its token ids, or the error that makes
  /// it refuse the sentence (``TranslationInputError``: empty, or too long without `truncate`).
  public func translationSource(_ sentence: String, truncate: Bool = false) throws -> [Int] {
    let ids = try sourceIDs(sentence, truncate: truncate)
    guard !ids.isEmpty else { throw TranslationInputError.emptySource }
    return ids
  }

  /// The translations of `sentences`, decoded in batches in evaluation mode. Each sentence's
  /// translation is the same whatever else is in its batch.
  public func translate(_ sentences: [String], options: DecodingOptions = DecodingOptions()) throws
    -> [Translation]
  {
    let sources = try sentences.map { try translationSource($0, truncate: options.truncate) }
    let wasTraining = encoder.isTraining
    eval()
    defer { train(wasTraining) }
    // The batches are decoded side by side, one per thread, each at most the batch size and
    // small enough that every thread gets one (a batch translates each sentence as it would
    // alone, so how the sentences are spread changes nothing).
    let size = max(1, min(options.batchSize, (sources.count + BLAS.threads - 1) / BLAS.threads))
    let chunks = stride(from: 0, to: sources.count, by: size).map {
      Array(sources[$0..<min($0 + size, sources.count)])
    }
    let decoded = concurrentMap(chunks.count) { k in withoutGradients { decode(chunks[k], options: options) }
    }
    var results: [Translation] = []
    for (chunk, hypotheses) in zip(chunks, decoded) {
      for (source, hypothesis) in zip(chunk, hypotheses) {
        let tokens = hypothesis.ids.map { targetTokenizer.model.token(for: $0) ?? "" }
        results.append(
          Translation(
            text: detokenize(hypothesis.ids), tokens: tokens, ids: hypothesis.ids,
            sourceTokens: source.map { sourceTokenizer.model.token(for: $0) ?? "" },
            logProbability: hypothesis.logProbability, score: hypothesis.score,
            attention: options.keepsAttention && attention != nil ? hypothesis.attention : nil))
      }
    }
    return results
  }

  /// The text of target ids: the tokenizer's decoder for subwords; for whole words, spaces
  /// between them except where punctuation attaches.
  func detokenize(_ ids: [Int]) -> String {
    guard targetTokenizer.model is WordLevelModel else { return targetTokenizer.decode(ids) }
    var text = ""
    var previous = ""
    for id in ids {
      guard let token = targetTokenizer.model.token(for: id), !Self.specialTokens.contains(token) else {
        continue
      }
      if !text.isEmpty && !LanguageModel.joinsWithoutSpace(token, after: previous) { text += " " }
      text += token
      previous = token
    }
    return text
  }

  /// A decoded hypothesis.
  struct Hypothesis {
    var ids: [Int]
    var logProbability: Double
    var score: Double
    var attention: [[Float]]
  }

  /// The hypotheses of a batch of source ids, by the options' strategy.
  func decode(_ sources: [[Int]], options: DecodingOptions) -> [Hypothesis] {
    switch options.strategy {
    case .greedy: greedy(sources, options: options)
    case .beam(let size): beamSearch(sources, beam: max(1, size), options: options)
    }
  }

  /// The most a translation of `source` may have.
  func maximumLength(_ source: [Int], _ options: DecodingOptions) -> Int {
    max(1, Int(options.maximumLengthRatio * Double(source.count)) + options.maximumLengthOffset)
  }

  /// Greedy decoding: at each step every unfinished sentence takes its most likely token.
  func greedy(_ sources: [[Int]], options: DecodingOptions) -> [Hypothesis] {
    let decoder = DecoderStepper(model: self, sources: sources)
    var results = sources.map { _ in Hypothesis(ids: [], logProbability: 0, score: 0, attention: []) }
    var previous = [Int](repeating: startID, count: sources.count)
    let vocabulary = configuration.targetVocabularySize
    while decoder.rows > 0 {
      decoder.step(previous)
      var kept: [Int] = []
      decoder.logProbabilities.withUnsafeBufferPointer { p in
        for (row, sentence) in decoder.sentences.enumerated() {
          let scores = p.baseAddress! + row * vocabulary
          let best = topTokens(scores, vocabulary, count: 1, excluding: [])[0]
          results[sentence].logProbability += Double(scores[best])
          if attention != nil {
            results[sentence].attention.append(attentionRow(decoder, row, sources[sentence].count))
          }
          if best == endID { continue }
          results[sentence].ids.append(best)
          if results[sentence].ids.count < maximumLength(sources[sentence], options) { kept.append(row) }
        }
      }
      decoder.keep(rows: kept)
      previous = decoder.sentences.map { results[$0].ids.last! }
    }
    for i in results.indices {
      let length = results[i].ids.count + (results[i].ids.count < maximumLength(sources[i], options) ? 1 : 0)
      results[i].score = options.lengthPenalty.apply(results[i].logProbability, length: length)
    }
    return results
  }

  /// Row `row`'s attention weights of the last step, cut to its source's `length`.
  private func attentionRow(_ decoder: DecoderStepper, _ row: Int, _ length: Int) -> [Float] {
    let start = row * decoder.sourceSteps
    return Array(decoder.weights[start..<(start + length)])
  }

  /// Beam search, batched: each sentence keeps the `beam` best partial translations; of the
  /// 2·beam best extensions, those among the first `beam` that end the sentence are finished
  /// (scored with the length penalty), and the best others go on. A sentence is done when it has
  /// `beam` finished hypotheses, or at its maximum length (its live hypotheses then finish as
  /// they are); its best finished hypothesis is the translation. With a beam of 1 this is greedy
  /// decoding.
  func beamSearch(_ sources: [[Int]], beam: Int, options: DecodingOptions) -> [Hypothesis] {
    let decoder = DecoderStepper(model: self, sources: sources)
    struct Live {
      var ids: [Int]
      var logProbability: Double
      var attention: [[Float]]
    }
    var finished = sources.map { _ in [Hypothesis]() }
    // Each sentence starts with one live hypothesis (its row), the others come from it; the
    // decoder's rows are the live hypotheses, sentence by sentence.
    var live = sources.indices.map { _ in [Live(ids: [], logProbability: 0, attention: [])] }
    var alive = Array(sources.indices)
    let vocabulary = configuration.targetVocabularySize
    while !alive.isEmpty {
      decoder.step(alive.flatMap { live[$0].map { $0.ids.last ?? startID } })
      var parents: [Int] = []
      var stillAlive: [Int] = []
      decoder.logProbabilities.withUnsafeBufferPointer { p in
        var row = 0
        for sentence in alive {
          // The 2·beam best (score, row, token) over the sentence's live hypotheses.
          var candidates: [(score: Double, row: Int, token: Int)] = []
          let firstRow = row
          for hypothesis in live[sentence] {
            let scores = p.baseAddress! + row * vocabulary
            let blocked = blockedTokens(hypothesis.ids, options.blockRepeatedNGrams)
            for token in topTokens(scores, vocabulary, count: 2 * beam, excluding: blocked) {
              candidates.append((hypothesis.logProbability + Double(scores[token]), row, token))
            }
            row += 1
          }
          candidates.sort { ($0.score, -$0.row, -$0.token) > ($1.score, -$1.row, -$1.token) }
          let limit = maximumLength(sources[sentence], options)
          var extended: [Live] = []
          var extendedRows: [Int] = []
          for (rank, candidate) in candidates.prefix(2 * beam).enumerated() {
            let parent = live[sentence][candidate.row - firstRow]
            var attention = parent.attention
            if self.attention != nil, options.keepsAttention {
              attention.append(attentionRow(decoder, candidate.row, sources[sentence].count))
            }
            if candidate.token == endID {
              if rank < beam {
                finished[sentence].append(
                  Hypothesis(
                    ids: parent.ids, logProbability: candidate.score,
                    score: options.lengthPenalty.apply(candidate.score, length: parent.ids.count + 1),
                    attention: attention))
              }
            } else if extended.count < beam {
              extended.append(
                Live(
                  ids: parent.ids + [candidate.token], logProbability: candidate.score, attention: attention))
              extendedRows.append(candidate.row)
            }
          }
          if finished[sentence].count < beam, let length = extended.first?.ids.count, length >= limit {
            // At the maximum length the live hypotheses finish as they are.
            for hypothesis in extended {
              finished[sentence].append(
                Hypothesis(
                  ids: hypothesis.ids, logProbability: hypothesis.logProbability,
                  score: options.lengthPenalty.apply(hypothesis.logProbability, length: hypothesis.ids.count),
                  attention: hypothesis.attention))
            }
            extended = []
          }
          if finished[sentence].count >= beam || extended.isEmpty {
            live[sentence] = []
          } else {
            live[sentence] = extended
            stillAlive.append(sentence)
            parents += extendedRows
          }
        }
      }
      alive = stillAlive
      // Each hypothesis goes on from its parent's state (a parent may have several).
      decoder.keep(rows: parents)
    }
    return finished.map { hypotheses in
      hypotheses.enumerated().max { a, b in
        a.element.score < b.element.score || (a.element.score == b.element.score && a.offset > b.offset)
      }!.element
    }
  }

  /// The tokens that would repeat an n-gram of `ids` (n = `size`): those that followed an
  /// earlier occurrence of the last n − 1 tokens.
  private func blockedTokens(_ ids: [Int], _ size: Int?) -> Set<Int> {
    guard let size, size > 0, ids.count >= size - 1 else { return [] }
    let suffix = ids.suffix(size - 1)
    var blocked = Set<Int>()
    for start in 0..<max(0, ids.count - size + 1) where ids[start..<(start + size - 1)].elementsEqual(suffix)
    {
      blocked.insert(ids[start + size - 1])
    }
    return blocked
  }

  /// The `count` highest-scoring tokens of a row of `vocabulary` scores (ties to the lower id),
  /// without `excluded`.
  private func topTokens(
    _ scores: UnsafePointer<Float>, _ vocabulary: Int, count: Int, excluding excluded: Set<Int>
  ) -> [Int] {
    var best: [(score: Float, token: Int)] = []
    best.reserveCapacity(count + 1)
    // The score a token must beat to enter: the last kept one's, once `count` are kept.
    var threshold = -Float.infinity
    func consider(_ token: Int) {
      let score = scores[token]
      if best.count == count && score <= threshold { return }
      if !excluded.isEmpty && excluded.contains(token) { return }
      let position = best.firstIndex { score > $0.score } ?? best.count
      best.insert((score, token), at: position)
      if best.count > count { best.removeLast() }
      if best.count == count { threshold = best[count - 1].score }
    }
    // Eight scores at a time: most blocks hold none above the threshold once it is set.
    var token = 0
    let raw = UnsafeRawPointer(scores)
    while token + 8 <= vocabulary {
      let block = raw.loadUnaligned(fromByteOffset: token * 4, as: SIMD8<Float>.self)
      if best.count < count || any(block .> threshold) {
        for k in token..<(token + 8) { consider(k) }
      }
      token += 8
    }
    while token < vocabulary {
      consider(token)
      token += 1
    }
    return best.map(\.token)
  }
}

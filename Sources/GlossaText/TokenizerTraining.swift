import Foundation

/// Why a tokenizer's training could not start.
public enum TokenizerTrainingError: Error, Equatable, CustomStringConvertible {
  /// The corpus holds no words.
  case emptyCorpus
  /// Neither a number of merges nor a vocabulary size was given.
  case noLimit

  public var description: String {
    switch self {
    case .emptyCorpus: "tokenizer training: the corpus has no words"
    case .noLimit: "tokenizer training: give a number of merges or a vocabulary size"
    }
  }
}

/// Trains a tokenizer of any supported kind from corpus texts, with the pipeline that
/// kind uses: words for BPE and word-level models, GPT-2's byte-level pieces for
/// byte-level BPE, BERT's normalizer and pieces for WordPiece.
public struct TokenizerTraining: Sendable {
  /// The kinds of model that can be trained.
  public enum Kind: String, Sendable, CaseIterable {
    case bpe, byteBPE = "byte-bpe", wordPiece = "wordpiece", unigram, wordLevel = "wordlevel"
  }

  /// The model to train.
  public var kind: Kind
  /// The vocabulary size to stop at (special and unknown tokens included).
  public var vocabularySize: Int?
  /// For BPE: how many merges to learn.
  public var merges: Int?
  /// Pairs (BPE) or words (word-level) seen fewer times are left out.
  public var minimumFrequency = 1
  /// For BPE: the end-of-word marker.
  public var endOfWord: EndOfWord = .symbol("_")
  /// Tokens put first in the vocabulary.
  public var specialTokens: [String] = []
  /// The unknown token of the trained model.
  public var unknownToken = "[UNK]"
  /// Whether the corpus is lowercased first (and the tokenizer lowercases).
  public var lowercase = false

  public init(kind: Kind) { self.kind = kind }

  /// The pipeline around the trained model.
  public var pipeline: TokenizerFile.Pipeline {
    switch kind {
    case .bpe, .wordLevel: .words
    case .byteBPE: .byteLevel
    case .wordPiece: .bert
    case .unigram: .metaspace
    }
  }

  /// Trains on the texts (each a file's contents); `onMerge` sees BPE merges as they come.
  public func train(_ texts: [String], onMerge: ((BPETrainer.Step) -> Void)? = nil) throws
    -> any TokenizerModel
  {
    try train(wordCounts: countWords(texts), onMerge: onMerge)
  }

  /// Trains on words already counted, in order of first appearance: for BPE and word-level
  /// models the `Whitespace` pieces a ``WordCounter`` counts (of lowercased text when
  /// ``lowercase`` is set), so that a corpus can be counted as a stream instead of read whole.
  public func train(
    wordCounts words: [(word: String, count: Int)], onMerge: ((BPETrainer.Step) -> Void)? = nil
  ) throws -> any TokenizerModel {
    guard !words.isEmpty else { throw TokenizerTrainingError.emptyCorpus }
    switch kind {
    case .unigram:
      var trainer = UnigramTrainer(vocabularySize: vocabularySize ?? 8000)
      trainer.unknownToken = unknownToken
      trainer.specialTokens = specialTokens
      return try trainer.train(wordCounts: words)
    case .wordLevel:
      let vocabulary = Vocabulary(
        counts: words.map { ($0.word, $0.count) }, specialTokens: specialTokens, unknownToken: unknownToken,
        minimumFrequency: minimumFrequency, maximumSize: vocabularySize)
      return WordLevelModel(
        vocabulary: Dictionary(
          uniqueKeysWithValues: vocabulary.tokens.enumerated().map { ($0.element, $0.offset) }),
        unknownToken: unknownToken)
    case .bpe, .byteBPE, .wordPiece:
      var trainer = BPETrainer(
        endOfWord: kind == .bpe ? endOfWord : .none, merges: merges, vocabularySize: vocabularySize,
        minimumFrequency: minimumFrequency, unknownToken: unknownToken, specialTokens: specialTokens)
      if kind == .byteBPE {
        trainer.initialAlphabet = ByteLevel.byteToScalar.map { String($0) }
        trainer.unknownToken = nil  // every byte is in the alphabet
      }
      if kind == .wordPiece { trainer.continuingPrefix = "##" }
      let bpe = try trainer.train(wordCounts: words, onMerge: onMerge)
      return kind == .wordPiece
        ? WordPieceModel(vocabulary: bpe.vocabulary.ids, unknownToken: unknownToken) : bpe
    }
  }

  /// Distinct training words with counts, in order of first appearance.
  func countWords(_ texts: [String]) -> [(word: String, count: Int)] {
    if kind == .bpe || kind == .wordLevel {
      return WordCounter.count(
        lowercase ? texts.map { $0.lowercased() } : texts,
        threads: ProcessInfo.processInfo.activeProcessorCount)
    }
    // Line by line, so that no more than a line's alignment is held at once.
    let normalizer: (any Normalizer)? =
      kind == .wordPiece ? BertNormalizer(lowercase: lowercase) : (lowercase ? Lowercase() : nil)
    let preTokenizer: any PreTokenizer =
      switch kind {
      case .wordPiece: BertPreTokenizer()
      case .unigram: Metaspace()
      default: ByteLevel()
      }
    var index: [String: Int] = [:]
    var words: [(word: String, count: Int)] = []
    for text in texts {
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var normalized = NormalizedText(kind == .unigram ? String(line) : String(line) + "\n")
        normalizer?.normalize(&normalized)
        for piece in preTokenizer.split(normalized) {
          let word = piece.text
          if let i = index[word] {
            words[i].count += 1
          } else {
            index[word] = words.count
            words.append((word, 1))
          }
        }
      }
    }
    return words
  }
}

import Testing

@testable import GlossaText

/// The encoder's shortcuts held to the plain definitions: BPE merging with ranks kept up to
/// date against a from-scratch merge loop, the ASCII path and the memo against the general
/// path, and a memo that grows and restarts against a fresh encoding of every piece.
@Suite struct EncodingPathTests {
  var random = TestRandom(seed: 2024)
  mutating func next(_ n: Int) -> Int { random.next(n) }

  /// Words over a small alphabet (so that merges stack up), some with unknown characters.
  mutating func words(_ count: Int) -> [String] {
    let alphabet = Array("abcdeabcaab")
    return (0..<count).map { _ in
      String((0..<(1 + next(9))).map { _ in next(40) == 0 ? "x" : alphabet[next(alphabet.count)] })
    }
  }

  /// The merge loop as the lecture runs it: find the earliest-learned adjacent pair among
  /// the symbols' texts, merge its every occurrence left to right, repeat.
  func plainMerges(_ word: String, _ model: BPEModel) -> [String] {
    var symbols = word.map(String.init) + (model.endOfWord == .symbol("_") ? ["_"] : [])
    symbols = symbols.map { model.id(of: $0) == nil ? model.unknownToken! : $0 }
    let rank = Dictionary(
      model.merges.enumerated().map { ("\($0.element.left) \($0.element.right)", $0.offset) }
    ) {
      min($0, $1)
    }
    while symbols.count > 1 {
      let ranked = (0..<(symbols.count - 1)).compactMap { i in rank["\(symbols[i]) \(symbols[i + 1])"] }
      guard let best = ranked.min() else { break }
      let merge = model.merges[best]
      var merged: [String] = []
      var i = 0
      while i < symbols.count {
        if i + 1 < symbols.count && symbols[i] == merge.left && symbols[i + 1] == merge.right {
          merged.append(merge.result)
          i += 2
        } else {
          merged.append(symbols[i])
          i += 1
        }
      }
      symbols = merged
    }
    return symbols
  }

  @Test mutating func bpeMergesEqualThePlainLoop() throws {
    let model = try BPETrainer(endOfWord: .symbol("_"), merges: 60).train(words: words(2000))
    for word in words(2000) {
      #expect(model.encode(word: word) == plainMerges(word, model), "\(word)")
    }
  }

  @Test mutating func asciiPathAndMemoEqualTheGeneralPath() throws {
    let model = try BPETrainer(merges: 60).train(words: words(2000))
    let fast = Tokenizer(normalizer: nil, preTokenizer: WhitespacePreTokenizer(), model: model)
    var general = Tokenizer(normalizer: nil, preTokenizer: WhitespacePreTokenizer(), model: model)
    general.takesShortcuts = false
    let texts = (0..<300).map { i in
      words(12).joined(separator: [" ", ", ", "  ", "!", " é "][i % 5])
    }
    for text in texts + texts {  // the second time from the memo
      #expect(fast.encode(text) == general.encode(text), "\(text)")
    }
    #expect(fast.encode(batch: texts, threads: 2) == texts.map(general.encode))
  }

  @Test mutating func aGrowingMemoGivesEveryPieceItsOwnTokens() throws {
    let model = try BPETrainer(merges: 60).train(words: words(2000))
    let tokenizer = Tokenizer(normalizer: nil, preTokenizer: WhitespacePreTokenizer(), model: model)
    // Thousands of distinct pieces: the memo grows several times.
    let pieces = Set(words(20_000).map { $0 + "\(next(1000))" })
    for piece in pieces {
      #expect(tokenizer.encode(piece).tokens == model.tokenize(Array(piece.unicodeScalars)).map(\.text))
    }
  }

  @Test func changingTheModelForgetsTheMemo() {
    var tokenizer = Tokenizer(
      normalizer: nil, preTokenizer: WhitespacePreTokenizer(),
      model: WordLevelModel(vocabulary: ["[UNK]": 0, "hello": 1], unknownToken: "[UNK]"))
    #expect(tokenizer.encode("hello").ids == [1])
    tokenizer.model = WordLevelModel(vocabulary: ["[UNK]": 0, "hello": 7], unknownToken: "[UNK]")
    #expect(tokenizer.encode("hello").ids == [7])
  }
}

/// One vocabulary type for every token ↔ id map: dense and sparse ids, counts, byte lookups,
/// copies that do not share what one of them adds.
@Suite struct VocabularyTests {
  @Test func findsTokensByDenseAndSparseIDs() {
    let dense = Vocabulary(ids: ["a": 0, "b": 1, "c": 3])
    #expect([0, 1, 2, 3, 4, -1].map(dense.token) == ["a", "b", nil, "c", nil, nil])
    #expect(dense.ids == ["a": 0, "b": 1, "c": 3] && dense.tokens == ["a", "b", "c"])
    // One id in the billions: no array of that size, the same answers.
    let sparse = Vocabulary(ids: ["a": 0, "z": 2_000_000_000])
    #expect([0, 2_000_000_000, 1, -1].map(sparse.token) == ["a", "z", nil, nil])
    #expect(sparse.id(of: "z") == 2_000_000_000 && sparse.count == 2)
  }

  @Test func looksTokensUpByTheirBytesAndKeepsCounts() {
    let vocabulary = Vocabulary(["the", "über", "the", "cat"], counts: [5, 2, 9, 1], unknownToken: nil)
    #expect(vocabulary.tokens == ["the", "über", "cat"])
    #expect(vocabulary.counts == [5, 2, 1])  // a repeated token keeps its first id and count
    #expect(Array("über".utf8).withUnsafeBufferPointer { vocabulary.id(utf8: $0) } == 1)
    #expect(Array("dog".utf8).withUnsafeBufferPointer { vocabulary.id(utf8: $0) } == nil)
    #expect(vocabulary.unknownID == nil && vocabulary.encode(["cat", "dog"]) == [2])
  }

  @Test func aCopyDoesNotSeeWhatTheOtherAdds() {
    var first = Vocabulary(["a", "b"])
    let second = first
    #expect(first.add("c") == 3)  // after a, b and <unk>
    #expect(first.id(of: "c") == 3 && second.id(of: "c") == nil && second.count == 3)
    #expect(first != second)
  }

  @Test func countedVocabulariesRankByFrequencyThenFirstAppearance() {
    #expect(Vocabulary.frequencyOrder([1, 3, 3, 2, 3]) == [1, 2, 4, 3, 0])
    let counted = Vocabulary(
      counts: [("x", 1), ("y", 3), ("z", 3)], specialTokens: ["<pad>"], unknownToken: "<unk>")
    #expect(counted.tokens == ["<pad>", "<unk>", "y", "z", "x"])
    #expect(counted.counts == [0, 0, 3, 3, 1])
  }
}

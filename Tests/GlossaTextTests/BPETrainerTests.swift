import GlossaText
import Testing

/// The incremental trainer against a plain one that recounts every pair before each merge.
@Suite struct BPETrainerTests {
  /// The plain algorithm with the same tie rule: highest count, then the earliest
  /// (word, character) position at which the pair was ever seen.
  func plainMerges(_ words: [String], merges: Int, marker: String) -> [BPEModel.Merge] {
    var order: [String] = []
    var counts: [String: Int] = [:]
    for w in words {
      if counts[w] == nil { order.append(w) }
      counts[w, default: 0] += 1
    }
    // Each word: (symbol, character position of its start).
    var split = order.map { word in
      (word.map(String.init) + [marker]).enumerated().map { ($0.element, $0.offset) }
    }
    var firstSeen: [BPEModel.Merge: Int] = [:]
    var learned: [BPEModel.Merge] = []
    for _ in 0..<merges {
      var pairCounts: [BPEModel.Merge: Int] = [:]
      for (w, symbols) in split.enumerated() {
        for i in 0..<(symbols.count - 1) {
          let pair = BPEModel.Merge(symbols[i].0, symbols[i + 1].0)
          pairCounts[pair, default: 0] += counts[order[w]]!
          firstSeen[pair] = min(firstSeen[pair] ?? .max, w << 20 | symbols[i].1)
        }
      }
      guard
        let best = pairCounts.max(by: { a, b in
          a.value != b.value ? a.value < b.value : firstSeen[a.key]! > firstSeen[b.key]!
        })
      else { break }
      learned.append(best.key)
      split = split.map { symbols in
        var merged: [(String, Int)] = []
        var i = 0
        while i < symbols.count {
          if i + 1 < symbols.count && symbols[i].0 == best.key.left && symbols[i + 1].0 == best.key.right {
            merged.append((best.key.result, symbols[i].1))
            i += 2
          } else {
            merged.append(symbols[i])
            i += 1
          }
        }
        return merged
      }
    }
    return learned
  }

  @Test func incrementalCountsMatchRecounting() throws {
    var state: UInt64 = 12345
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33)
    }
    // Short words over a small alphabet, skewed towards a few: many equal counts.
    let words = (0..<3000).map { _ in
      String((0..<(1 + next() % 6)).map { _ in Array("abcdeab")[next() % 7] })
    }
    let incremental = try BPETrainer(endOfWord: .symbol("_"), merges: 80).train(words: words).merges
    #expect(incremental == plainMerges(words, merges: 80, marker: "_"))
  }
}

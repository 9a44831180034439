import Testing

@testable import GlossaText

/// Word counting for training, on one thread or several: the same words, counts and
/// first-appearance order either way.
@Suite struct WordCounterTests {
  /// Counted by one counter over all the texts.
  func counted(_ texts: [String]) -> [(word: String, count: Int)] {
    let counter = WordCounter()
    for text in texts { counter.add(Array(text.utf8)) }
    return counter.words
  }

  @Test func threadsCountAsOneCounterDoes() {
    var state: UInt64 = 3
    let vocabulary = ["the", "cat", "sat", "on", "a", "mat", "naïve", "東京", "don't", ",", "!"]
    let lines = (0..<400).map { line in
      (0..<(line % 13)).map { _ -> String in
        state = state &* 6_364_136_223_846_793_005 &+ 1
        // Later lines bring words the earlier ones lack, so the merge's order matters.
        let reach = min(vocabulary.count, 3 + line / 50)
        return vocabulary[Int(state >> 33) % reach] + (line % 7 == 0 ? " w\(line)" : "")
      }.joined(separator: " ")
    }
    let texts = [lines[..<250].joined(separator: "\n"), lines[250...].joined(separator: "\n"), "", "x"]
    let expected = counted(texts)
    // Parts of any size (split), and of the default 1 MB (these texts are then counted whole).
    for partBytes in [1, 1 << 20] {
      for threads in 1...4 {
        let words = WordCounter.count(texts, threads: threads, partBytes: partBytes)
        #expect(words.map(\.word) == expected.map(\.word), "\(threads) threads, \(partBytes)-byte parts")
        #expect(words.map(\.count) == expected.map(\.count), "\(threads) threads, \(partBytes)-byte parts")
      }
    }
  }

  @Test func partsEndAtLineEnds() {
    for text in ["", "no line feed", "a\nb\nc\n", "long first line here\nb", "\n\n\n\n"] {
      let bytes = Array(text.utf8)
      for parts in 1...4 {
        let ranges = bytes.withUnsafeBufferPointer { lineAlignedParts($0, parts) }
        #expect(ranges.count <= parts)
        #expect(ranges.first?.lowerBound ?? 0 == 0 && ranges.last?.upperBound ?? 0 == bytes.count)
        for (a, b) in zip(ranges, ranges.dropFirst()) {
          #expect(a.upperBound == b.lowerBound && bytes[a.upperBound - 1] == 0x0A)
        }
      }
    }
  }
}

import GlossaModels
import Testing

/// Character and word error rates from the fewest edits, on cases worked out by hand.
@Suite struct ErrorRateTests {
  @Test func wordErrorsAreCountedByKind() {
    let rate = ErrorRate(
      hypotheses: ["the cat sat on", "a dog", ""], references: ["the cat sat", "the dog barked", "hello"],
      unit: .word)
    // one insertion; one substitution and one deletion; one deletion, over 3 + 3 + 1 words.
    #expect((rate.substitutions, rate.deletions, rate.insertions) == (1, 2, 1))
    #expect(rate.referenceLength == 7)
    #expect(abs(rate.rate - 4.0 / 7) < 1e-12)
    #expect(rate.description == "WER = 57.14% (S 1, D 2, I 1, N 7)")
  }

  @Test func characterErrorsCountSpacesAndEveryEdit() {
    // kitten → sitting: k→s, e→i, +g.
    let rate = ErrorRate(hypotheses: ["sitting"], references: ["kitten"], unit: .character)
    #expect((rate.substitutions, rate.deletions, rate.insertions) == (2, 0, 1))
    #expect(abs(rate.rate - 0.5) < 1e-12)
    let spaced = ErrorRate(hypotheses: ["ab"], references: ["a b"], unit: .character)
    #expect((spaced.deletions, spaced.rate) == (1, 1.0 / 3))
  }

  @Test func aPerfectMatchAndEmptyReferences() {
    #expect(ErrorRate(hypotheses: ["same words"], references: ["same words"], unit: .word).rate == 0)
    #expect(ErrorRate(hypotheses: [""], references: [""], unit: .character).rate == 0)
    #expect(ErrorRate(hypotheses: ["x"], references: [""], unit: .character).rate == .infinity)
  }
}

import Foundation
import GlossaModels
import Testing

/// The character language model's probabilities: a distribution in every context, frequent
/// continuations likelier, and saved and loaded unchanged.
@Suite struct CharacterNGramModelTests {
  let model = CharacterNGramModel(
    order: 3, alphabet: Array("abcdeht "), lines: ["the cat ate the hat", "a bad cat", "the the the"])

  @Test func everyContextGivesADistribution() {
    for history in ["", "t", "th", "the ", "zz", "ca", "qqqq"] {
      let total = model.alphabet.reduce(0.0) { $0 + exp(model.logProbability($1, after: Array(history))) }
      #expect(abs(total - 1) < 1e-9, "after '\(history)': \(total)")
      for character in model.alphabet {
        #expect(model.logProbability(character, after: Array(history)) > -.infinity)
      }
    }
  }

  @Test func frequentContinuationsAreLikelier() {
    #expect(model.logProbability("e", after: Array("th")) > model.logProbability("a", after: Array("th")))
    #expect(model.logProbability("t", after: Array("")) > model.logProbability("d", after: Array("")))
    // "a" after "c" (in "cat") is seen; after "h" it follows only in "hat".
    #expect(model.logProbability("a", after: Array(" c")) > model.logProbability("e", after: Array(" c")))
  }

  @Test func aSavedModelIsTheSame() throws {
    let data = try JSONEncoder().encode(model)
    #expect(try JSONDecoder().decode(CharacterNGramModel.self, from: data) == model)
  }
}

import Foundation
import GlossaModels
import Testing

/// BLEU and chrF against sacreBLEU 2.6.0's values on hand-made cases and on perturbed Spanish
/// translations (Fixtures/make_sacrebleu_cases.py).
struct TranslationMetricsTests {
  struct Case: Decodable {
    let hypotheses: [String]
    let references: [[String]]
    let bleu: Double, bp: Double, chrf: Double
    let precisions: [Double]
    let sys_len: Int, ref_len: Int
    let counts: [Int], totals: [Int]
    let bleu_text: String, bleu_signature: String, chrf_text: String, chrf_signature: String
  }
  struct Fixture: Decodable {
    let sacrebleu: String
    let cases: [Case]
    let tokenized: [[String]]
  }

  static let fixture: Fixture = {
    let url = ModelFixtures.folder.appendingPathComponent("sacrebleu_cases.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  @Test func tokenizationIsMteval13a() {
    for pair in Self.fixture.tokenized {
      #expect(BLEU.tokenize13a(pair[0]) == pair[1], "\(pair[0].debugDescription)")
    }
  }

  @Test func bleuMatchesSacreBLEU() throws {
    #expect(Self.fixture.sacrebleu == BLEU.sacreBLEUVersion)
    for c in Self.fixture.cases {
      let bleu = try BLEU(hypotheses: c.hypotheses, references: c.references)
      #expect(abs(bleu.score - c.bleu) < 1e-9, "\(c.hypotheses)")
      #expect(abs(bleu.brevityPenalty - c.bp) < 1e-12)
      #expect(zip(bleu.precisions, c.precisions).allSatisfy { abs($0 - $1) < 1e-9 }, "\(c.hypotheses)")
      #expect((bleu.counts, bleu.totals) == (c.counts, c.totals), "\(c.hypotheses)")
      #expect((bleu.hypothesisLength, bleu.referenceLength) == (c.sys_len, c.ref_len))
      #expect(bleu.description == c.bleu_text)
      #expect(bleu.signature == c.bleu_signature)
    }
  }

  @Test func chrfMatchesSacreBLEU() throws {
    for c in Self.fixture.cases {
      let chrf = try CHRF(hypotheses: c.hypotheses, references: c.references)
      #expect(abs(chrf.score - c.chrf) < 1e-9, "\(c.hypotheses)")
      #expect(chrf.description == c.chrf_text)
      #expect(chrf.signature == c.chrf_signature)
    }
  }

  @Test func streamsOfAnotherLengthAreAnError() {
    #expect(throws: MetricInputError.self) { try BLEU(hypotheses: ["a", "b"], references: [["a"]]) }
    #expect(throws: MetricInputError.self) { try CHRF(hypotheses: ["a"], references: []) }
  }
}

import Foundation
import GlossaNN
import GlossaTensor
import Testing

/// The CRF against brute-force enumeration over every tag sequence of short sentences.
@Suite struct CRFTests {
  let steps = 4, batch = 3, tags = 3
  let lengths = [4, 2, 3]

  func emissions(seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.uniform([steps, batch, tags], low: -2, high: 2, generator: &g)
  }

  /// score(y) written out from the definition.
  func score(_ crf: CRF, _ e: Tensor, _ b: Int, _ y: [Int]) -> Double {
    let (start, end, trans, x) = (
      crf.startTransitions.scalars, crf.endTransitions.scalars, crf.transitions.scalars, e.scalars
    )
    var total = Double(start[y[0]]) + Double(end[y[y.count - 1]])
    for (t, tag) in y.enumerated() { total += Double(x[(t * batch + b) * tags + tag]) }
    for t in 1..<y.count { total += Double(trans[y[t - 1] * tags + y[t]]) }
    return total
  }

  /// Every sequence of `length` tags.
  func all(_ length: Int) -> [[Int]] {
    (0..<Int(pow(Double(tags), Double(length)))).map { n in
      (0..<length).map { (n / Int(pow(Double(tags), Double($0)))) % tags }
    }
  }

  @Test func theLikelihoodAndViterbiPathEqualBruteForce() {
    let crf = CRF(tags: tags, seed: 3)
    let e = emissions(seed: 4)
    var gold = [Int](repeating: 0, count: steps * batch)
    var generator = SeededGenerator(seed: 5)
    for k in gold.indices { gold[k] = Int(generator.next() % UInt64(tags)) }
    let likelihood = crf.logLikelihood(e, tags: gold, lengths: lengths).scalars
    let decoded = crf.decode(e, lengths: lengths)
    for b in 0..<batch {
      let sequences = all(lengths[b])
      let scores = sequences.map { score(crf, e, b, $0) }
      let m = scores.max()!
      let partition = m + log(scores.map { exp($0 - m) }.reduce(0, +))
      let y = (0..<lengths[b]).map { gold[$0 * batch + b] }
      #expect(abs(Double(likelihood[b]) - (score(crf, e, b, y) - partition)) < 1e-4, "sequence \(b)")
      let best = sequences[scores.indices.max { scores[$0] < scores[$1] }!]
      #expect(decoded[b] == best, "sequence \(b): Viterbi \(decoded[b]), brute force \(best)")
    }
  }

  @Test func theLikelihoodPassesTheGradientCheck() {
    let crf = CRF(tags: tags, seed: 6)
    let e = emissions(seed: 7)
    let gold = (0..<(steps * batch)).map { ($0 * 7 + 1) % tags }
    let result = GradientCheck.check(
      [e, crf.transitions, crf.startTransitions, crf.endTransitions], epsilon: 1e-2
    ) {
      inputs in
      crf.logLikelihood(inputs[0], tags: gold, lengths: lengths)
    }
    #expect(result.maxError < 2e-2, "\(result)")
    #expect(crf.namedParameters().map(\.name) == ["start_transitions", "end_transitions", "transitions"])
  }

  @Test func logSumExpIsStableAndItsGradientIsTheSoftmax() {
    let x = Tensor(rows: [[1000, 1000], [-1000, 0]])
    #expect(abs(x.logSumExp(axis: 1).scalars[0] - (1000 + log(2))) < 1e-3)
    #expect(abs(x.logSumExp(axis: 1).scalars[1]) < 1e-6)
    var g = SeededGenerator(seed: 8)
    let y = Tensor.uniform([3, 4], low: -3, high: 3, generator: &g)
    let result = GradientCheck.check([y], epsilon: 1e-2) { $0[0].logSumExp(axis: 0) }
    #expect(result.maxError < 1e-2, "\(result)")
  }
}

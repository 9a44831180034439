import Foundation
import GlossaNN
import GlossaTensor
import TestSupport
import Testing

/// The CTC loss against PyTorch's `ctc_loss` fixtures, against brute force over every path, and
/// its gradient against central differences.
@Suite struct CTCTests {
  func logits(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -2, high: 2, generator: &g)
  }

  @Test func torchFixtures() throws {
    guard let cases = try Fixtures.torchCases(where: { $0 == "ctc_loss" }) else { return }
    #expect(!cases.isEmpty)
    for entry in cases {
      let name = entry["file"] as? String ?? "?"
      let file = try Fixtures.torchFile(entry)
      let logits = try file.required("logits")
      let padded = try #require(try file.integers("targets"))
      let targetLengths = try #require(try file.integers("target_lengths"))
      let inputLengths = try #require(try file.integers("input_lengths"))
      let width = padded.count / targetLengths.count
      let targets = targetLengths.enumerated().map { b, length in
        Array(padded[(b * width)..<(b * width + length)])
      }
      let blank = entry["blank"] as? Int ?? 0
      logits.requiresGrad = true
      let logProbabilities = logits.logSoftmax(axis: 2)
      expectClose(logProbabilities, try file.required("log_probs"), .forward, "\(name) log_probs")
      let perSequence = ctcLoss(
        logProbabilities, targets: targets, inputLengths: inputLengths, blank: blank, reduction: .none)
      expectClose(perSequence, try file.required("loss_per_sequence"), .forward, "\(name) loss_per_sequence")
      let loss = ctcLoss(logProbabilities, targets: targets, inputLengths: inputLengths, blank: blank)
      expectClose(loss, try file.required("loss"), .forward, "\(name) loss")
      loss.backward()
      expectClose(logits.grad, try file.required("grad.logits"), .gradient, "\(name) grad.logits")
    }
  }

  /// −log Σ P(path) over all classes^T paths that collapse (repeats merged, blanks dropped) to
  /// the target.
  func bruteForce(_ logProbabilities: [Float], steps: Int, classes: Int, target: [Int], blank: Int) -> Double
  {
    var total = 0.0
    var path = [Int](repeating: 0, count: steps)
    for code in 0..<Int(pow(Double(classes), Double(steps))) {
      var rest = code
      for t in 0..<steps {
        path[t] = rest % classes
        rest /= classes
      }
      var collapsed: [Int] = []
      for (t, symbol) in path.enumerated() where symbol != blank && (t == 0 || path[t - 1] != symbol) {
        collapsed.append(symbol)
      }
      guard collapsed == target else { continue }
      total += exp(path.enumerated().reduce(0.0) { $0 + Double(logProbabilities[$1.0 * classes + $1.1]) })
    }
    return -log(total)
  }

  @Test(arguments: [([1, 2], 0), ([2, 2], 0), ([1], 2), ([], 0), ([1, 1, 2], 0)])
  func theLossSumsEveryPathToTheTarget(target: [Int], blank: Int) {
    let (steps, classes) = (5, 3)
    let logProbabilities = logits([steps, 1, classes], seed: UInt64(target.count * 10 + blank)).logSoftmax(
      axis: 2)
    let loss = ctcLoss(
      logProbabilities, targets: [target], inputLengths: [steps], blank: blank, reduction: .sum)
    let expected = bruteForce(
      logProbabilities.scalars, steps: steps, classes: classes, target: target, blank: blank)
    #expect(
      abs(Double(loss.item) - expected) < 1e-4 * max(1, abs(expected)),
      "\(target): \(loss.item) vs \(expected)")
  }

  @Test(arguments: [Reduction.mean, .sum, .none])
  func gradientsPassTheChecker(reduction: Reduction) {
    let x = logits([6, 3, 5], seed: 9)
    let result = GradientCheck.check([x], epsilon: 1e-2) { inputs in
      ctcLoss(
        inputs[0].logSoftmax(axis: 2), targets: [[1, 2], [3, 3, 4], []], inputLengths: [6, 5, 3],
        reduction: reduction)
    }
    #expect(result.maxError < 1e-2, "\(reduction): \(result)")
  }

  @Test func greedyDecodingMergesRepeatsAndDropsBlanks() {
    // Best symbols by step: 1 1 0 1 2 2 0 | 3 (sequence 0, 7 steps); 2 0 0 2 (sequence 1, 4).
    let best = [[1, 2], [1, 0], [0, 0], [1, 2], [2, 3], [2, 3], [0, 3]]
    var scores = [Float](repeating: 0, count: 7 * 2 * 4)
    for (t, row) in best.enumerated() {
      for (b, symbol) in row.enumerated() { scores[(t * 2 + b) * 4 + symbol] = 1 }
    }
    let decoded = ctcGreedyDecode(Tensor(scores, shape: [7, 2, 4]), inputLengths: [7, 4])
    #expect(decoded == [[1, 1, 2], [2, 2]])
  }

  /// Two steps of p(blank) = 0.6, p(a) = 0.4: the best path is two blanks (0.36), but "a" has
  /// three paths (0.16 + 0.24 + 0.24 = 0.64). Greedy decoding says nothing; the beam says "a".
  @Test func prefixBeamSearchSumsATextsPaths() {
    let row: [Float] = [log(0.6), log(0.4)]
    let scores = Tensor(row + row, shape: [2, 1, 2])
    #expect(ctcGreedyDecode(scores, inputLengths: [2]) == [[]])
    #expect(ctcPrefixBeamSearch(scores, inputLengths: [2], beam: 4) == [[1]])
  }

  /// A bonus per symbol (a language model's) changes which text ranks first, not the paths:
  /// "ab" (0.9 · 0.55) beats "a" (0.9 · 0.45) until b is penalised.
  @Test func aBonusReranksThePrefixes() {
    let steps: [[Float]] = [[0.05, 0.9, 0.05], [0.45, 0.0001, 0.55]]
    let scores = Tensor(steps.flatMap { $0.map { log($0) } }, shape: [2, 1, 3])
    #expect(ctcPrefixBeamSearch(scores, inputLengths: [2], beam: 4) == [[1, 2]])
    let penalised = ctcPrefixBeamSearch(scores, inputLengths: [2], beam: 4) { _, symbol in
      symbol == 2 ? -5 : 0
    }
    #expect(penalised == [[1]])
  }

  /// With a beam wide enough to keep every prefix, the search finds the most likely text, as
  /// brute force over every path finds it; a narrow beam finds a text at least as likely as
  /// greedy decoding's.
  @Test func aWideBeamFindsTheMostLikelyText() {
    let (steps, classes) = (4, 3)
    for seed in 0..<20 {
      let logProbabilities = logits([steps, 1, classes], seed: UInt64(seed) + 50).logSoftmax(axis: 2)
      var texts: [[Int]: Double] = [:]
      let p = logProbabilities.scalars
      for code in 0..<Int(pow(Double(classes), Double(steps))) {
        var (rest, path) = (code, [Int]())
        for _ in 0..<steps {
          path.append(rest % classes)
          rest /= classes
        }
        var text: [Int] = []
        for (t, s) in path.enumerated() where s != 0 && (t == 0 || path[t - 1] != s) { text.append(s) }
        texts[text, default: 0] += exp(
          path.enumerated().reduce(0.0) { $0 + Double(p[$1.0 * classes + $1.1]) })
      }
      let best = texts.max { $0.value < $1.value }!
      let found = ctcPrefixBeamSearch(logProbabilities, inputLengths: [steps], beam: 100)[0]
      #expect(abs(texts[found]! - best.value) < 1e-6, "seed \(seed): \(found) against \(best.key)")
      let narrow = ctcPrefixBeamSearch(logProbabilities, inputLengths: [steps], beam: 2)[0]
      let greedy = ctcGreedyDecode(logProbabilities, inputLengths: [steps])[0]
      #expect(texts[narrow]! >= texts[greedy]! - 1e-9, "seed \(seed)")
    }
  }

  /// The lattice runs in probabilities, rescaled each step, and falls back to log space for a
  /// sequence whose probabilities leave a Double's range. Lowering every log-probability of one
  /// step by 700 (e^−700 ≈ 10⁻³⁰⁴) forces the fallback; the loss rises by exactly the shift
  /// and the gradient stays the same, so the two lattices must agree (to the log-space one's
  /// Float precision at −700).
  @Test func theScaledLatticeAndTheLogSpaceOneAgree() throws {
    let (steps, batch, classes) = (40, 3, 6)
    let logProbabilities = logits([steps, batch, classes], seed: 21).logSoftmax(axis: 2)
    let targets = [[1, 2, 2, 3, 5], [4], [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 1]]
    let lengths = [40, 31, 40]
    let shifted = Tensor(
      logProbabilities.scalars.enumerated().map { i, x in i / (batch * classes) == 3 ? x - 700 : x },
      shape: logProbabilities.shape)
    func lossesAndGradient(_ input: Tensor) throws -> ([Float], [Float]) {
      input.requiresGrad = true
      let losses = ctcLoss(input, targets: targets, inputLengths: lengths, reduction: .none)
      losses.sum().backward()
      return (losses.scalars, try #require(input.grad).scalars)
    }
    let (reference, referenceGradient) = try lossesAndGradient(logProbabilities)
    let (losses, gradient) = try lossesAndGradient(shifted)
    for b in 0..<batch {
      let expected = reference[b] + 700
      #expect(abs(losses[b] - expected) < 1e-5 * expected, "sequence \(b): \(losses[b]) vs \(expected)")
    }
    let error = zip(gradient, referenceGradient).map { abs($0 - $1) }.max()!
    #expect(error < 2e-4, "gradient \(error)")
    #expect(referenceGradient.contains { $0 != 0 })
  }

  /// The forced alignment is the most likely path that spells the target: its score is the
  /// brute-force maximum over every such path, and for the greedy text it is the greedy path.
  @Test(arguments: [[1, 2], [2, 2], [1], [], [1, 1, 2]])
  func theForcedAlignmentIsTheBestPathToTheTarget(target: [Int]) throws {
    let (steps, classes) = (6, 3)
    let logProbabilities = logits([steps, 1, classes], seed: UInt64(7 + target.count)).logSoftmax(axis: 2)
    let p = logProbabilities.scalars
    let runs = try #require(
      ctcForcedAlignment(logProbabilities, targets: [target], inputLengths: [steps])[0])
    #expect(runs.map(\.symbol) == target)
    var path = [Int](repeating: 0, count: steps)
    for run in runs { for t in run.first...run.last { path[t] = run.symbol } }
    let score = path.enumerated().reduce(0.0) { $0 + Double(p[$1.0 * classes + $1.1]) }
    // Every path of the lattice, by brute force.
    var best = -Double.infinity
    for code in 0..<Int(pow(Double(classes), Double(steps))) {
      let candidate = (0..<steps).map { code / Int(pow(Double(classes), Double($0))) % classes }
      let collapsed = candidate.enumerated().filter { t, c in c != 0 && (t == 0 || candidate[t - 1] != c) }
        .map(\.1)
      guard collapsed == target else { continue }
      best = max(best, candidate.enumerated().reduce(0.0) { $0 + Double(p[$1.0 * classes + $1.1]) })
    }
    #expect(abs(score - best) < 1e-5, "\(target): \(score) vs \(best)")
  }

  @Test func theForcedAlignmentOfTheGreedyTextIsTheGreedyPath() {
    let (steps, batch, classes) = (50, 4, 7)
    let logProbabilities = logits([steps, batch, classes], seed: 31).logSoftmax(axis: 2)
    let lengths = [50, 37, 12, 1]
    let greedy = ctcGreedyAlignment(logProbabilities, inputLengths: lengths)
    let forced = ctcForcedAlignment(
      logProbabilities, targets: greedy.map { $0.map(\.symbol) }, inputLengths: lengths)
    for b in 0..<batch {
      #expect(
        forced[b]?.map { [$0.symbol, $0.first, $0.last] } == greedy[b].map { [$0.symbol, $0.first, $0.last] })
    }
    // "a a" needs three steps; two cannot spell it.
    #expect(
      ctcForcedAlignment(logProbabilities, targets: [[1, 1], [], [], []], inputLengths: [2, 0, 3, 1])
        .map { $0?.count } == [nil, 0, 0, 0])
  }

  @Test func anUnreachableTargetIsInfiniteOrZeroWithItsGradient() {
    // "a a" needs a blank between its symbols: three steps, not two.
    let x = logits([4, 2, 3], seed: 4)
    x.requiresGrad = true
    let logProbabilities = x.logSoftmax(axis: 2)
    let targets = [[1, 1], [2]]
    let losses = ctcLoss(logProbabilities, targets: targets, inputLengths: [2, 4], reduction: .none)
    #expect(losses.scalars[0] == .infinity && losses.scalars[1].isFinite)
    let zeroed = ctcLoss(
      logProbabilities, targets: targets, inputLengths: [2, 4], reduction: .sum, zeroInfinity: true)
    #expect(abs(zeroed.item - losses.scalars[1]) < 1e-6)
    zeroed.backward()
    let gradient = x.grad!.scalars
    // Sequence 0 (every step's row b = 0) gets no gradient; steps past sequence 1's length none.
    for t in 0..<4 {
      for c in 0..<3 { #expect(gradient[(t * 2) * 3 + c] == 0) }
    }
    #expect(gradient.contains { $0 != 0 })
  }
}

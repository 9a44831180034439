import GlossaTensor

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Connectionist temporal classification (Graves et al., 2006): the loss of a sequence model
/// whose T outputs are longer than, and not aligned with, its target (speech frames against
/// letters). A path is one symbol per step, the blank among them; removing repeats and then
/// blanks maps it to a target; the loss is −log Σ P(path) over every path that maps to the
/// target, summed by the forward-backward algorithm over the target with a blank before, between
/// and after its symbols (2U + 1 states), in log space.
///
/// `logProbabilities` are log-softmax outputs `[T, batch, classes]` (time first, as PyTorch's
/// `ctc_loss` takes them); sequence b uses its first `inputLengths[b]` steps, and its target is
/// `targets[b]` (symbols other than the blank). Reductions: `.none` gives each sequence's loss,
/// `.sum` their total, `.mean` PyTorch's: each sequence's loss divided by its target's length,
/// then averaged. A target that cannot be reached in its steps has an infinite loss, or a loss
/// and gradient of zero with `zeroInfinity`.
public func ctcLoss(
  _ logProbabilities: Tensor, targets: [[Int]], inputLengths: [Int], blank: Int = 0,
  reduction: Reduction = .mean, zeroInfinity: Bool = false
) -> Tensor {
  require(
    logProbabilities.rank == 3,
    "ctcLoss: log-probabilities \(logProbabilities.shape), expected [T, batch, classes]")
  let (steps, batch, classes) = (
    logProbabilities.shape[0], logProbabilities.shape[1], logProbabilities.shape[2]
  )
  require(
    targets.count == batch && inputLengths.count == batch,
    "ctcLoss: \(targets.count) targets and \(inputLengths.count) input lengths for a batch of \(batch)")
  require(blank >= 0 && blank < classes, "ctcLoss: blank \(blank) is outside 0..<\(classes)")
  for (b, target) in targets.enumerated() {
    require(
      inputLengths[b] >= 0 && inputLengths[b] <= steps,
      "ctcLoss: input length \(inputLengths[b]) of sequence \(b) is outside 0...\(steps)")
    for symbol in target {
      require(
        symbol >= 0 && symbol < classes && symbol != blank,
        "ctcLoss: target symbol \(symbol) of sequence \(b) is the blank or outside 0..<\(classes)")
    }
  }
  // Each sequence alone, side by side on the BLAS threads: its loss and its gradient in the
  // log-probabilities (its own rows of the gradient).
  let gradients = Tensor.zeros(logProbabilities.shape)
  let losses = withExtendedLifetime((logProbabilities, gradients)) {
    concurrentMap(batch) { b in
      let lattice = CTCLattice(
        logProbabilities.baseAddress, steps: inputLengths[b], batch: batch, classes: classes, sequence: b,
        target: targets[b], blank: blank)
      return lattice.scaledLossAndGradient(into: gradients.baseAddress)
        ?? lattice.lossAndGradient(into: gradients.baseAddress, zeroInfinity: zeroInfinity)
    }
  }
  // The weight of each sequence's loss in the reduced loss.
  let weights: [Float] =
    switch reduction {
    case .none, .sum: [Float](repeating: 1, count: batch)
    case .mean: targets.map { 1 / Float(Swift.max($0.count, 1)) / Float(batch) }
    }
  let output: Tensor =
    switch reduction {
    case .none: Tensor(losses, shape: [batch])
    case .sum, .mean: Tensor(scalar: zip(losses, weights).reduce(0) { $0 + $1.0 * $1.1 })
    }
  return Tensor.record(output, op: "ctcLoss", inputs: [logProbabilities]) { g in
    let dx = Tensor(uninitialized: gradients.shape)
    let (source, out, upstream) = (gradients.baseAddress, dx.baseAddress, g.baseAddress)
    for t in 0..<steps {
      for b in 0..<batch {
        let scale = weights[b] * (reduction == .none ? upstream[b] : upstream[0])
        let offset = (t * batch + b) * classes
        for c in 0..<classes { out[offset + c] = source[offset + c] * scale }
      }
    }
    withExtendedLifetime((gradients, g)) {}
    return [dx]
  }
}

/// CTC's greedy (best-path) decoding: the most likely symbol at each of a sequence's steps,
/// repeats merged and blanks dropped. `logProbabilities` (or any scores) are `[T, batch,
/// classes]`; sequence b reads its first `inputLengths[b]` steps.
public func ctcGreedyDecode(_ logProbabilities: Tensor, inputLengths: [Int], blank: Int = 0) -> [[Int]] {
  ctcGreedyAlignment(logProbabilities, inputLengths: inputLengths, blank: blank).map { $0.map(\.symbol) }
}

/// The best path's symbols with the steps each spans (its first and last step of the run of
/// steps that emitted it): the alignment of greedy decoding, for word timings.
public func ctcGreedyAlignment(_ logProbabilities: Tensor, inputLengths: [Int], blank: Int = 0) -> [[(
  symbol: Int, first: Int, last: Int
)]] {
  let (steps, batch, classes) = decodingShape(logProbabilities, inputLengths, "ctcGreedyDecode")
  return logProbabilities.withUnsafeBufferPointer { p in
    (0..<batch).map { b in
      var symbols: [(symbol: Int, first: Int, last: Int)] = []
      var previous = blank
      for t in 0..<Swift.min(inputLengths[b], steps) {
        let row = (t * batch + b) * classes
        var best = 0
        for c in 1..<classes where p[row + c] > p[row + best] { best = c }
        if best != blank {
          if best == previous { symbols[symbols.count - 1].last = t } else { symbols.append((best, t, t)) }
        }
        previous = best
      }
      return symbols
    }
  }
}

/// CTC's prefix beam search (Hannun et al., 2014): the `beam` most likely prefixes after each
/// step, a prefix's probability the sum over every path that collapses to it, kept in two
/// parts: the paths ending in a blank (p_b) and those ending in its last symbol (p_nb). A step's
/// symbol c extends ℓ to ℓc with p(c) (p_b + p_nb), or only p(c) p_b when c repeats ℓ's last
/// symbol (without a blank between, the repeat merges: p_nb(ℓ) gains p(c) p_nb); a blank keeps
/// ℓ, p_b gaining p(blank) (p_b + p_nb). The most likely prefix at the last step is the
/// transcript. Unlike greedy decoding it sums the paths of a text rather than following one.
/// `bonus(ℓ, c)`, when given, is added to the rank of every prefix made by extending ℓ with c
/// (shallow fusion: α log P_LM(c | ℓ) + β, a language model's weight and a reward per symbol).
public func ctcPrefixBeamSearch(
  _ logProbabilities: Tensor, inputLengths: [Int], beam: Int, blank: Int = 0,
  bonus: ((_ prefix: [Int], _ symbol: Int) -> Float)? = nil
) -> [[Int]] {
  let (steps, batch, classes) = decodingShape(logProbabilities, inputLengths, "ctcPrefixBeamSearch")
  require(beam > 0, "ctcPrefixBeamSearch: the beam must be positive")
  // A prefix's paths ending in a blank and in its last symbol (log probabilities), and the sum
  // of the bonuses of its symbols (a language model's, which ranks but does not add paths).
  typealias Scores = (blank: Float, symbol: Float, bonus: Float)
  func rank(_ entry: (key: [Int], value: Scores)) -> Float {
    logAdd(entry.value.blank, entry.value.symbol) + entry.value.bonus
  }
  // Higher first, ties to the shorter then the smaller prefix (a fixed order).
  func before(_ x: (key: [Int], value: Scores), _ y: (key: [Int], value: Scores)) -> Bool {
    let (a, c) = (rank(x), rank(y))
    if a != c { return a > c }
    return x.key.count != y.key.count ? x.key.count < y.key.count : x.key.lexicographicallyPrecedes(y.key)
  }
  return logProbabilities.withUnsafeBufferPointer { p in
    (0..<batch).map { b in
      var prefixes: [[Int]: Scores] = [[]: (0, -.infinity, 0)]
      for t in 0..<Swift.min(inputLengths[b], steps) {
        let row = (t * batch + b) * classes
        var next: [[Int]: Scores] = [:]
        func add(_ prefix: [Int], blank: Float = -.infinity, symbol: Float = -.infinity, bonus: Float) {
          let old = next[prefix] ?? (-.infinity, -.infinity, bonus)
          next[prefix] = (logAdd(old.blank, blank), logAdd(old.symbol, symbol), bonus)
        }
        for (prefix, score) in prefixes {
          let total = logAdd(score.blank, score.symbol)
          add(prefix, blank: total + p[row + blank], bonus: score.bonus)
          for c in 0..<classes where c != blank {
            let y = p[row + c]
            let extended = score.bonus + (bonus?(prefix, c) ?? 0)
            if c == prefix.last {
              add(prefix, symbol: score.symbol + y, bonus: score.bonus)
              add(prefix + [c], symbol: score.blank + y, bonus: extended)
            } else {
              add(prefix + [c], symbol: total + y, bonus: extended)
            }
          }
        }
        prefixes = Dictionary(
          uniqueKeysWithValues: next.sorted(by: before).prefix(beam).map { ($0.key, $0.value) })
      }
      return prefixes.sorted(by: before)[0].key
    }
  }
}

/// The steps, batch and classes of a decoder's scores `[T, batch, classes]`, checked against
/// the input lengths.
private func decodingShape(_ scores: Tensor, _ inputLengths: [Int], _ op: String) -> (Int, Int, Int) {
  require(scores.rank == 3, "\(op): scores \(scores.shape), expected [T, batch, classes]")
  require(
    inputLengths.count == scores.shape[1],
    "\(op): \(inputLengths.count) input lengths for a batch of \(scores.shape[1])")
  return (scores.shape[0], scores.shape[1], scores.shape[2])
}

/// One sequence's CTC lattice: the target with blanks around and between its symbols
/// (l′ = blank, l₁, blank, l₂, …, blank), over its steps.
struct CTCLattice {
  let logProbabilities: UnsafeMutablePointer<Float>
  let steps: Int, batch: Int, classes: Int, sequence: Int
  let labels: [Int]

  init(
    _ logProbabilities: UnsafeMutablePointer<Float>, steps: Int, batch: Int, classes: Int, sequence: Int,
    target: [Int], blank: Int
  ) {
    (self.logProbabilities, self.steps, self.batch, self.classes, self.sequence) = (
      logProbabilities, steps, batch, classes, sequence
    )
    labels = [blank] + target.flatMap { [$0, blank] }
  }

  /// log p_t(l′_s).
  func y(_ t: Int, _ s: Int) -> Float { logProbabilities[(t * batch + sequence) * classes + labels[s]] }

  /// Whether a path may skip from state s − 2 to s: s is a symbol unlike the symbol two back.
  func canSkip(_ s: Int) -> Bool { s >= 2 && labels[s] != labels[0] && labels[s] != labels[s - 2] }

  /// The loss and gradient of ``lossAndGradient(into:zeroInfinity:)``, computed with
  /// probabilities instead of their logs, each step's α and β divided by their sum (Rabiner's
  /// scaling) so that they stay in range: α̂_t(s) = (α̂_(t−1)(s) + α̂_(t−1)(s − 1)
  /// [+ α̂_(t−1)(s − 2) where s may skip]) p_t(l′_s) / c_t, and log p = Σ_t log c_t. The
  /// backward pass keeps β′_t(s) = β_t(s) / p_t(l′_s) (the paths after step t), so that
  /// Σ_s α_t(s) β′_t(s) = p at every step and the gradient is a ratio in which the scales cancel:
  /// −Σ_(s: l′_s = c) α̂_t(s) β̂′_t(s) / Σ_s α̂_t(s) β̂′_t(s). Multiplications and additions
  /// replace a log-add (an exp and a log1p) per transition. Nil when a step's sum leaves the
  /// range of a `Double` (a target that cannot be reached, or probabilities below 10⁻³⁰⁰),
  /// where only the log-space lattice is exact; nothing has been written then.
  func scaledLossAndGradient(into gradient: UnsafeMutablePointer<Float>) -> Float? {
    let states = labels.count
    guard steps > 0 else { return nil }
    // Two zeros before each step's states stand for α̂_(t−1)(−1) and α̂_(t−1)(−2), and two
    // after them for β̂′_(t+1)(S) and β̂′_(t+1)(S + 1): the recursions read them without a branch.
    let width = states + 4
    let tiny = 1e-290
    // p_t(l′_s), and two zeros after the last step's for the backward recursion's reads.
    var probability = [Double](repeating: 0, count: steps * states + 2)
    var alpha = [Double](repeating: 0, count: steps * width)
    var beta = [Double](repeating: 0, count: 2 * width)
    // Each step's gradient, kept apart until every step's sums are known to be in range.
    var shares = [Double](repeating: 0, count: steps * classes)
    // 1 where state s may be reached by a skip from s − 2, else 0; and the same for s + 2.
    let skips = (0..<(states + 2)).map { $0 < states && canSkip($0) ? 1.0 : 0 }
    let logLikelihood = probability.withUnsafeMutableBufferPointer { p -> Double? in
      alpha.withUnsafeMutableBufferPointer { alpha -> Double? in
        beta.withUnsafeMutableBufferPointer { beta -> Double? in
          shares.withUnsafeMutableBufferPointer { shares -> Double? in
            skips.withUnsafeBufferPointer { skips -> Double? in
              labels.withUnsafeBufferPointer { labels -> Double? in
                for t in 0..<steps {
                  let row = logProbabilities + (t * batch + sequence) * classes
                  for s in 0..<states { p[t * states + s] = exp(Double(row[labels[s]])) }
                }
                // Forward.
                var logLikelihood = 0.0
                for t in 0..<steps {
                  let (current, y) = (alpha.baseAddress! + t * width + 2, p.baseAddress! + t * states)
                  if t == 0 {
                    current[0] = y[0]
                    if states > 1 { current[1] = y[1] }
                  } else {
                    let previous = current - width
                    for s in 0..<states {
                      current[s] = (previous[s] + previous[s - 1] + skips[s] * previous[s - 2]) * y[s]
                    }
                  }
                  var sum = 0.0
                  for s in 0..<states { sum += current[s] }
                  guard sum > tiny && sum.isFinite else { return nil }
                  for s in 0..<states { current[s] /= sum }
                  logLikelihood += log(sum)
                }
                let end = alpha.baseAddress! + (steps - 1) * width + 2
                let ending = states > 1 ? end[states - 1] + end[states - 2] : end[0]
                guard ending > tiny else { return nil }
                // Backward, each step's gradient as soon as its β̂′ is known.
                var (next, current) = (beta.baseAddress! + 2, beta.baseAddress! + width + 2)
                current[states - 1] = 1
                if states > 1 { current[states - 2] = 1 }
                for t in stride(from: steps - 1, through: 0, by: -1) {
                  if t < steps - 1 {
                    swap(&next, &current)
                    // β′_t(s) = y_(t+1)(s) β′_(t+1)(s) + y_(t+1)(s + 1) β′_(t+1)(s + 1)
                    // [+ y_(t+1)(s + 2) β′_(t+1)(s + 2) where s + 2 may skip].
                    let y = p.baseAddress! + (t + 1) * states
                    var sum = 0.0
                    for s in 0..<states {
                      current[s] =
                        next[s] * y[s] + next[s + 1] * y[s + 1] + skips[s + 2] * next[s + 2] * y[s + 2]
                      sum += current[s]
                    }
                    guard sum > tiny && sum.isFinite else { return nil }
                    for s in 0..<states { current[s] /= sum }
                  }
                  let a = alpha.baseAddress! + t * width + 2
                  var total = 0.0
                  for s in 0..<states { total += a[s] * current[s] }
                  guard total > tiny else { return nil }
                  let share = shares.baseAddress! + t * classes
                  for s in 0..<states { share[labels[s]] -= a[s] * current[s] / total }
                }
                return logLikelihood + log(ending)
              }
            }
          }
        }
      }
    }
    guard let logLikelihood else { return nil }
    for t in 0..<steps {
      let row = (t * batch + sequence) * classes
      for c in 0..<classes where shares[t * classes + c] != 0 {
        gradient[row + c] = Float(shares[t * classes + c])
      }
    }
    return Float(-logLikelihood)
  }

  /// The loss −log p(target) and, added into `gradient`, its derivative in each of the
  /// sequence's log-probabilities: −Σ_{s: l′_s = c} α_t(s) β_t(s) / (p · p_t(c)), with α and β
  /// both counting step t's symbol (the backward pass's β_t(s) includes p_t(l′_s)).
  func lossAndGradient(into gradient: UnsafeMutablePointer<Float>, zeroInfinity: Bool) -> Float {
    let states = labels.count
    guard steps > 0 else {
      // No steps: only an empty target is reached, with probability 1.
      return states == 1 || zeroInfinity ? 0 : .infinity
    }
    var alpha = [Float](repeating: -.infinity, count: steps * states)
    var beta = [Float](repeating: -.infinity, count: steps * states)
    alpha[0] = y(0, 0)
    if states > 1 { alpha[1] = y(0, 1) }
    for t in 1..<steps {
      for s in 0..<states {
        var total = logAdd(alpha[(t - 1) * states + s], s > 0 ? alpha[(t - 1) * states + s - 1] : -.infinity)
        if canSkip(s) { total = logAdd(total, alpha[(t - 1) * states + s - 2]) }
        alpha[t * states + s] = total + y(t, s)
      }
    }
    let last = (steps - 1) * states
    beta[last + states - 1] = y(steps - 1, states - 1)
    if states > 1 { beta[last + states - 2] = y(steps - 1, states - 2) }
    for t in stride(from: steps - 2, through: 0, by: -1) {
      for s in 0..<states {
        var total = logAdd(
          beta[(t + 1) * states + s], s + 1 < states ? beta[(t + 1) * states + s + 1] : -.infinity)
        if s + 2 < states && canSkip(s + 2) { total = logAdd(total, beta[(t + 1) * states + s + 2]) }
        beta[t * states + s] = total + y(t, s)
      }
    }
    let logLikelihood = states > 1 ? logAdd(alpha[last + states - 1], alpha[last + states - 2]) : alpha[last]
    guard logLikelihood > -.infinity else { return zeroInfinity ? 0 : .infinity }
    // ∂(−log p)/∂ log p_t(c) = −exp(log Σ_{s: l′_s = c} α_t(s) β_t(s) − log p − log p_t(c)).
    var occupancy = [Float](repeating: -.infinity, count: classes)
    for t in 0..<steps {
      for c in occupancy.indices { occupancy[c] = -.infinity }
      for s in 0..<states {
        occupancy[labels[s]] = logAdd(occupancy[labels[s]], alpha[t * states + s] + beta[t * states + s])
      }
      let row = (t * batch + sequence) * classes
      for c in 0..<classes where occupancy[c] > -.infinity {
        gradient[row + c] = -expf(occupancy[c] - logLikelihood - logProbabilities[row + c])
      }
    }
    return -logLikelihood
  }
}

/// log(e^a + e^b), exact when either is −∞.
@inline(__always)
private func logAdd(_ a: Float, _ b: Float) -> Float {
  if a == -.infinity { return b }
  if b == -.infinity { return a }
  let (high, low) = a > b ? (a, b) : (b, a)
  return high + log1pf(expf(low - high))
}

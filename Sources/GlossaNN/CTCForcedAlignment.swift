import GlossaTensor

/// CTC forced alignment: the single most likely path that spells a given target, found by the
/// Viterbi algorithm over the CTC lattice (the forward recursion with a maximum in place of the
/// sum: δ_t(s) = max(δ_(t−1)(s), δ_(t−1)(s − 1) [, δ_(t−1)(s − 2) where s may skip])
/// + log p_t(l′_s), each step remembering which it took), then traced back from the better of
/// the last symbol and the blank after it. Each of the target's symbols gets the first and last
/// step of the run of steps the path spends on it, as ``ctcGreedyAlignment(_:inputLengths:blank:)``
/// gives them for the greedy path: the times of a text found by beam search, or of a known
/// transcript. Nil for a target that cannot be spelled in the sequence's steps.
///
/// `logProbabilities` are `[T, batch, classes]`; sequence b reads its first `inputLengths[b]`
/// steps and is aligned with `targets[b]`.
public func ctcForcedAlignment(
  _ logProbabilities: Tensor, targets: [[Int]], inputLengths: [Int], blank: Int = 0
) -> [[(symbol: Int, first: Int, last: Int)]?] {
  require(
    logProbabilities.rank == 3 && targets.count == logProbabilities.shape[1]
      && inputLengths.count == targets.count,
    "ctcForcedAlignment: log-probabilities \(logProbabilities.shape), expected [T, batch, classes] with "
      + "\(targets.count) targets and \(inputLengths.count) input lengths")
  let (steps, batch, classes) = (
    logProbabilities.shape[0], logProbabilities.shape[1], logProbabilities.shape[2]
  )
  return withExtendedLifetime(logProbabilities) {
    (0..<batch).map { b in
      require(
        targets[b].allSatisfy { $0 >= 0 && $0 < classes && $0 != blank },
        "ctcForcedAlignment: target \(b) holds the blank or a symbol outside 0..<\(classes)")
      return CTCLattice(
        logProbabilities.baseAddress, steps: Swift.min(inputLengths[b], steps), batch: batch,
        classes: classes,
        sequence: b, target: targets[b], blank: blank
      ).bestPath()
    }
  }
}

extension CTCLattice {
  /// The Viterbi path's runs: each target symbol with its first and last step.
  func bestPath() -> [(symbol: Int, first: Int, last: Int)]? {
    let states = labels.count
    guard steps > 0 else { return states == 1 ? [] : nil }
    var score = [Float](repeating: -.infinity, count: states)
    var previous = score
    // The state each (t, s) came from at t − 1.
    var from = [Int32](repeating: 0, count: steps * states)
    score[0] = y(0, 0)
    if states > 1 { score[1] = y(0, 1) }
    for t in 1..<steps {
      swap(&score, &previous)
      for s in 0..<states {
        var (best, source) = (previous[s], s)
        if s > 0 && previous[s - 1] > best { (best, source) = (previous[s - 1], s - 1) }
        if canSkip(s) && previous[s - 2] > best { (best, source) = (previous[s - 2], s - 2) }
        score[s] = best + y(t, s)
        from[t * states + s] = Int32(source)
      }
    }
    var state = states > 1 && score[states - 2] > score[states - 1] ? states - 2 : states - 1
    guard score[state] > -.infinity else { return nil }
    // Traced back, the steps spent in each symbol's state (state 2u + 1 spells the target's
    // u-th symbol); states never decrease along a path, so each symbol's steps are one run.
    var runs: [(position: Int, first: Int, last: Int)] = []
    for t in stride(from: steps - 1, through: 0, by: -1) {
      if state % 2 == 1 {
        if runs.last?.position == state / 2 {
          runs[runs.count - 1].first = t
        } else {
          runs.append((state / 2, t, t))
        }
      }
      if t > 0 { state = Int(from[t * states + state]) }
    }
    return runs.reversed().map { (labels[2 * $0.position + 1], $0.first, $0.last) }
  }
}

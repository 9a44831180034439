import GlossaTensor

/// A linear-chain conditional random field over tags, the output layer of a tagger that
/// scores whole tag sequences instead of each tag alone (Lafferty et al. 2001; as pytorch-crf):
///
///     score(x, y) = start[y₁] + Σₜ emission[t, yₜ] + Σₜ transition[yₜ₋₁, yₜ] + end[y_L]
///     log p(y | x) = score(x, y) − log Σ_y′ exp score(x, y′)
///
/// The normaliser is the forward algorithm, α_t[j] = logsumexp_i(α_{t−1}[i] + transition[i, j])
/// + emission[t, j], written with tensor operations so that autodiff gives its gradient;
/// decoding is batched Viterbi. Emissions are `[steps, batch, tags]` (time-first) and each
/// sequence has its own length: steps past it change nothing.
public final class CRF: Module {
  /// The number of tags.
  public let tags: Int
  /// transition[i, j]: the score of tag j following tag i, `[tags, tags]`.
  public let transitions: Tensor
  /// The score of each tag starting a sequence, and of each ending one, `[tags]`.
  public let startTransitions: Tensor, endTransitions: Tensor

  /// A CRF over `tags` tags, its scores from U(−0.1, 0.1) (pytorch-crf's initialisation).
  public init(tags: Int, seed: UInt64 = 0) {
    require(tags > 0, "CRF: tags must be positive")
    self.tags = tags
    var generator = SeededGenerator(seed: seed)
    func scores(_ shape: [Int]) -> Tensor {
      Tensor.uniform(shape, low: -0.1, high: 0.1, generator: &generator, requiresGrad: true)
    }
    startTransitions = scores([tags])
    endTransitions = scores([tags])
    transitions = scores([tags, tags])
  }

  public var children: [(name: String, value: Any)] {
    [
      ("start_transitions", startTransitions), ("end_transitions", endTransitions),
      ("transitions", transitions),
    ]
  }

  /// log p(tags | emissions) of each sequence, `[batch]`. `tags` are time-first
  /// (`tags[t · batch + b]`), `lengths` each sequence's length (1…steps).
  public func logLikelihood(_ emissions: Tensor, tags sequence: [Int], lengths: [Int]) -> Tensor {
    let (steps, batch) = check(emissions, lengths)
    require(sequence.count == steps * batch, "CRF: \(sequence.count) tags for \(steps) × \(batch) steps")
    return score(emissions, sequence, lengths) - logPartition(emissions, lengths)
  }

  /// The score of the given tag sequences, `[batch]`: each step's emission and transition
  /// picked out over the whole padded batch, the padded steps masked out, summed over time.
  func score(_ emissions: Tensor, _ y: [Int], _ lengths: [Int]) -> Tensor {
    let (steps, batch, K) = (emissions.shape[0], emissions.shape[1], tags)
    let mask = (0..<(steps * batch)).map { $0 / batch < lengths[$0 % batch] ? Float(1) : 0 }
    let tagged = y.enumerated().map { mask[$0.offset] > 0 ? $0.element : 0 }
    let emitted = emissions.reshaped([steps * batch, K]).gather(
      axis: 1, indices: tagged, indexShape: [steps * batch, 1])
    var total = (emitted.reshaped([steps, batch]) * Tensor(mask, shape: [steps, batch])).sum(axis: 0)
    if steps > 1 {
      let moves = (batch..<(steps * batch)).map { tagged[$0 - batch] * K + tagged[$0] }
      let moved = transitions.reshaped([K * K]).indexSelect(axis: 0, indices: moves)
      total =
        total
        + (moved * Tensor(Array(mask[batch...]), shape: [(steps - 1) * batch])).reshaped([steps - 1, batch])
        .sum(axis: 0)
    }
    let first = (0..<batch).map { y[$0] }
    let last = (0..<batch).map { y[(lengths[$0] - 1) * batch + $0] }
    return total + startTransitions.indexSelect(axis: 0, indices: first)
      + endTransitions.indexSelect(axis: 0, indices: last)
  }

  /// log Σ over all tag sequences of exp(score), `[batch]`: the forward algorithm.
  func logPartition(_ emissions: Tensor, _ lengths: [Int]) -> Tensor {
    let (steps, batch, K) = (emissions.shape[0], emissions.shape[1], tags)
    func emission(_ t: Int) -> Tensor { emissions.slice(axis: 0, range: t..<(t + 1)).reshaped([batch, K]) }
    var alpha = startTransitions.reshaped([1, K]) + emission(0)  // [batch, K]
    let moves = transitions.reshaped([1, K, K])
    for t in 1..<max(steps, 1) {
      let next = (alpha.reshaped([batch, K, 1]) + moves).logSumExp(axis: 1) + emission(t)
      // Sequences that have ended keep their α.
      let active = Tensor((0..<batch).map { t < lengths[$0] ? 1 : 0 }, shape: [batch, 1])
      alpha = next * active + alpha * (1 - active)
    }
    return (alpha + endTransitions.reshaped([1, K])).logSumExp(axis: 1)
  }

  /// The most likely tag sequence of each sequence (Viterbi), without its padding.
  public func decode(_ emissions: Tensor, lengths: [Int]) -> [[Int]] {
    let (_, batch) = check(emissions, lengths)
    let K = tags
    let (e, trans, start, end) = (
      emissions.scalars, transitions.scalars, startTransitions.scalars, endTransitions.scalars
    )
    var paths: [[Int]] = []
    var score = [Float](repeating: 0, count: K)
    var next = score
    for b in 0..<batch {
      let length = lengths[b]
      var back = [Int32](repeating: 0, count: length * K)
      for j in 0..<K { score[j] = start[j] + e[b * K + j] }
      for t in 1..<max(length, 1) {
        let row = (t * batch + b) * K
        for j in 0..<K {
          var (best, from) = (-Float.infinity, 0)
          for i in 0..<K where score[i] + trans[i * K + j] > best {
            (best, from) = (score[i] + trans[i * K + j], i)
          }
          next[j] = best + e[row + j]
          back[t * K + j] = Int32(from)
        }
        swap(&score, &next)
      }
      let final: [Float] = (0..<K).map { score[$0] + end[$0] }
      var tag = 0
      for j in 1..<K where final[j] > final[tag] { tag = j }
      var path = [tag]
      for t in stride(from: length - 1, to: 0, by: -1) {
        tag = Int(back[t * K + tag])
        path.append(tag)
      }
      paths.append(path.reversed())
    }
    return paths
  }

  private func check(_ emissions: Tensor, _ lengths: [Int]) -> (steps: Int, batch: Int) {
    require(
      emissions.rank == 3 && emissions.shape[2] == tags,
      "CRF: emissions have shape \(emissions.shape), expected [steps, batch, \(tags)]")
    let (steps, batch) = (emissions.shape[0], emissions.shape[1])
    require(lengths.count == batch, "CRF: \(lengths.count) lengths for a batch of \(batch)")
    for length in lengths {
      require(length >= 1 && length <= steps, "CRF: a length of \(length), expected 1...\(steps)")
    }
    return (steps, batch)
  }
}

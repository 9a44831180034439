import Foundation
import GlossaData
import GlossaTensor

/// GloVe (Pennington et al. 2014): vectors w_i, w̃_j and biases b_i, b̃_j fitted to the log
/// co-occurrence counts by weighted least squares,
///   J = Σ_ij f(X_ij) (w_i · w̃_j + b_i + b̃_j − log X_ij)²,  f(x) = min(1, (x / x_max)^α),
/// with AdaGrad over the non-zero X_ij in random order. The result is W + W̃.
public struct GloVe: Sendable {
  /// The length of the vectors.
  public var dimension: Int
  /// The largest distance at which two words co-occur.
  public var window: Int
  /// Words seen fewer times are left out.
  public var minimumCount: Int
  /// f's cut-off and exponent (100 and 0.75 in the paper).
  public var xMax: Float
  public var alpha: Float
  /// AdaGrad's initial learning rate.
  public var learningRate: Float
  /// Passes over the co-occurrence entries.
  public var epochs: Int
  /// Training threads (Hogwild; one is deterministic).
  public var threads: Int
  /// The seed of the initial vectors and of the order of the entries.
  public var seed: UInt64
  /// The most distinct word pairs held in memory while counting.
  public var maximumPairs: Int

  /// GloVe with the given settings (the paper's otherwise).
  public init(
    dimension: Int = 100, window: Int = 10, minimumCount: Int = 5, xMax: Float = 100, alpha: Float = 0.75,
    learningRate: Float = 0.05, epochs: Int = 25, threads: Int = 1, seed: UInt64 = 1,
    maximumPairs: Int = 1 << 25
  ) {
    self.dimension = dimension
    self.window = window
    self.minimumCount = minimumCount
    self.xMax = xMax
    self.alpha = alpha
    self.learningRate = learningRate
    self.epochs = epochs
    self.threads = threads
    self.seed = seed
    self.maximumPairs = maximumPairs
  }

  /// Counts the corpus's words and co-occurrences, then fits the vectors.
  public func train(
    _ corpus: Corpus, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> KeyedVectors {
    let vocabulary = try WordCounts(counting: corpus, minimumCount: minimumCount)
    let counts = try Cooccurrences(
      corpus: corpus, vocabulary: vocabulary, window: window, maximumPairs: maximumPairs)
    return fit(counts, words: vocabulary.words, progress: progress)
  }

  /// Fits vectors for `words` to co-occurrence counts (indices into `words`).
  public func fit(
    _ counts: Cooccurrences, words: [String], progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) -> KeyedVectors {
    require(
      dimension > 0 && epochs > 0 && threads > 0, "GloVe: dimension, epochs and threads must be positive")
    let d = dimension
    let (main, context) = parameters(counts, words: words.count, progress: progress)
    var vectors = [Float](repeating: 0, count: words.count * d)
    // The result is W + W̃.
    for i in words.indices {
      for c in 0..<d { vectors[i * d + c] = main.row(i)[c] + context.row(i)[c] }
    }
    return KeyedVectors(words: words, dimension: d, vectors: vectors)
  }

  /// The fitted rows [w_i, b_i] and [w̃_j, b̃_j] for `words` words.
  func parameters(
    _ counts: Cooccurrences, words: Int, progress: (@Sendable (TrainingProgress) -> Void)? = nil
  ) -> (SharedMatrix, SharedMatrix) {
    let d = dimension
    // Row i of `main` is w_i then b_i; of `context`, w̃_j then b̃_j. AdaGrad's sums start at 1.
    let main = SharedMatrix(rows: words, columns: d + 1)
    let context = SharedMatrix(rows: words, columns: d + 1)
    let mainSquares = SharedMatrix(rows: words, columns: d + 1)
    let contextSquares = SharedMatrix(rows: words, columns: d + 1)
    var random = SeededGenerator(seed: seed)
    for matrix in [main, context] {
      for i in 0..<matrix.rows * matrix.columns { matrix.base[i] = (random.nextUnitFloat() - 0.5) / Float(d) }
    }
    for matrix in [mainSquares, contextSquares] {
      matrix.base.update(repeating: 1, count: matrix.rows * matrix.columns)
    }
    let logs = counts.values.map { Foundation.log($0) }
    let weights = counts.values.map(weight)
    let start = Date()
    var shuffled = Array(0..<counts.count)
    for epoch in 0..<epochs {
      shuffled.shuffle(using: &random)
      let order = shuffled  // shared by the threads, unique again once they finish
      let threads = self.threads
      let eta = learningRate
      let (rows, columns) = (counts.rows, counts.columns)
      DispatchQueue.concurrentPerform(iterations: threads) { thread in
        let slice = (order.count * thread / threads)..<(order.count * (thread + 1) / threads)
        for k in slice {
          let e = order[k]
          let (wi, wj) = (main.row(Int(rows[e])), context.row(Int(columns[e])))
          let (gi, gj) = (mainSquares.row(Int(rows[e])), contextSquares.row(Int(columns[e])))
          // The residual of the fitted log count, weighted: f(X_ij)(w_i·w̃_j + b_i + b̃_j − log X_ij).
          let residual = VectorKernels.dot(wi, wj, d) + wi[d] + wj[d] - logs[e]
          let step = weights[e] * residual * eta
          Self.adagradStep(step, wi, wj, gi, gj, d)
          wi[d] -= step / gi[d].squareRoot()
          wj[d] -= step / gj[d].squareRoot()
          gi[d] += step * step
          gj[d] += step * step
        }
      }
      let elapsed = Date().timeIntervalSince(start)
      progress?(
        TrainingProgress(
          fraction: Double(epoch + 1) / Double(epochs),
          wordsPerSecond: Double(counts.count * (epoch + 1)) / elapsed, learningRate: eta, elapsed: elapsed))
    }
    return (main, context)
  }

  /// f(x) = min(1, (x / x_max)^α): rare pairs count less, frequent ones no more than 1.
  func weight(_ x: Float) -> Float { x < xMax ? Foundation.pow(x / xMax, alpha) : 1 }

  /// The weighted least-squares cost J of fitted rows.
  func cost(_ counts: Cooccurrences, _ main: SharedMatrix, _ context: SharedMatrix) -> Double {
    let d = dimension
    return (0..<counts.count).reduce(0.0) { sum, e in
      let (wi, wj) = (main.row(Int(counts.rows[e])), context.row(Int(counts.columns[e])))
      let x = counts.values[e]
      let residual = VectorKernels.dot(wi, wj, d) + wi[d] + wj[d] - Foundation.log(x)
      return sum + Double(weight(x) * residual * residual)
    }
  }

  /// AdaGrad on both vectors of a pair: with u = step · w̃_j for w_i (and step · w_i for w̃_j),
  /// w −= u / √G, then G += u², sixteen dimensions at a time.
  @inline(__always)
  static func adagradStep(
    _ step: Float, _ wi: UnsafeMutablePointer<Float>, _ wj: UnsafeMutablePointer<Float>,
    _ gi: UnsafeMutablePointer<Float>, _ gj: UnsafeMutablePointer<Float>, _ d: Int
  ) {
    typealias K = VectorKernels
    var c = 0
    while c + 16 <= d {
      let (ui, uj) = (step * K.load(wj + c), step * K.load(wi + c))
      let (si, sj) = (K.load(gi + c), K.load(gj + c))
      K.store(K.load(wi + c) - ui / si.squareRoot(), wi + c)
      K.store(K.load(wj + c) - uj / sj.squareRoot(), wj + c)
      K.store(si + ui * ui, gi + c)
      K.store(sj + uj * uj, gj + c)
      c += 16
    }
    while c < d {
      let (ui, uj) = (step * wj[c], step * wi[c])
      wi[c] -= ui / gi[c].squareRoot()
      wj[c] -= uj / gj[c].squareRoot()
      gi[c] += ui * ui
      gj[c] += uj * uj
      c += 1
    }
  }
}

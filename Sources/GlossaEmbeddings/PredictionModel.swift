import GlossaTensor

/// The network that Word2Vec and FastText train: a word's input units (Word2Vec: the word
/// itself; FastText: the word and its character n-grams) averaged into a hidden vector h,
/// scored against output vectors, one per word for negative sampling or one per inner node
/// of the Huffman tree for hierarchical softmax. All threads share its weights.
final class PredictionModel: Sendable {
  struct Settings: Sendable {
    var architecture: Word2Vec.Architecture
    var dimension: Int
    var window: Int
    /// Noise words per prediction; 0 selects hierarchical softmax.
    var negatives: Int
    var sample: Double
    /// The exponent of the noise distribution: 0.75 (word2vec) or 0.5 (fastText).
    var noisePower = 0.75
    /// Where the sigmoid saturates: ±6 (word2vec) or ±8 (fastText).
    var sigmoidRange: Float = 6
    /// Input rows start uniform in [−a, a).
    var initialization: Float
    /// Whether skip-gram predicts the context from the centre word (fastText) or the centre
    /// word from each context word (word2vec and gensim).
    var centerPredictsContext = false
    var seed: UInt64
  }

  let settings: Settings
  let input: SharedMatrix
  let output: SharedMatrix
  let noise: NoiseDistribution
  let tree: HuffmanTree
  let keep: [UInt32]
  /// Each word's input rows, flat (word w: `units[unitStart[w] ..< unitStart[w + 1]]`); empty
  /// when every word is one row, its own.
  let unitStart: [Int32]
  let units: [Int32]

  /// A network for the words of `vocabulary`: input rows uniform in [−a, a), output rows zero,
  /// or the given weights (`inputRows` × dimension and words × dimension, row-major) of a
  /// network trained before.
  init(
    _ settings: Settings, vocabulary: WordCounts, inputRows: Int? = nil, unitStart: [Int32] = [],
    units: [Int32] = [], weights: (input: [Float], output: [Float])? = nil
  ) {
    self.settings = settings
    let (words, d) = (vocabulary.count, settings.dimension)
    let rows = inputRows ?? words
    input = SharedMatrix(rows: rows, columns: d)
    output = SharedMatrix(rows: words, columns: d)
    if let weights {
      input.base.update(from: weights.input, count: rows * d)
      output.base.update(from: weights.output, count: words * d)
    } else {
      var random = SeededGenerator(seed: settings.seed)
      for i in 0..<rows * d { input.base[i] = (random.nextUnitFloat() * 2 - 1) * settings.initialization }
    }
    let negativeSampling = settings.negatives > 0
    noise = NoiseDistribution(counts: negativeSampling ? vocabulary.counts : [], power: settings.noisePower)
    tree = HuffmanTree(counts: negativeSampling ? [] : vocabulary.counts)
    keep = vocabulary.keepThresholds(sample: settings.sample)
    (self.unitStart, self.units) = (unitStart, units)
  }
}

/// One thread's trainer: its random generator and scratch rows.
final class PredictionTrainer: SentenceTrainer {
  let model: PredictionModel
  let input: UnsafeMutablePointer<Float>
  let output: UnsafeMutablePointer<Float>
  let noise: NoiseDistribution
  let tree: HuffmanTree
  let sigmoid: SigmoidTable
  var random: SeededGenerator
  let settings: PredictionModel.Settings
  let dimension: Int
  /// The hidden vector h (an average of input rows) and the gradient gathered for it.
  let hidden: UnsafeMutablePointer<Float>
  let gradient: UnsafeMutablePointer<Float>
  /// The output rows of one prediction, their labels and scores.
  let targets: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
  let labels: UnsafeMutablePointer<Float>
  let scores: UnsafeMutablePointer<Float>
  /// The input rows that make h, and how many there are.
  let rows: UnsafeMutablePointer<Int32>
  /// The noise words of the next prediction, drawn (and their rows fetched) one prediction
  /// ahead, so that their memory latency hides behind the current one.
  let upcomingNoise: UnsafeMutablePointer<Int32>
  var kept: [Int32] = []

  /// Thread `thread`'s trainer, its random numbers seeded from the model's seed and the thread.
  init(_ model: PredictionModel, thread: Int) {
    self.model = model
    (input, output, noise, tree) = (model.input.base, model.output.base, model.noise, model.tree)
    random = SeededGenerator(seed: model.settings.seed &+ UInt64(thread) &* 0x9E37_79B9_7F4A_7C15)
    settings = model.settings
    sigmoid = SigmoidTable(range: settings.sigmoidRange)
    dimension = settings.dimension
    hidden = .allocate(capacity: dimension)
    gradient = .allocate(capacity: dimension)
    let longestPath = zip(tree.start.dropFirst(), tree.start).map { Int($0 - $1) }.max() ?? 0
    let most = max(settings.negatives + 1, longestPath)
    targets = .allocate(capacity: most)
    labels = .allocate(capacity: most)
    scores = .allocate(capacity: most)
    let mostUnits =
      model.units.isEmpty
      ? 1 : zip(model.unitStart.dropFirst(), model.unitStart).map { Int($0 - $1) }.max() ?? 1
    rows = .allocate(capacity: 2 * settings.window * mostUnits)
    upcomingNoise = .allocate(capacity: max(settings.negatives, 1))
    if settings.negatives > 0 { drawNoise(&random) }
  }

  deinit {
    for buffer in [hidden, gradient, labels, scores] { buffer.deallocate() }
    targets.deallocate()
    rows.deallocate()
    upcomingNoise.deallocate()
  }

  @inline(__always)
  private func row(_ matrix: UnsafeMutablePointer<Float>, _ i: Int32) -> UnsafeMutablePointer<Float> {
    matrix + Int(i) * dimension
  }

  /// Adds `word`'s input rows to `rows`.
  @inline(__always)
  private func addUnits(of word: Int32, _ count: inout Int) {
    guard !model.units.isEmpty else {
      rows[count] = word
      count += 1
      return
    }
    let w = Int(word)
    for k in Int(model.unitStart[w])..<Int(model.unitStart[w + 1]) {
      rows[count] = model.units[k]
      count += 1
    }
  }

  /// h for the first `count` rows: the row itself when there is one, else their mean in `hidden`.
  @inline(__always)
  private func hiddenVector(_ count: Int) -> UnsafeMutablePointer<Float> {
    if count == 1 { return row(input, rows[0]) }
    hidden.initialize(repeating: 0, count: dimension)
    for k in 0..<count { VectorKernels.axpy(1, row(input, rows[k]), hidden, dimension) }
    VectorKernels.scale(1 / Float(count), hidden, dimension)
    return hidden
  }

  /// Predicts `word` from the collected rows and adds the step for h to each of them (the
  /// whole step, not divided by their number, as word2vec and fastText do).
  @inline(__always)
  private func learn(_ word: Int32, from count: Int, _ alpha: Float, _ random: inout SeededGenerator) {
    guard count > 0 else { return }
    let h = hiddenVector(count)
    gradient.initialize(repeating: 0, count: dimension)
    predict(word, from: h, alpha, &random)
    for k in 0..<count { VectorKernels.axpy(1, gradient, row(input, rows[k]), dimension) }
  }

  func train(_ sentence: UnsafeBufferPointer<Int32>, learningRate alpha: Float) {
    // Local copies, so the loops below neither check exclusive access nor copy on write.
    var random = self.random
    var kept: [Int32] = []
    swap(&kept, &self.kept)
    defer {
      self.random = random
      swap(&kept, &self.kept)
    }
    // Subsampling: drop each occurrence of a frequent word with probability 1 − keep.
    kept.removeAll(keepingCapacity: true)
    model.keep.withUnsafeBufferPointer { keep in
      for word in sentence where UInt32(truncatingIfNeeded: random.next()) <= keep[Int(word)] {
        kept.append(word)
      }
    }
    let window = settings.window
    kept.withUnsafeBufferPointer { words in
      for i in 0..<words.count {
        // A random window in 1 ... window around position i.
        let reach = window - Int(random.next() % UInt64(window))
        let context = max(0, i - reach)..<min(words.count, i + reach + 1)
        // The next word's output row is fetched while this one trains.
        if i + 1 < words.count { VectorKernels.prefetch(row(output, words[i + 1]), dimension) }
        switch settings.architecture {
        case .skipGram:
          for j in context where j != i {
            // The next pair's input row is fetched while this pair trains.
            if j + 1 < context.upperBound { VectorKernels.prefetch(row(input, words[j + 1]), dimension) }
            let (from, to) = settings.centerPredictsContext ? (words[i], words[j]) : (words[j], words[i])
            var count = 0
            addUnits(of: from, &count)
            learn(to, from: count, alpha, &random)
          }
        case .cbow:
          var count = 0
          for j in context where j != i { addUnits(of: words[j], &count) }
          learn(words[i], from: count, alpha, &random)
        }
      }
    }
  }

  /// Draws the noise words of the next prediction and asks the cache for their rows.
  @inline(__always)
  private func drawNoise(_ random: inout SeededGenerator) {
    for n in 0..<settings.negatives {
      upcomingNoise[n] = noise.sample(random.next())
      VectorKernels.prefetch(row(output, upcomingNoise[n]), dimension)
    }
  }

  /// The output rows and labels for predicting `word`: the word and the noise words drawn
  /// for it (a noise word that is the word itself is left out), or the inner nodes on its
  /// Huffman path. Asks the cache for the rows not asked for yet. Returns how many.
  @inline(__always)
  private func chooseTargets(_ word: Int32, _ random: inout SeededGenerator) -> Int {
    var count = 0
    if settings.negatives > 0 {
      (targets[0], labels[0]) = (row(output, word), 1)
      VectorKernels.prefetch(targets[0], dimension)
      count = 1
      for n in 0..<settings.negatives where upcomingNoise[n] != word {
        (targets[count], labels[count]) = (row(output, upcomingNoise[n]), 0)
        count += 1
      }
      drawNoise(&random)
    } else {
      for p in Int(tree.start[Int(word)])..<Int(tree.start[Int(word) + 1]) {
        (targets[count], labels[count]) = (row(output, tree.nodes[p]), 1 - Float(tree.codes[p]))
        VectorKernels.prefetch(targets[count], dimension)
        count += 1
      }
    }
    return count
  }

  /// One gradient step on the output layer for predicting `word` from hidden vector `h`;
  /// the step for `h` is added to `gradient`. For an output row v with label ℓ (1 for the
  /// true word or branch), ∂ log-likelihood / ∂(v·h) = ℓ − σ(v·h).
  @inline(__always)
  private func predict(
    _ word: Int32, from h: UnsafeMutablePointer<Float>, _ alpha: Float, _ random: inout SeededGenerator
  ) {
    let count = chooseTargets(word, &random)
    // All dot products are taken first, so that the rows' memory latencies overlap. (Only a
    // noise word drawn twice sees its first update late.)
    for k in 0..<count { scores[k] = VectorKernels.dot(targets[k], h, dimension) }
    for k in 0..<count {
      let g = (labels[k] - sigmoid(scores[k])) * alpha
      // A score beyond the sigmoid's range on the label's side changes nothing.
      if g != 0 { VectorKernels.outputStep(g, targets[k], h, gradient, dimension) }
    }
  }
}

import ArgumentParser
import Foundation
import GlossaData
import GlossaDistributed
import GlossaEmbeddings
import GlossaLock
import GlossaViz

/// `glossa embed train`: word vectors from text files.
struct EmbedTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train word vectors on text files (one sentence per line, words are \\b\\w+\\b).",
    discussion: """
      Writes the vectors in word2vec's binary or text format, which gensim, word2vec and \
      fastText read. --threads above 1 update shared vectors without locks, as word2vec \
      does: faster, but two runs differ slightly; one thread gives the same vectors for the \
      same seed. Under mpirun (a build with --traits MPI), each process trains on its share \
      of the corpus and the models are averaged.

      Examples:
        glossa embed train --dim 100 --epochs 5 --output austen.bin austen.txt
        glossa embed train --model fasttext --save-model ft.safetensors \\
          --output ft.bin a.txt
        glossa embed train --model glove --window 10 --format text --output g.txt \\
          a.txt
      """)

  enum Model: String, ExpressibleByArgument, CaseIterable { case skipgram, cbow, fasttext, glove }

  @Option(help: "skipgram or cbow (Word2Vec), fasttext (skip-gram with character n-grams) or glove.")
  var model: Model = .skipgram
  @Option(name: .customLong("dim"), help: "Vector length.")
  var dimension = 100
  @Option(help: "Largest distance between a word and a context word.")
  var window = 5
  @Option(help: "Noise words per example (negative sampling).")
  var negative = 5
  @Flag(name: .customLong("hs"), help: "Hierarchical softmax instead of negative sampling.")
  var hierarchicalSoftmax = false
  @Option(name: .customLong("min-count"), help: "Leave out words seen fewer times.")
  var minimumCount = 5
  @Option(help: "Subsampling threshold for frequent words (0: none).")
  var sample = 1e-3
  @Option(help: "Passes over the corpus.")
  var epochs = 5
  @Option(help: "Training threads (1 is deterministic).")
  var threads = 1
  @Option(
    name: .customLong("average-every"),
    help:
      "Under mpirun: each process trains on its share of the corpus, the models averaged after about every N words it trains on."
  )
  var averageEvery = 100_000
  @Option(help: "Random seed.")
  var seed: UInt64 = 1
  @Option(name: .customLong("lr"), help: "Starting learning rate (default 0.025; fasttext and glove 0.05).")
  var learningRate: Float?
  @Option(
    help:
      "What the learning rate's linear decay follows: sentences (gensim; the default for skipgram and cbow) or words (word2vec's C tool; the default for fasttext, as fastText)."
  )
  var decay: LearningRateDecay?
  @Option(name: .customLong("minn"), help: "fasttext: shortest character n-gram.")
  var minimumN = 3
  @Option(name: .customLong("maxn"), help: "fasttext: longest character n-gram.")
  var maximumN = 6
  @Option(help: "fasttext: hash buckets for the n-grams.")
  var buckets = 2_000_000
  @Flag(help: "Lowercase the text.")
  var lowercase = false
  @Option(help: "Output format: binary (word2vec binary) or text (word2vec text).")
  var format: VectorFileFormat = .binary
  @Option(help: "Where to write the vectors.")
  var output: String
  @Option(
    name: .customLong("save-model"),
    help:
      "Also save the whole model as safetensors: Word2Vec's with its output layer, to train it further; FastText's with its n-gram rows, for vectors of unseen words."
  )
  var modelFile: String?
  @Option(
    name: .customLong("from-model"),
    help:
      "Train further a Word2Vec model saved with --save-model, on the corpus given: its settings and words stay (--epochs and --threads apply)."
  )
  var startModel: String?
  @Argument(help: "The corpus files (UTF-8).")
  var corpus: [String]

  func validate() throws {
    guard !corpus.isEmpty else { throw ValidationError("give at least one corpus file") }
    for file in corpus where !FileManager.default.isReadableFile(atPath: file) {
      throw ValidationError("\(file): cannot be read")
    }
    guard dimension > 0, window > 0, epochs > 0, threads > 0, negative >= 0 else {
      throw ValidationError("--dim, --window, --epochs and --threads must be positive")
    }
    guard decay == nil || model != .glove else {
      throw ValidationError("--decay is for skipgram, cbow and fasttext (GloVe uses AdaGrad)")
    }
    guard modelFile == nil || model != .glove else {
      throw ValidationError("--save-model is for skipgram, cbow and fasttext")
    }
    guard averageEvery > 0 else { throw ValidationError("--average-every must be positive") }
  }

  func run() throws {
    try Launch.join(timeout: 600)
    guard Launch.group == nil || (model != .glove && startModel == nil) else {
      throw ValidationError(
        "under mpirun, skipgram, cbow and fasttext train from the start (not glove, not --from-model)")
    }
    let corpus = Corpus(files: corpus.map { URL(fileURLWithPath: $0) }, lowercase: lowercase)
    if let startModel {
      return try trainFurther(try Word2VecModel(contentsOf: URL(fileURLWithPath: startModel)), corpus)
    }
    let start = Date()
    let vocabulary = try agreeing(Launch.group) {
      try WordCounts(counting: corpus, minimumCount: minimumCount)
    }
    Launch.say(
      "vocabulary: \(vocabulary.count) words seen \(minimumCount)+ times, of \(vocabulary.corpusWords) corpus words (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)\n"
    )
    guard vocabulary.count > 0 else {
      throw ValidationError(
        "no word of the corpus occurs \(minimumCount) times or more (\(vocabulary.corpusWords) words read); lower --min-count"
      )
    }
    let (report, done) = progressReport(model.rawValue)
    let vectors: KeyedVectors
    switch model {
    case .skipgram, .cbow:
      // The learning rate and its decay default to the trainer's own (gensim's, fastText's).
      var word2vec = Word2Vec(
        architecture: model == .skipgram ? .skipGram : .cbow, dimension: dimension, window: window,
        output: hierarchicalSoftmax ? .hierarchicalSoftmax : .negativeSampling(negative),
        minimumCount: minimumCount, sample: sample, epochs: epochs, threads: threads, seed: seed)
      if let learningRate { word2vec.learningRate = learningRate }
      if let decay { word2vec.decay = decay }
      (word2vec.processGroup, word2vec.averageEvery) = (Launch.group, averageEvery)
      let trained = try word2vec.fit(corpus, vocabulary: vocabulary, progress: report)
      if let modelFile, Launch.speaks { try trained.write(to: URL(fileURLWithPath: modelFile)) }
      vectors = trained.vectors
    case .fasttext:
      var fastText = FastText(
        dimension: dimension, window: window, negatives: negative, minimumCount: minimumCount,
        ngrams: CharacterNGrams(minimum: minimumN, maximum: maximumN, buckets: buckets), sample: sample,
        epochs: epochs, threads: threads, seed: seed)
      if let learningRate { fastText.learningRate = learningRate }
      if let decay { fastText.decay = decay }
      (fastText.processGroup, fastText.averageEvery) = (Launch.group, averageEvery)
      let model = try fastText.train(corpus, vocabulary: vocabulary, progress: report)
      if let modelFile, Launch.speaks { try model.write(to: URL(fileURLWithPath: modelFile)) }
      vectors = model.keyedVectors
    case .glove:
      var glove = GloVe(
        dimension: dimension, window: window, minimumCount: minimumCount, epochs: epochs, threads: threads,
        seed: seed)
      if let learningRate { glove.learningRate = learningRate }
      let counts = try Cooccurrences(corpus: corpus, vocabulary: vocabulary, window: window)
      FileHandle.standardError.write(Data("co-occurrences: \(counts.count) non-zero pairs\n".utf8))
      vectors = glove.fit(counts, words: vocabulary.words, progress: report)
    }
    done(model == .glove ? "co-occurrences" : "words")
    guard Launch.speaks else { return }
    try vectors.write(to: URL(fileURLWithPath: output), format: format)
    Launch.say("wrote \(vectors.count) vectors of \(dimension) to \(output)\n")
  }

  /// Trains a saved Word2Vec model further on `corpus`, then writes its vectors (and the
  /// model, with --save-model).
  func trainFurther(_ model: Word2VecModel, _ corpus: Corpus) throws {
    let (report, done) = progressReport(model.settings.architecture.rawValue)
    try model.train(corpus, epochs: epochs, progress: report)
    done("words")
    if let modelFile { try model.write(to: URL(fileURLWithPath: modelFile)) }
    let vectors = model.vectors
    try vectors.write(to: URL(fileURLWithPath: output), format: format)
    FileHandle.standardError.write(
      Data("wrote \(vectors.count) vectors of \(vectors.dimension) to \(output)\n".utf8))
  }

  /// A progress callback that draws a bar, and what to call when training ends: it prints the
  /// time taken and the rate (in `unit`s per second).
  func progressReport(_ label: String) -> (@Sendable (TrainingProgress) -> Void, (_ unit: String) -> Void) {
    guard Launch.speaks else { return ({ _ in }, { _ in }) }
    let bar = ProgressBar(label: label, total: 1000)
    let last = Locked<TrainingProgress?>(nil)
    let report: @Sendable (TrainingProgress) -> Void = { progress in
      last.withLock { $0 = progress }
      bar.update(Int(progress.fraction * 1000), detail: progress.summary)
    }
    return (
      report,
      { unit in
        bar.finish()
        guard let done = last.withLock({ $0 }) else { return }
        FileHandle.standardError.write(
          Data(String(format: "trained in %.2f s: %.0f %@/s\n", done.elapsed, done.wordsPerSecond, unit).utf8)
        )
      }
    )
  }
}

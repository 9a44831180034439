import ArgumentParser
import Foundation
import GlossaEmbeddings
import GlossaTensor
import GlossaViz
import Synchronization

/// `glossa embed`: train word embeddings, query them, evaluate and draw them.
struct Embed: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train word embeddings (Word2Vec, GloVe, FastText) and query, evaluate or draw them.",
    subcommands: [Train.self, Similar.self, Analogy.self, Evaluate.self, Project.self])

  static func printScores(_ scores: [(word: String, score: Float)]) {
    for (word, score) in scores { print("\(word)\t\(String(format: "%.4f", score))") }
  }
}

extension Embed {
  /// The `--vectors FILE` option of the commands that read vectors.
  struct VectorsOption: ParsableArguments {
    @Option(
      help:
        "A vector file (word2vec text or binary, GloVe, fastText .vec) or a FastText model (safetensors), recognised by its content."
    )
    var vectors: String

    /// Loads the file: the vectors, and the FastText model when the file is one.
    func load() throws -> (vectors: KeyedVectors, model: FastTextVectors?) {
      let url = URL(fileURLWithPath: vectors)
      do {
        if Self.isSafeTensors(url) {
          let model = try FastTextVectors(contentsOf: url)
          return (model.keyedVectors, model)
        }
        return (try KeyedVectors(contentsOf: url), nil)
      } catch let error as VectorFileError {
        throw ValidationError(error.description)
      } catch let error as FastTextFileError {
        throw ValidationError(error.description)
      } catch let error as SafeTensorsError {
        throw ValidationError(error.description)
      } catch {
        throw ValidationError("\(vectors): cannot be read (\(error.localizedDescription))")
      }
    }

    /// A safetensors file begins with its header's length (8 bytes, little-endian, less than
    /// the file) and then `{`; no vector file does.
    static func isSafeTensors(_ url: URL) -> Bool {
      guard let handle = try? FileHandle(forReadingFrom: url), let start = try? handle.read(upToCount: 9),
        start.count == 9, let size = try? handle.seekToEnd()
      else { return false }
      let length = start.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      return start[start.startIndex + 8] == UInt8(ascii: "{") && length + 8 <= size
    }
  }

  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Train word vectors on text files (one sentence per line, words are \\b\\w+\\b).")

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
    @Option(help: "Output format: bin (word2vec binary) or text (word2vec text).")
    var format: VectorFileFormat = .binary
    @Option(help: "Where to write the vectors.")
    var output: String
    @Option(
      name: .customLong("save-model"),
      help:
        "fasttext: also save the whole model (with its n-gram rows) as safetensors, for vectors of unseen words."
    )
    var modelFile: String?
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
      guard modelFile == nil || model == .fasttext else {
        throw ValidationError("--save-model is for --model fasttext")
      }
    }

    func run() throws {
      let corpus = Corpus(files: corpus.map { URL(fileURLWithPath: $0) }, lowercase: lowercase)
      let start = Date()
      let vocabulary = try WordCounts(counting: corpus, minimumCount: minimumCount)
      FileHandle.standardError.write(
        Data(
          "vocabulary: \(vocabulary.count) words seen \(minimumCount)+ times, of \(vocabulary.corpusWords) corpus words (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)\n"
            .utf8))
      guard vocabulary.count > 0 else {
        throw ValidationError(
          "no word of the corpus occurs \(minimumCount) times or more (\(vocabulary.corpusWords) words read); lower --min-count"
        )
      }
      let bar = Progress(label: model.rawValue, total: 1000)
      let last = Mutex<TrainingProgress?>(nil)
      let report: @Sendable (TrainingProgress) -> Void = { progress in
        last.withLock { $0 = progress }
        bar.report(progress)
      }
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
        vectors = try word2vec.train(corpus, vocabulary: vocabulary, progress: report)
      case .fasttext:
        var fastText = FastText(
          dimension: dimension, window: window, negatives: negative, minimumCount: minimumCount,
          ngrams: CharacterNGrams(minimum: minimumN, maximum: maximumN, buckets: buckets), sample: sample,
          epochs: epochs, threads: threads, seed: seed)
        if let learningRate { fastText.learningRate = learningRate }
        if let decay { fastText.decay = decay }
        let model = try fastText.train(corpus, vocabulary: vocabulary, progress: report)
        if let modelFile { try model.write(to: URL(fileURLWithPath: modelFile)) }
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
      bar.finish()
      if let done = last.withLock({ $0 }) {
        let unit = model == .glove ? "co-occurrences" : "words"
        FileHandle.standardError.write(
          Data(String(format: "trained in %.2f s: %.0f %@/s\n", done.elapsed, done.wordsPerSecond, unit).utf8)
        )
      }
      try vectors.write(to: URL(fileURLWithPath: output), format: format)
      FileHandle.standardError.write(
        Data("wrote \(vectors.count) vectors of \(dimension) to \(output)\n".utf8))
    }
  }

  struct Similar: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The words nearest to a word, by cosine similarity.")
    @OptionGroup var source: VectorsOption
    @Option(help: "How many words.")
    var top = 10
    @Argument(help: "The word.")
    var word: String

    func run() throws {
      let (vectors, model) = try source.load()
      if let model, !vectors.contains(word) {
        // A word FastText never saw: its vector comes from its character n-grams.
        return Embed.printScores(model.mostSimilar(word, top: top))
      }
      do {
        Embed.printScores(try vectors.mostSimilar(positive: [word], top: top))
      } catch let error as UnknownWordError {
        throw ValidationError(error.description)
      }
    }
  }

  struct Analogy: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Analogies: the words nearest to the positive words minus the negative ones (king − man + woman).")
    @OptionGroup var source: VectorsOption
    @Option(help: "Comma-separated words to add (e.g. king,woman).")
    var positive: String
    @Option(help: "Comma-separated words to subtract (e.g. man).")
    var negative = ""
    @Option(help: "cosadd (3CosAdd) or cosmul (3CosMul).")
    var method: KeyedVectors.AnalogyMethod = .cosAdd
    @Option(help: "How many answers.")
    var top = 5

    func run() throws {
      let (vectors, _) = try source.load()
      let split = { (list: String) in list.split(separator: ",").map { String($0) } }
      do {
        Embed.printScores(
          try vectors.analogy(positive: split(positive), negative: split(negative), method: method, top: top))
      } catch let error as UnknownWordError {
        throw ValidationError(error.description)
      }
    }
  }
}

extension Embed {
  struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Analogy accuracy (questions-words file) and word-similarity correlation (word1 word2 score file).")
    @OptionGroup var source: VectorsOption
    @Option(help: "A questions-words file: ': section' lines, then 'a b c d' per line.")
    var analogies: String?
    @Option(help: "A 'word1 word2 score' file (tab or space separated, # comments).")
    var similarity: String?
    @Option(name: .customLong("restrict"), help: "Only the N most frequent words answer or are asked about.")
    var limit = 30_000
    @Option(help: "cosadd (3CosAdd) or cosmul (3CosMul) for the analogies.")
    var method: KeyedVectors.AnalogyMethod = .cosAdd
    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
      guard analogies != nil || similarity != nil else {
        throw ValidationError("give --analogies or --similarity")
      }
    }

    func run() throws {
      let (vectors, _) = try source.load()
      var report: [String: Any] = [:]
      do {
        if let analogies {
          let result = try vectors.evaluateAnalogies(
            URL(fileURLWithPath: analogies), limit: limit, method: method)
          report["analogies"] = [
            "accuracy": result.accuracy, "correct": result.correct, "incorrect": result.incorrect,
            "out_of_vocabulary": result.outOfVocabulary,
            "sections": result.sections.map {
              ["section": $0.name, "accuracy": $0.accuracy, "correct": $0.correct, "incorrect": $0.incorrect]
            },
          ]
          if !json {
            for section in result.sections {
              print(
                String(
                  format: "%-32@ %6.2f%%  (%d/%d)", section.name, section.accuracy * 100, section.correct,
                  section.correct + section.incorrect))
            }
            print(
              String(
                format: "%-32@ %6.2f%%  (%d/%d)", "total", result.accuracy * 100, result.correct,
                result.correct + result.incorrect))
            print(
              "questions with words outside the first \(limit): \(result.outOfVocabulary) of \(result.questions)"
            )
          }
        }
        if let similarity {
          let result = try vectors.evaluateSimilarity(URL(fileURLWithPath: similarity), limit: limit)
          report["similarity"] = [
            "spearman": result.spearman, "pearson": result.pearson, "pairs": result.pairs,
            "out_of_vocabulary": result.outOfVocabulary,
          ]
          if !json {
            print(
              String(
                format: "similarity: Spearman %.4f  Pearson %.4f  (%d pairs, %d out of vocabulary)",
                result.spearman, result.pearson, result.pairs, result.outOfVocabulary))
          }
        }
      } catch let error as BenchmarkFileError {
        throw ValidationError(error.description)
      }
      if json {
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
      }
    }
  }
}

extension Embed {
  struct Project: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Draw words in 2-D (PCA or t-SNE) as an SVG scatter plot.")
    enum Method: String, ExpressibleByArgument { case pca, tsne }
    @OptionGroup var source: VectorsOption
    @Option(help: "pca or tsne.")
    var method: Method = .pca
    @Option(help: "Comma-separated words to draw (default: the most frequent).")
    var words: String?
    @Option(help: "How many of the most frequent words to draw when --words is not given.")
    var top = 100
    @Option(help: "t-SNE perplexity.")
    var perplexity = 30.0
    @Option(help: "Random seed (t-SNE).")
    var seed: UInt64 = 1
    @Option(help: "Where to write the SVG.")
    var output: String

    func run() throws {
      let (vectors, _) = try source.load()
      let chosen = words.map { $0.split(separator: ",").map(String.init) } ?? Array(vectors.words.prefix(top))
      let missing = chosen.filter { !vectors.contains($0) }
      guard missing.isEmpty else {
        throw ValidationError("not in the vectors: \(missing.joined(separator: ", "))")
      }
      guard chosen.count >= 2 else { throw ValidationError("draw at least two words") }
      let points = try chosen.flatMap { try vectors.vector($0) }
      let layout: [Double]
      switch method {
      case .pca: layout = PCA.project(points, dimension: vectors.dimension).map(Double.init)
      case .tsne:
        layout = TSNE(perplexity: min(perplexity, Double(chosen.count - 1) / 3), seed: seed)
          .embed(points, dimension: vectors.dimension)
      }
      var plot = ScatterPlot(title: "\(chosen.count) words, \(method == .pca ? "PCA" : "t-SNE")")
      for (k, word) in chosen.enumerated() {
        plot.add(.init(x: layout[2 * k], y: layout[2 * k + 1], label: word))
      }
      try Data(plot.svg.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
      FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
    }
  }
}

extension VectorFileFormat: ExpressibleByArgument {}
extension KeyedVectors.AnalogyMethod: ExpressibleByArgument {}
extension LearningRateDecay: ExpressibleByArgument {}

extension Progress {
  /// Shows a trainer's progress: percent, words/s, learning rate and time left.
  func report(_ progress: TrainingProgress) {
    let detail = String(
      format: "%5.1f%%  %.0fk words/s  lr %.5f  ETA %.0fs", progress.fraction * 100,
      progress.wordsPerSecond / 1000,
      progress.learningRate, progress.remaining)
    update(Int(progress.fraction * Double(total)), detail: detail)
  }
}

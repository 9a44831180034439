import ArgumentParser
import Foundation
import GlossaEmbeddings

/// `glossa embed evaluate`: analogy accuracy and word-similarity correlation.
struct EmbedEvaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract:
      "Analogy accuracy (questions-words file) and word-similarity correlation (word1 word2 score file).",
    discussion: """
      The analogy benchmark (Mikolov's questions-words.txt) is scored by section and in \
      total, as gensim's evaluate_word_analogies scores it; the similarity benchmark \
      (WordSim-353, SimLex-999) by the Spearman and Pearson correlations between the \
      cosine similarities and the human scores, with the share of pairs left out because a \
      word has no vector.

      Examples:
        glossa embed evaluate --vectors news.bin --analogies questions-words.txt
        glossa embed evaluate --vectors news.bin --similarity wordsim353.tsv --json
      """)
  @OptionGroup var source: Embed.VectorsOption
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
    let vectors = try source.load().vectors
    var report = EmbeddingEvaluation()
    if let analogies {
      report.analogies = try vectors.evaluateAnalogies(
        URL(fileURLWithPath: analogies), limit: limit, method: method)
    }
    if let similarity {
      report.similarity = try vectors.evaluateSimilarity(URL(fileURLWithPath: similarity), limit: limit)
    }
    if json { return print(try report.json()) }
    if let analogies = report.analogies { print(analogies.summary(limit: limit)) }
    if let similarity = report.similarity { print(similarity.summary) }
  }
}

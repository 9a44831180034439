import ArgumentParser

/// `glossa embed similar`: a word's nearest neighbours.
struct EmbedSimilar: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similar", abstract: "The words nearest to a word, by cosine similarity.",
    discussion: """
      Prints the --top words whose vectors have the largest cosine similarity with the \
      word's, one per line with the similarity. A FastText model saved with --save-model \
      also answers for a word it never saw, from its character n-grams.

      Examples:
        glossa embed similar --vectors austen.bin --top 5 mother
        glossa embed similar --vectors austen.safetensors kingdoms
      """)
  @OptionGroup var source: Embed.VectorsOption
  @Option(help: "How many words.")
  var top = 10
  @Argument(help: "The word.")
  var word: String

  func run() throws { Embed.printScores(try source.load().mostSimilar(word, top: top)) }
}

import ArgumentParser

/// `glossa embed similar`: a word's nearest neighbours.
struct EmbedSimilar: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similar", abstract: "The words nearest to a word, by cosine similarity.",
    discussion: "A FastText model also answers for a word it never saw, from its character n-grams.")
  @OptionGroup var source: Embed.VectorsOption
  @Option(help: "How many words.")
  var top = 10
  @Argument(help: "The word.")
  var word: String

  func run() throws { Embed.printScores(try source.load().mostSimilar(word, top: top)) }
}

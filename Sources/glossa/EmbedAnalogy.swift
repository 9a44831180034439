import ArgumentParser
import GlossaEmbeddings

/// `glossa embed analogy`: king − man + woman.
struct EmbedAnalogy: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analogy",
    abstract:
      "Analogies: the words nearest to the positive words minus the negative ones (king − man + woman).",
    discussion: """
      Answers "man is to king as woman is to ?" with the words nearest to \
      king − man + woman (3CosAdd), or by 3CosMul, which weighs the three similarities \
      instead of adding the vectors; the question's own words are left out of the answers.

      Examples:
        glossa embed analogy --vectors news.bin --positive king,woman --negative man
        glossa embed analogy --vectors news.bin --positive paris,italy \\
          --negative france
      """)
  @OptionGroup var source: Embed.VectorsOption
  @Option(help: "Comma-separated words to add (e.g. king,woman).")
  var positive: String
  @Option(help: "Comma-separated words to subtract (e.g. man).")
  var negative = ""
  @Option(help: "cosadd (3CosAdd) or cosmul (3CosMul).")
  var method: KeyedVectors.AnalogyMethod = .cosAdd
  @Option(help: "How many answers.")
  var top = 5

  func run() throws {
    let split = { (list: String) in list.split(separator: ",").map { String($0) } }
    Embed.printScores(
      try source.load().vectors.analogy(
        positive: split(positive), negative: split(negative), method: method, top: top))
  }
}

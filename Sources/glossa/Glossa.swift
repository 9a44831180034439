import ArgumentParser

@main
struct Glossa: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "glossa",
    abstract: "Learning from text and sequences: tokenizers, embeddings and neural networks.",
    discussion: """
      Glossa implements the lecture's neural networks, text representations, tokenizers, \
      word embeddings and recurrent networks, and trains its applications on your data. \
      Start with glossa demo; glossa help SUBCOMMAND shows a subcommand's options and \
      examples.

      Examples:
        glossa demo --quick
        glossa tokenize "Don't stop believing."
        glossa train classify --train reviews.tsv --output sentiment
        glossa predict --model sentiment "A warm, funny film."
      """,
    version: "0.1.0",
    subcommands: [
      Demo.self, Tokenize.self, TokenizerCommand.self, Vectorize.self, Embed.self, Train.self, Evaluate.self,
      Predict.self, Generate.self, Next.self, Translate.self, Transcribe.self, Diagnose.self,
    ]
  )

  /// Runs the command; in an MPI job, a process that finishes well ends MPI (every process
  /// does), and one that fails exits at once with status 1, whereupon mpirun ends the others.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
      Launch.group?.finalize()
    } catch {
      exit(withError: error)
    }
  }
}

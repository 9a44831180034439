import ArgumentParser

@main
struct Glossa: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "glossa",
    abstract: "Learning from text and sequences: tokenizers, embeddings and neural networks.",
    discussion: """
      Glossa implements the lecture's neural networks, text representations, tokenizers,
      word embeddings and recurrent networks. Start with `glossa demo`.
      """,
    version: "0.1.0",
    subcommands: [
      Demo.self, Tokenize.self, TokenizerCommand.self, Vectorize.self, Embed.self, Train.self, Evaluate.self,
      Predict.self, Generate.self, Next.self, Translate.self, Transcribe.self, Diagnose.self,
    ]
  )
}

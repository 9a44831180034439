import ArgumentParser
import GlossaText

/// `glossa tokenizer`: train and inspect subword tokenizers.
struct TokenizerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenizer", abstract: "Train and inspect subword tokenizers.",
    subcommands: [TokenizerTrain.self, TokenizerInfo.self, TokenizerConvert.self])
}

extension TokenizerTraining.Kind: ExpressibleByArgument {}

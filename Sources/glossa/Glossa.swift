import ArgumentParser

@main
struct Glossa: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "glossa", abstract: "Learning from text and sequences.", version: "0.1.0")
}

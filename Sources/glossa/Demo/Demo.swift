import ArgumentParser
import Foundation
import GlossaTensor

/// `glossa demo`: the whole lecture, in its order, on real text, with a report to look at.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Walk through the whole lecture on real text and write a report with its plots.",
    discussion: """
      1. Neural networks: a neuron, forward propagation and the loss, a network learning XOR, \
      why non-linearity matters, batch, stochastic and mini-batch gradient descent, the \
      learning rate.
      2. Text as numbers: one-hot, bag-of-words and TF-IDF of the lecture's reviews; word, \
      Treebank and character tokenization; the lecture's BPE merges and [UNK]; token ids.
      3. Word embeddings: skip-gram on two Austen novels, neighbours, analogies, a 2-D map.
      4. Recurrent networks: how far back the gradient reaches in an RNN, an LSTM and a GRU.
      5. Applications, each trained on its own data and scored on text it never saw: \
      sentiment, a language model writing, a part-of-speech tagger, a stock forecast, an \
      English-to-Spanish translator with attention and without, a speech recogniser writing \
      down numbers spoken by voices it never heard.

      The data ships with glossa (samples of public-domain and openly licensed datasets). \
      The report (index.html and each plot as SVG) goes to --output. Every part checks its \
      own numbers (XOR solved, the lecture's merges, an analogy answered, the LSTM's gradient \
      outliving the RNN's, each application above its baseline, attention helping the \
      translator, the recogniser hearing digits); the command fails when one does not hold. --quick runs the same steps on less data in under a minute.

      Examples:
        glossa demo --quick
        glossa demo --output report --seed 7
      """)

  @Flag(help: "The short run: less data, fewer epochs, the same checks.")
  var quick = false
  @Option(help: "Where the report goes (index.html and the plots).")
  var output = "glossa-demo"
  @Option(help: "Seed for every random choice.")
  var seed: UInt64 = 0
  @Option(help: "A folder with the demo's data files, instead of the ones glossa ships with.")
  var data: String?

  func run() throws {
    let start = Date()
    let folder = try data.map(URL.init(fileURLWithPath:)) ?? Self.bundledData()
    let run = DemoRun(seed: seed, quick: quick, data: folder, title: "Glossa: the lecture, run")
    try networks(run)
    try textAsNumbers(run)
    try embeddings(run)
    recurrentNetworks(run)
    try applications(run)
    let seconds = Date().timeIntervalSince(start)
    let failed = run.checks.filter { !$0.passed }
    let summary =
      "glossa demo\(quick ? " --quick" : ""), seed \(seed): \(run.checks.count - failed.count) of "
      + "\(run.checks.count) checks passed in \(seconds.formatted(0)) s on \(ProcessInfo.processInfo.activeProcessorCount) cores"
    let destination = URL(fileURLWithPath: output)
    try run.write(to: destination, subtitle: summary)
    print("\n\(summary)")
    print("report: \(destination.appendingPathComponent("index.html").path)")
    let models = destination.appendingPathComponent("models").path
    print("models: \(models) (serve them: swift run -c release glossa-server --models \(models))")
    if !failed.isEmpty {
      FileHandle.standardError.write(
        Data(("checks failed:\n" + failed.map { "  \($0.name): \($0.detail)\n" }.joined()).utf8))
      throw ExitCode.failure
    }
  }

  /// The data folder that ships inside glossa's resource bundle, which stays beside the
  /// executable (SwiftPM's `Bundle.module` would stop the process with a fatal error when the
  /// bundle is missing, as when the executable was copied without it).
  static func bundledData() throws -> URL {
    let folder = Bundle.main.bundleURL
    let bundles = ["Glossa_glossa.resources", "Glossa_glossa.bundle"].map {
      folder.appendingPathComponent($0)
    }
    guard
      let url = bundles.lazy.compactMap({ Bundle(url: $0)?.url(forResource: "DemoData", withExtension: nil) })
        .first
    else {
      throw ValidationError(
        "the demo's data is missing: \(bundles[0].path) should be beside glossa (or give --data DIR)")
    }
    return url
  }
}

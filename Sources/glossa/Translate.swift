import ArgumentParser
import Foundation
import GlossaModels
import GlossaTensor
import GlossaViz

/// `glossa translate`: translate sentences with a saved translation model.
struct Translate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Translate sentences with a model trained by glossa train translate.",
    discussion: """
      Each TEXT (or each line of standard input when none is given) is translated, one \
      translation per line on standard output, by beam search (--beam 1 is greedy decoding). \
      --attention-plot draws which source tokens each output token attended to, as an SVG \
      heat map (one file per sentence: NAME-2.svg for the second, and so on).

      Examples:
        glossa translate --model en-es "And God said, Let there be light."
        glossa translate --model en-es --beam 1 < english.txt > spanish.txt
        glossa translate --model en-es --attention-plot attention.svg \\
          "In the beginning was the Word."
      """)

  @Option(help: "The model directory.")
  var model: String
  @Argument(help: "The sentences (default: the lines of standard input).")
  var texts: [String] = []
  @OptionGroup var decoding: DecodingFlags
  @Option(name: .customLong("attention-plot"), help: "Draw the attention weights as an SVG heat map.")
  var attentionPlot: String?

  func run() throws {
    guard case .translator(let translator) = try SavedModel(contentsOf: URL(fileURLWithPath: model)) else {
      throw ValidationError("\(model) is not a translation model (train one with glossa train translate)")
    }
    var sentences = texts
    if sentences.isEmpty {
      while let line = readLine() { sentences.append(line) }
    }
    var options = try decoding.options()
    options.keepsAttention = attentionPlot != nil
    let output = OutputBuffer()
    // Blank lines stay blank, so that line n of the output translates line n of the input.
    let nonEmpty = sentences.indices.filter { !sentences[$0].allSatisfy(\.isWhitespace) }
    let start = Date()
    let translations = try translator.translate(nonEmpty.map { sentences[$0] }, options: options)
    var byLine = [String](repeating: "", count: sentences.count)
    for (k, index) in nonEmpty.enumerated() { byLine[index] = translations[k].text }
    for line in byLine { output.append(line + "\n") }
    output.flush()
    let seconds = max(Date().timeIntervalSince(start), 1e-9)
    FileHandle.standardError.write(
      Data(
        String(format: "%d sentences, %.1f sentences/s\n", nonEmpty.count, Double(nonEmpty.count) / seconds)
          .utf8))
    if let attentionPlot {
      guard translator.attention != nil else {
        throw ValidationError("this model has no attention to plot (it was trained with --attention none)")
      }
      for (k, translation) in translations.enumerated() {
        let url = Self.plotURL(attentionPlot, index: k, count: translations.count)
        try Self.heatMap(translation).svg.write(to: url, atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("wrote \(url.path)\n".utf8))
      }
    }
  }

  /// The file of sentence `index`'s plot: NAME.svg alone, NAME-2.svg for the second of several.
  static func plotURL(_ path: String, index: Int, count: Int) -> URL {
    let url = URL(fileURLWithPath: path)
    guard count > 1, index > 0 else { return url }
    let ext = url.pathExtension.isEmpty ? "svg" : url.pathExtension
    return url.deletingLastPathComponent().appendingPathComponent(
      url.deletingPathExtension().lastPathComponent + "-\(index + 1).\(ext)")
  }

  /// The attention weights of a translation: a row per output token (and the end), a column
  /// per source token.
  static func heatMap(_ translation: Translation) -> HeatMap {
    let rows = translation.attention ?? []
    return HeatMap(
      title: "Attention: which source tokens (columns) each output token (rows) read",
      values: rows.map { $0.map(Double.init) },
      rowLabels: Array((translation.tokens + ["</s>"]).prefix(rows.count)),
      columnLabels: translation.sourceTokens)
  }
}

/// How a translation model decodes (glossa translate and glossa evaluate).
struct DecodingFlags: ParsableArguments {
  @Option(help: "translation and speech: the beam size (1: greedy decoding).")
  var beam = 5
  @Option(name: .customLong("length-penalty"), help: "translation: gnmt:ALPHA, average or none.")
  var lengthPenalty = "gnmt:0.6"
  @Option(
    name: .customLong("max-length-ratio"),
    help: "translation: at most RATIO · source tokens + 10 tokens are written.")
  var maximumLengthRatio = 2.0
  @Option(name: .customLong("block-ngram"), help: "translation: no n-gram of this length appears twice.")
  var blockNGram: Int?
  @Flag(help: "translation: cut sources longer than the model's limit (otherwise they are an error).")
  var truncate = false
  @Option(name: .customLong("decode-batch"), help: "translation: sentences decoded together.")
  var batchSize = 32
  @Option(help: "translation: threads, each decoding its own batches (default: all cores).")
  var threads: Int?

  func validate() throws { _ = try options() }

  /// The decoding options these flags give (BLAS is given --threads threads here).
  func options() throws -> DecodingOptions {
    guard beam >= 1 else { throw ValidationError("--beam must be positive, not \(beam)") }
    guard batchSize >= 1 else { throw ValidationError("--decode-batch must be positive, not \(batchSize)") }
    if let threads, threads < 1 { throw ValidationError("--threads must be positive, not \(threads)") }
    if let blockNGram, blockNGram < 1 { throw ValidationError("--block-ngram must be positive") }
    guard maximumLengthRatio > 0 else { throw ValidationError("--max-length-ratio must be positive") }
    if let threads { BLAS.setThreads(threads) }
    var options = DecodingOptions()
    options.strategy = beam == 1 ? .greedy : .beam(size: beam)
    options.maximumLengthRatio = maximumLengthRatio
    options.blockRepeatedNGrams = blockNGram
    options.truncate = truncate
    options.batchSize = batchSize
    options.lengthPenalty = try Self.lengthPenalty(lengthPenalty)
    return options
  }

  /// `gnmt:ALPHA`, `average` or `none`.
  static func lengthPenalty(_ text: String) throws -> LengthPenalty {
    switch text {
    case "none": return .none
    case "average": return .average
    default:
      guard text.hasPrefix("gnmt:"), let alpha = Double(text.dropFirst(5)), alpha >= 0 else {
        throw ValidationError(
          "--length-penalty must be gnmt:ALPHA (ALPHA ≥ 0), average or none, not '\(text)'")
      }
      return .gnmt(alpha: alpha)
    }
  }
}

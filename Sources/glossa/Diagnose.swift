import ArgumentParser
import Foundation
import GlossaData
import GlossaModels
import GlossaNN
import GlossaViz

/// `glossa diagnose`: look inside networks.
struct Diagnose: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Look inside recurrent networks: how far back their gradients reach.",
    subcommands: [DiagnoseGradients.self])
}

/// `glossa diagnose gradients`: ‖∂loss/∂h_t‖ at every step t.
struct DiagnoseGradients: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gradients",
    abstract: "Print and plot ‖∂loss/∂h_t‖ at every step: vanishing and exploding gradients.",
    discussion: """
      Backpropagation through time multiplies the gradient by each step's Jacobian \
      ∂h_t/∂h_{t-1}, so the gradient reaching step t from a loss at the last step shrinks \
      (vanishes) or grows (explodes) with the distance unless the unit's gates carry it. \
      The loss is the sum of the last hidden state.

      Without --model, fresh cells (PyTorch's initialisation, --hidden units, 8 features) \
      read --steps steps of random inputs; the norms are the geometric mean over \
      --initialisations of them, as one draw of weights can keep far more or less than is \
      usual. With --model, the first recurrent layer of a trained model reads --data as the model was trained to: a language model the file's \
      first --steps tokens, a classifier the longest text and a tagger the longest sentence \
      among the file's first 1,000.

      Examples:
        glossa diagnose gradients --cell rnn --cell lstm --steps 100 \\
          --output gradients.svg
        glossa diagnose gradients --model lm --data valid.txt --steps 200
      """)

  @Option(help: "The recurrent unit: rnn, lstm or gru (repeatable; default: all three).")
  var cell: [Train.Cell] = []
  @Option(help: "Time steps.")
  var steps = 50
  @Option(help: "Units of the fresh cells.")
  var hidden = 32
  @Option(help: "The seed of the fresh cells' weights and inputs.")
  var seed: UInt64 = 0
  @Option(help: "Fresh cells: the geometric mean over this many random initialisations.")
  var initialisations = 8
  @Option(help: "A trained model's directory (a language model, classifier or tagger).")
  var model: String?
  @Option(help: "With --model: the text the model reads (a file of its training format).")
  var data: String?
  @Option(help: "Also draw the norms into this SVG file.")
  var output: String?

  func validate() throws {
    guard steps >= 1, hidden >= 1, initialisations >= 1 else {
      throw ValidationError("--steps, --hidden and --initialisations must be positive")
    }
    if (model == nil) != (data == nil) { throw ValidationError("--model and --data go together") }
    if model != nil && !cell.isEmpty { throw ValidationError("--cell is for fresh cells, not with --model") }
  }

  func run() throws {
    let series: [(name: String, norms: [Double])]
    if let model, let data {
      let loaded = try SavedModel(contentsOf: URL(fileURLWithPath: model))
      let (recurrent, text) = try Self.input(of: loaded, data: URL(fileURLWithPath: data))
      let norms = recurrent.hiddenStateGradients(text, steps: steps)
      guard !norms.isEmpty else {
        throw ValidationError("\(data): the model finds no tokens to read")
      }
      series = [
        ("\(recurrent.rnn.kind.rawValue), layer 1 of \(URL(fileURLWithPath: model).lastPathComponent)", norms)
      ]
    } else {
      series = (cell.isEmpty ? Train.Cell.allCases.sorted { $0.order < $1.order } : cell).map {
        (
          $0.rawValue,
          GradientFlow.hiddenStateGradients(
            kind: $0.kind, steps: steps, hidden: hidden, seed: seed, initialisations: initialisations)
        )
      }
    }
    for line in Self.table(series) { print(line) }
    if let output {
      try Self.plot(series).write(to: URL(fileURLWithPath: output))
      FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
    }
  }

  /// The model's recurrent part and the text it reads from `data`.
  static func input(of model: SavedModel, data: URL) throws -> (any RecurrentTextModel, String) {
    switch model {
    case .languageModel(let m):
      let handle = try FileHandle(forReadingFrom: data)
      defer { try? handle.close() }
      // Enough text for any --steps a person would plot.
      return (m, String(decoding: try handle.read(upToCount: 1 << 20) ?? Data(), as: UTF8.self))
    case .classifier(let m):
      let texts = try LabeledText.read(data).prefix(1000).map(\.text)
      return (m, texts.max { $0.count < $1.count } ?? "")
    case .tagger(let m):
      let sentences = try TaggedSentence.read(data).prefix(1000).map(\.tokens)
      return (m, (sentences.max { $0.count < $1.count } ?? []).joined(separator: " "))
    case .forecaster, .translator, .speech:
      throw ValidationError("diagnose gradients reads text models (language model, classifier, tagger)")
    }
  }

  /// One row per step: each series' ‖∂L/∂h_t‖; then the first step's relative to the last's.
  static func table(_ series: [(name: String, norms: [Double])]) -> [String] {
    let width = max(12, series.map(\.name.count).max() ?? 0)
    func column(_ text: String) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
    var lines = [
      "‖∂loss/∂h_t‖ at each step t, the loss being Σ h_T at the last step T",
      (["step  "] + series.map { column($0.name) }).joined(separator: "  "),
    ]
    for t in 0..<(series.map(\.norms.count).max() ?? 0) {
      let cells = series.map { column(t < $0.norms.count ? String(format: "%.3e", $0.norms[t]) : "") }
      lines.append(
        ([String(t + 1).padding(toLength: 6, withPad: " ", startingAt: 0)] + cells).joined(separator: "  "))
    }
    let ratios = series.map { s in
      "\(s.name) \(String(format: "%.2e", (s.norms.first ?? 0) / max(s.norms.last ?? 1, .leastNormalMagnitude)))"
    }
    lines.append("step 1 relative to step T: " + ratios.joined(separator: ", "))
    return lines
  }

  /// The norms by step, on a log scale.
  static func plot(_ series: [(name: String, norms: [Double])]) -> LinePlot {
    var plot = LinePlot(
      title: "Gradient reaching each step from a loss at the last", xLabel: "time step t",
      yLabel: "‖∂loss/∂h_t‖ (log scale)", logarithmicY: true)
    for s in series {
      plot.add(.init(s.name, s.norms.enumerated().map { (Double($0.offset + 1), $0.element) }))
    }
    return plot
  }
}

extension Train.Cell {
  /// The lecture's order: the plain RNN first, then the gated units.
  var order: Int { [Train.Cell.rnn, .lstm, .gru].firstIndex(of: self)! }
}

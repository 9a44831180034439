import Foundation
import GlossaModels
import GlossaViz

/// What one run of `glossa demo` has shown so far: every line it printed, under its section,
/// the figures, and the checks of its own numbers. Each line goes to standard output as it
/// comes and into the HTML report.
final class DemoRun {
  /// The seed of every random choice.
  let seed: UInt64
  /// Whether this is the short run (smaller data and fewer epochs, the same steps).
  let quick: Bool
  /// The folder of the demo's data files.
  let data: URL
  private(set) var report: HTMLReport
  /// Each figure's file name (in the report's folder) and markup.
  private(set) var figures: [(file: String, svg: String)] = []
  /// What the demo checked of its own results.
  private(set) var checks: [(name: String, passed: Bool, detail: String)] = []
  private var sectionStart = Date()
  /// The trained models to save with the report (each by its name and how to save it), so
  /// that `glossa-server --models FOLDER/models` serves them.
  private(set) var models: [(name: String, save: (URL) throws -> Void)] = []

  init(seed: UInt64, quick: Bool, data: URL, title: String) {
    (self.seed, self.quick, self.data) = (seed, quick, data)
    report = HTMLReport(title: title)
  }

  /// A data file of the demo's.
  func file(_ name: String) -> URL { data.appendingPathComponent(name) }

  /// Starts a part of the lecture.
  func part(_ title: String) {
    print("\n\(title)\n\(String(repeating: "=", count: title.count))")
    report.section(title)
  }

  /// Starts a step within a part.
  func heading(_ title: String) {
    print("\n== \(title) ==")
    report.line("")
    report.line("== \(title) ==")
    sectionStart = Date()
  }

  /// Prints a line (and keeps it for the report).
  func say(_ line: String) {
    print(line)
    report.line(line)
  }

  /// Seconds since the current step's heading.
  var stepSeconds: Double { Date().timeIntervalSince(sectionStart) }

  /// A figure, saved as `file` beside the report and drawn inside it.
  func figure(_ file: String, _ picture: some SVGDocument, caption: String) {
    figures.append((file, picture.svg))
    report.figure(picture, caption: caption)
    say("(figure: \(file))")
  }

  /// A training run's loss by epoch (training and validation), as a figure titled `title`.
  func lossFigure(_ file: String, _ result: TrainingResult, title: String, caption: String) {
    var plot = result.lossPlot
    plot.title = title
    figure(file, plot, caption: caption)
  }

  /// Records whether a result is what the lecture says it should be.
  func check(_ name: String, _ passed: Bool, _ detail: String) {
    checks.append((name, passed, detail))
    say("check: \(name): \(passed ? "ok" : "FAILED") (\(detail))")
  }

  /// Keeps a trained model, to be saved as `models/NAME` beside the report.
  func keep(_ name: String, save: @escaping (URL) throws -> Void) { models.append((name, save)) }

  /// Writes `index.html` and the figures into `folder`, each through a temporary file, and
  /// the kept models into `folder/models`.
  func write(to folder: URL, subtitle: String) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let modelFolder = folder.appendingPathComponent("models")
    try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
    for (name, save) in models { try save(modelFolder.appendingPathComponent(name)) }
    var page = report
    page.subtitle = subtitle
    page.section("Checks")
    page.table(
      header: ["check", "result", "detail"],
      rows: checks.map { [$0.name, $0.passed ? "ok" : "FAILED", $0.detail] })
    for (file, svg) in figures {
      try Data(svg.utf8).write(to: folder.appendingPathComponent(file), options: .atomic)
    }
    try page.write(to: folder.appendingPathComponent("index.html"))
  }
}

extension Double {
  /// The value with `digits` decimals.
  func formatted(_ digits: Int) -> String { String(format: "%.\(digits)f", self) }
}

extension String {
  /// The text padded with spaces to `width` characters.
  func padded(_ width: Int) -> String { padding(toLength: max(width, count), withPad: " ", startingAt: 0) }
}

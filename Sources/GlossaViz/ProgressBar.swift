import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Progress of long work on standard error: a bar redrawn in place on a terminal, a plain
/// line every few seconds otherwise (logs, pipes). Quiet for work that ends within 2 s.
/// Calls come from one thread at a time (a trainer reports from its first thread only).
public final class ProgressBar: @unchecked Sendable {
  /// What is counted (shown first).
  public let label: String
  /// The count at which the work is done.
  public let total: Int
  private let start = Date()
  private var lastShown = Date.distantPast
  private var shown = false
  private let terminal = isatty(STDERR_FILENO) != 0

  /// A bar for `total` steps of `label`.
  public init(label: String, total: Int) {
    self.label = label
    self.total = total
  }

  /// Shows `done` of `total`, followed by `detail` (rates, estimates) when given.
  public func update(_ done: Int, detail: String = "") {
    let now = Date()
    guard now.timeIntervalSince(start) > 2, now.timeIntervalSince(lastShown) > (terminal ? 0.1 : 5) else {
      return
    }
    lastShown = now
    shown = true
    let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
    let elapsed = String(format: "%.0fs", now.timeIntervalSince(start))
    if terminal {
      let width = 30
      let filled = Int(fraction * Double(width))
      let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      FileHandle.standardError.write(
        Data("\r\(label) [\(bar)] \(detail.isEmpty ? "\(done)/\(total)" : detail) \(elapsed)".utf8))
    } else {
      FileHandle.standardError.write(
        Data("\(label): \(detail.isEmpty ? "\(done)/\(total)" : detail) after \(elapsed)\n".utf8))
    }
  }

  /// Ends the bar's line (on a terminal, when it was shown).
  public func finish() {
    if shown && terminal { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}

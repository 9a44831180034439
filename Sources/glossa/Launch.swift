import Foundation
import GlossaDistributed

/// The processes this one trains with when mpirun started several (nil: alone).
enum Launch {
  nonisolated(unsafe) private(set) static var group: MPICommunicator?

  /// Joins the MPI job this process was started in, if any, and checks that every process
  /// was given the same command line.
  static func join(timeout: Double) throws {
    group = try MPICommunicator.launched(timeout: timeout)
    try group?.requireSame(CommandLine.arguments.dropFirst().joined(separator: " "), "the command lines")
  }

  /// Whether this process writes files and speaks: alone, or process 0 of an MPI job (every
  /// process ends with the same model).
  static var speaks: Bool { group?.isRoot ?? true }

  /// Writes progress or results on standard error, from the process that speaks.
  static func say(_ text: String) {
    if speaks { FileHandle.standardError.write(Data(text.utf8)) }
  }
}

import GlossaDistributed

/// The processes this one trains with when mpirun started several (nil: alone).
enum Launch {
  nonisolated(unsafe) private(set) static var group: MPICommunicator?

  /// Joins the MPI job this process was started in, if any.
  static func join(timeout: Double) throws {
    group = try MPICommunicator.launched(timeout: timeout)
  }
}

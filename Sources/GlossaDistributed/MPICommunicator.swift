import Foundation
import GlossaData

#if MPI
  import CMPI
  import GlossaLock
  import Synchronization
#endif

/// The processes `mpirun` started, as a `ProcessGroup`: Open MPI's world communicator. Give it
/// to GlossaModels' `TrainerSettings.processGroup` and a `Trainer` trains data-parallel
/// (`mpirun -np 4 glossa train lm …`), or to `Word2Vec.processGroup` to train embeddings by
/// model averaging.
///
/// MPI is optional: the package's `MPI` trait (`swift build --traits MPI`, Open MPI installed)
/// builds this binding; without it ``launched(timeout:)`` returns nil for a process started
/// alone and refuses one that `mpirun` started as one of several.
///
/// A collective call that waits longer than the timeout for the other processes (one died or
/// hangs) ends this process with an error naming the call, and `mpirun` then ends the job:
/// a fault stops the job, never hangs it.
public final class MPICommunicator: ProcessGroup, @unchecked Sendable {
  /// This process's rank in the world communicator.
  public let rank: Int
  /// The number of processes.
  public let size: Int
  /// How long a collective call may wait for the others, in seconds.
  public let timeout: Double

  /// How many processes the launcher says the job has, and this one's rank (Open MPI's,
  /// PMIx's or PMI's variables); nil for a process started alone.
  public static var launch: (rank: Int, size: Int)? {
    let environment = ProcessInfo.processInfo.environment
    for (rankName, sizeName) in [
      ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"), ("PMIX_RANK", "PMIX_SIZE"), ("PMI_RANK", "PMI_SIZE"),
    ] {
      if let rank = environment[rankName].flatMap(Int.init),
        let size = environment[sizeName].flatMap(Int.init)
      {
        return (rank, size)
      }
    }
    return nil
  }

  /// Whether this build has the MPI binding (the `MPI` trait).
  public static var isAvailable: Bool {
    #if MPI
      true
    #else
      false
    #endif
  }

  #if MPI
    private static let joined = Locked<MPICommunicator?>(nil)
    private let world = glossa_mpi_comm_world()
    /// When the collective call under way must end (nanoseconds of the monotonic clock; 0:
    /// no call), watched by a thread of its own.
    private let deadline = Atomic<UInt64>(0)
    private let operation = Locked("")
  #endif

  /// The world communicator when `mpirun` (or another MPI launcher) started this process as
  /// one of several, initialising MPI once; nil for a process started alone. A build without
  /// the `MPI` trait throws ``MPIError/notBuilt(size:)`` for a process of several.
  public static func launched(timeout: Double = 600) throws -> MPICommunicator? {
    guard let launch, launch.size > 1 else { return nil }
    #if MPI
      return try joined.withLock { current in
        if let current { return current }
        var provided: Int32 = 0
        try check(MPI_Init_thread(nil, nil, glossa_mpi_thread_serialized(), &provided), "MPI_Init_thread")
        var (rank, size): (Int32, Int32) = (0, 0)
        try check(MPI_Comm_rank(glossa_mpi_comm_world(), &rank), "MPI_Comm_rank")
        try check(MPI_Comm_size(glossa_mpi_comm_world(), &size), "MPI_Comm_size")
        let communicator = MPICommunicator(rank: Int(rank), size: Int(size), timeout: timeout)
        communicator.startWatchdog()
        current = communicator
        return communicator
      }
    #else
      throw MPIError.notBuilt(size: launch.size)
    #endif
  }

  private init(rank: Int, size: Int, timeout: Double) {
    (self.rank, self.size, self.timeout) = (rank, size, timeout)
  }

  /// Waits until every process has called it.
  public func barrier() throws {
    #if MPI
      try collective("MPI_Barrier") { MPI_Barrier(world) }
    #endif
  }

  public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws {
    #if MPI
      guard let base = values.baseAddress else { return try barrier() }
      try collective("MPI_Allreduce") {
        MPI_Allreduce(
          glossa_mpi_in_place(), base, Int32(values.count), glossa_mpi_float(), glossa_mpi_sum(), world)
      }
    #endif
  }

  public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, from root: Int) throws {
    #if MPI
      guard let base = values.baseAddress else { return }
      try collective("MPI_Bcast") {
        MPI_Bcast(base, Int32(values.count), glossa_mpi_float(), Int32(root), world)
      }
    #endif
  }

  public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
    #if MPI
      var lengths = [Int32](repeating: 0, count: size)
      var length = Int32(bytes.count)
      try collective("MPI_Allgather") {
        MPI_Allgather(&length, 1, glossa_mpi_int(), &lengths, 1, glossa_mpi_int(), world)
      }
      var offsets = [Int32](repeating: 0, count: size)
      for k in 1..<max(size, 1) { offsets[k] = offsets[k - 1] + lengths[k - 1] }
      var gathered = [UInt8](repeating: 0, count: Int(lengths.reduce(0, +)))
      var own = bytes
      try collective("MPI_Allgatherv") {
        MPI_Allgatherv(
          &own, length, glossa_mpi_byte(), &gathered, lengths, offsets, glossa_mpi_byte(), world)
      }
      return (0..<size).map { Array(gathered[Int(offsets[$0])..<Int(offsets[$0] + lengths[$0])]) }
    #else
      [bytes]
    #endif
  }

  /// Ends MPI in this process (after the last collective call; every process must call it).
  public func finalize() {
    #if MPI
      deadline.store(UInt64.max, ordering: .relaxed)
      MPI_Finalize()
    #endif
  }

  #if MPI
    private static func check(_ code: Int32, _ call: String) throws {
      guard code == glossa_mpi_success() else { throw MPIError.failed(call: call, code: Int(code)) }
    }

    /// Runs an MPI collective call under the watchdog.
    private func collective(_ name: String, _ call: () -> Int32) throws {
      operation.withLock { $0 = name }
      deadline.store(DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9), ordering: .releasing)
      let code = call()
      deadline.store(0, ordering: .releasing)
      try Self.check(code, name)
    }

    /// A thread that ends the process when a collective call outlives its deadline: another
    /// process has died or hangs, and MPI would wait for it for ever.
    private func startWatchdog() {
      let thread = Thread { [self] in
        while true {
          Thread.sleep(forTimeInterval: min(1, timeout / 4))
          let due = deadline.load(ordering: .acquiring)
          if due == UInt64.max { return }
          guard due != 0, DispatchTime.now().uptimeNanoseconds > due else { continue }
          let name = operation.withLock { $0 }
          FileHandle.standardError.write(
            Data(
              ("glossa: process \(rank) of \(size) waited more than \(Int(timeout)) s in \(name) for the other "
                + "processes (one has died or hangs); ending the job\n").utf8))
          // mpirun forwards output as it comes: give it time before the job ends.
          Thread.sleep(forTimeInterval: 1)
          exit(1)
        }
      }
      thread.start()
    }
  #endif
}

/// Why MPI could not be used.
public enum MPIError: Error, CustomStringConvertible, Equatable {
  /// `mpirun` started this process as one of `size`, but this build has no MPI binding.
  case notBuilt(size: Int)
  /// An MPI call returned an error code.
  case failed(call: String, code: Int)

  public var description: String {
    switch self {
    case .notBuilt(let size):
      "started as one of \(size) MPI processes, but this glossa was built without MPI: install Open MPI "
        + "(scripts/setup.sh --mpi) and build with `swift build -c release --traits MPI`"
    case .failed(let call, let code): "\(call) failed with MPI error code \(code)"
    }
  }
}

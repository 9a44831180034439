import Foundation

/// Processes that train one model together, on one machine or several. With data
/// parallelism (GlossaModels' `Trainer`, given one in `TrainerSettings.processGroup`) each
/// process holds a replica of the model and computes the gradients of its part of every batch,
/// and the parts' gradients are summed across the group before each optimizer step; with model
/// averaging (`Word2Vec`, `FastText`) each trains on its share of the corpus and the models are
/// averaged now and then. GlossaDistributed's `MPICommunicator` is one (Open MPI).
///
/// Every method is collective: each process of the group must call it, in the same order.
public protocol ProcessGroup: AnyObject, Sendable {
  /// This process's place in the group, from 0.
  var rank: Int { get }
  /// How many processes the group has.
  var size: Int { get }
  /// Sums `values` element by element across the group, in place. Every process receives
  /// the same sums, bit for bit.
  func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws
  /// Replaces `values` on every process by those of process `root`.
  func broadcast(_ values: UnsafeMutableBufferPointer<Float>, from root: Int) throws
  /// Every process's `bytes` (their lengths may differ), in rank order.
  func allGather(_ bytes: [UInt8]) throws -> [[UInt8]]
}

/// Why processes training together stopped.
public enum DistributedError: Error, CustomStringConvertible, Equatable {
  /// A process failed; every process of the group reports it.
  case processFailed(rank: Int, size: Int, message: String)
  /// A value that must be the same on every process is not (options given differently to
  /// different processes, or replicas whose parameters drifted apart).
  case inconsistent(what: String, rank: Int, value: String, rootValue: String)
  /// A task cannot be shared between this many processes.
  case tooManyProcesses(String)

  public var description: String {
    switch self {
    case .processFailed(let rank, let size, let message): "process \(rank) of \(size) failed: \(message)"
    case .inconsistent(let what, let rank, let value, let rootValue):
      "\(what) differ between processes: process \(rank) has \(value), process 0 has \(rootValue)"
    case .tooManyProcesses(let message): message
    }
  }
}

extension ProcessGroup {
  /// Whether this is process 0, the one that writes files and prints.
  public var isRoot: Bool { rank == 0 }

  /// Runs `body` on every process and agrees on the outcome: when it throws on any process,
  /// every process throws ``DistributedError/processFailed(rank:size:message:)`` naming the
  /// first that failed and why (rather than the others waiting for it in the next collective
  /// call).
  public func agree<T>(_ body: () throws -> T) throws -> T {
    var outcome: Result<T, any Error>
    do { outcome = .success(try body()) } catch { outcome = .failure(error) }
    var status: [UInt8] = [0]
    if case .failure(let error) = outcome { status = [1] + Array(String(describing: error).utf8) }
    for (rank, answer) in try allGather(status).enumerated() where answer.first != 0 {
      throw DistributedError.processFailed(
        rank: rank, size: size, message: String(decoding: answer.dropFirst(), as: UTF8.self))
    }
    return try outcome.get()
  }

  /// Checks that `value` is the same on every process; `what` names it in the error.
  public func requireSame(_ value: String, _ what: String) throws {
    let values = try allGather(Array(value.utf8)).map { String(decoding: $0, as: UTF8.self) }
    if let rank = values.firstIndex(where: { $0 != values[0] }) {
      throw DistributedError.inconsistent(what: what, rank: rank, value: values[rank], rootValue: values[0])
    }
  }

  /// Checks that `values` (named settings) are the same on every process; the error names
  /// the settings that differ. `what` names them all.
  public func requireSame(_ values: [String: String], _ what: String) throws {
    let lines = values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    let gathered = try allGather(Array(lines.joined(separator: "\n").utf8)).map {
      Set(String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init))
    }
    guard let rank = gathered.firstIndex(where: { $0 != gathered[0] }) else { return }
    throw DistributedError.inconsistent(
      what: what, rank: rank, value: gathered[rank].subtracting(gathered[0]).sorted().joined(separator: ", "),
      rootValue: gathered[0].subtracting(gathered[rank]).sorted().joined(separator: ", "))
  }

  /// Checks that `buffers` hold the same bits on every process (by a 64-bit FNV-1a hash of
  /// them), as replicas kept in step must; `what` names them in the error.
  public func requireSameBits(_ buffers: [UnsafeRawBufferPointer], _ what: String) throws {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for buffer in buffers {
      for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    }
    try requireSame(String(hash, radix: 16), what)
  }

  /// The smallest of every process's `value`.
  public func minimum(_ value: Int) throws -> Int {
    try allGather(withUnsafeBytes(of: Int64(value).littleEndian) { Array($0) }).map { bytes in
      Int(Int64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }))
    }.min() ?? value
  }
}

/// `body`, run on every process of `group` with ``ProcessGroup/agree(_:)``, or just run
/// without a group.
public func agreeing<T>(_ group: (any ProcessGroup)?, _ body: () throws -> T) throws -> T {
  guard let group, group.size > 1 else { return try body() }
  return try group.agree(body)
}

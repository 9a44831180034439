import Foundation
import GlossaTensor

/// Processes that train one model together: data parallelism across processes or machines.
/// Each process holds a replica of the model and computes the gradients of its part of every
/// batch; the parts' gradients are summed across the group before each optimizer step, so that
/// every replica takes the same step. GlossaDistributed's `MPICommunicator` is one (Open MPI);
/// a ``Trainer`` given one in ``TrainerSettings/processGroup`` trains data-parallel.
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

  /// The smallest of every process's `value`.
  public func minimum(_ value: Int) throws -> Int {
    try allGather(withUnsafeBytes(of: Int64(value).littleEndian) { Array($0) }).map { bytes in
      Int(Int64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }))
    }.min() ?? value
  }
}

/// The gradients of a model's parameters summed across a ``ProcessGroup``: packed into one
/// flat buffer with a presence flag per parameter (a parameter no process touched keeps no
/// gradient, as in a one-process run) and the step's loss and example count, then summed
/// bucket by bucket, so that one all-reduce carries many small tensors and none carries more
/// than ``bucketElements``.
final class GradientSum {
  /// The largest all-reduce, in floats (DDP's default bucket: 25 MB).
  static let bucketElements = 25 << 18

  private let parameters: [Tensor]
  private var buffer: [Float]

  /// A sum over `parameters` (a tensor listed twice, as tied weights are, counts once).
  init(_ parameters: [Tensor]) {
    var seen = Set<ObjectIdentifier>()
    self.parameters = parameters.filter { seen.insert(ObjectIdentifier($0)).inserted }
    buffer = [Float](
      repeating: 0, count: self.parameters.reduce(0) { $0 + $1.count } + self.parameters.count + 2)
  }

  /// Replaces each parameter's gradient by the sum of every process's, and returns the sums
  /// of `loss` (each process's share of the batch's loss) and `count`.
  func sum(over group: any ProcessGroup, loss: Float, count: Int) throws -> (loss: Float, count: Int) {
    let flags = buffer.count - parameters.count - 2
    try buffer.withUnsafeMutableBufferPointer { flat in
      var offset = 0
      for (k, parameter) in parameters.enumerated() {
        let target = UnsafeMutableBufferPointer(rebasing: flat[offset..<(offset + parameter.count)])
        if let grad = parameter.grad {
          _ = target.update(fromContentsOf: UnsafeBufferPointer(start: grad.baseAddress, count: grad.count))
        } else {
          target.update(repeating: 0)
        }
        flat[flags + k] = parameter.grad == nil ? 0 : 1
        offset += parameter.count
      }
      (flat[flat.count - 2], flat[flat.count - 1]) = (loss, Float(count))
      for start in stride(from: 0, to: flat.count, by: Self.bucketElements) {
        try group.allReduceSum(
          UnsafeMutableBufferPointer(rebasing: flat[start..<min(start + Self.bucketElements, flat.count)]))
      }
      offset = 0
      for (k, parameter) in parameters.enumerated() {
        defer { offset += parameter.count }
        guard flat[flags + k] > 0 else { continue }
        let grad = parameter.grad ?? Tensor(uninitialized: parameter.shape)
        grad.baseAddress.update(from: flat.baseAddress! + offset, count: parameter.count)
        parameter.grad = grad
      }
    }
    return (buffer[buffer.count - 2], Int(buffer[buffer.count - 1].rounded()))
  }

  /// Makes every process's parameters those of process 0.
  func broadcastParameters(from group: any ProcessGroup) throws {
    for parameter in parameters {
      try group.broadcast(
        UnsafeMutableBufferPointer(start: parameter.baseAddress, count: parameter.count), from: 0)
    }
  }

  /// A 64-bit FNV-1a hash of the parameters' bits, to check that the replicas agree.
  func fingerprint() -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for parameter in parameters {
      let bytes = UnsafeRawBufferPointer(start: parameter.baseAddress, count: parameter.count * 4)
      for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    }
    return String(hash, radix: 16)
  }
}

/// `body`, run on every process of `group` with ``ProcessGroup/agree(_:)``, or just run
/// without a group.
public func agreeing<T>(_ group: (any ProcessGroup)?, _ body: () throws -> T) throws -> T {
  guard let group, group.size > 1 else { return try body() }
  return try group.agree(body)
}

/// Consecutive runs of `count` items cut into at most `parts` non-empty runs of about equal
/// length: how a batch's examples are shared between threads or processes.
func consecutiveRuns(_ count: Int, _ parts: Int) -> [Range<Int>] {
  let n = min(parts, count)
  return (0..<n).map { (count * $0 / n)..<(count * ($0 + 1) / n) }
}

/// Word counts as bytes, to merge the counts of several processes' shares of a corpus.
enum WordCountCoding {
  /// Each word as its UTF-8 length (4 bytes), its UTF-8, and its count (8 bytes), little-endian.
  static func encode(_ words: [(word: String, count: Int)]) -> [UInt8] {
    var bytes: [UInt8] = []
    for (word, count) in words {
      withUnsafeBytes(of: UInt32(word.utf8.count).littleEndian) { bytes += $0 }
      bytes += word.utf8
      withUnsafeBytes(of: Int64(count).littleEndian) { bytes += $0 }
    }
    return bytes
  }

  /// The words of ``encode(_:)``'s bytes.
  static func decode(_ bytes: [UInt8]) -> [(word: String, count: Int)] {
    var words: [(word: String, count: Int)] = []
    var offset = 0
    bytes.withUnsafeBytes { raw in
      while offset + 4 <= raw.count {
        let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let word = String(decoding: raw[(offset + 4)..<(offset + 4 + length)], as: UTF8.self)
        let count = Int64(
          littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 + length, as: Int64.self))
        words.append((word, Int(count)))
        offset += 12 + length
      }
    }
    return words
  }

  /// The counts of each word summed, in order of first appearance: the shares' lists in order
  /// give the order of the whole corpus.
  static func sum(_ words: [(word: String, count: Int)]) -> [(word: String, count: Int)] {
    var index: [String: Int] = [:]
    var result: [(word: String, count: Int)] = []
    for (word, count) in words {
      if let i = index[word] {
        result[i].count += count
      } else {
        index[word] = result.count
        result.append((word, count))
      }
    }
    return result
  }
}

import Foundation
import GlossaData
import GlossaTensor

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

  /// Checks that every process holds the same parameters, bit for bit.
  func requireSameParameters(in group: any ProcessGroup) throws {
    try group.requireSameBits(
      parameters.map { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count * 4) },
      "the parameters after an epoch")
  }

  /// Makes every process's parameters those of process 0.
  func broadcastParameters(from group: any ProcessGroup) throws {
    for parameter in parameters {
      try group.broadcast(
        UnsafeMutableBufferPointer(start: parameter.baseAddress, count: parameter.count), from: 0)
    }
  }
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

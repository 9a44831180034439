import Foundation
import GlossaData
import GlossaNN
import GlossaTensor

/// The gradients of a model's parameters summed across a ``ProcessGroup``. The small ones
/// are packed into one flat buffer with a presence flag per parameter (a parameter no process
/// touched keeps no gradient, as in a one-process run) and the step's loss and example count,
/// so that one all-reduce carries many small tensors; a large one (an embedding, an output
/// layer) is summed where it lies, without copies; an embedding table's gradient, whose rows
/// are zero but for the tokens a batch holds, goes as those rows alone (each process gathers
/// every process's rows and adds them in rank order). No all-reduce carries more than
/// ``bucketElements``.
final class GradientSum {
  /// The largest all-reduce, in floats (DDP's default bucket: 25 MB).
  static let bucketElements = 25 << 18
  /// Gradients of at least this many floats (1 MB) are summed in place.
  static let inPlaceElements = 1 << 18

  /// How a parameter's gradient is summed.
  private enum Route {
    /// In the packed buffer, at this offset.
    case packed(Int)
    /// Where it lies.
    case inPlace
    /// As its non-zero rows.
    case rows
  }

  private let parameters: [Tensor]
  private let routes: [Route]
  private var buffer: [Float]

  /// A sum over `parameters` (a tensor listed twice, as tied weights are, counts once), those
  /// in `rowSparse` (embedding tables) row by row.
  init(_ parameters: [Tensor], rowSparse: Set<ObjectIdentifier> = []) {
    var seen = Set<ObjectIdentifier>()
    self.parameters = parameters.filter { seen.insert(ObjectIdentifier($0)).inserted }
    var size = 0
    routes = self.parameters.map { parameter in
      if rowSparse.contains(ObjectIdentifier(parameter)) && parameter.shape.count == 2 { return .rows }
      guard parameter.count < Self.inPlaceElements else { return .inPlace }
      defer { size += parameter.count }
      return .packed(size)
    }
    buffer = [Float](repeating: 0, count: size + self.parameters.count + 2)
  }

  /// The embedding tables of `model` that no other layer shares (a tied table's gradient is
  /// dense): the row-sparse parameters.
  static func embeddingTables(of model: any Module) -> Set<ObjectIdentifier> {
    var uses: [ObjectIdentifier: Int] = [:]
    for (_, tensor) in model.namedTensors() { uses[ObjectIdentifier(tensor), default: 0] += 1 }
    return Set(
      model.modules().compactMap { ($0 as? Embedding)?.weight }.map(ObjectIdentifier.init).filter {
        uses[$0] == 1
      })
  }

  /// Replaces each parameter's gradient by the sum of every process's, and returns the sums
  /// of `loss` (each process's share of the batch's loss) and `count`.
  func sum(over group: any ProcessGroup, loss: Float, count: Int) throws -> (loss: Float, count: Int) {
    let flags = buffer.count - parameters.count - 2
    try buffer.withUnsafeMutableBufferPointer { flat in
      for (k, parameter) in parameters.enumerated() {
        flat[flags + k] = parameter.grad == nil ? 0 : 1
        guard case .packed(let offset) = routes[k] else { continue }
        let target = UnsafeMutableBufferPointer(rebasing: flat[offset..<(offset + parameter.count)])
        if let grad = parameter.grad {
          _ = target.update(fromContentsOf: UnsafeBufferPointer(start: grad.baseAddress, count: grad.count))
        } else {
          target.update(repeating: 0)
        }
      }
      (flat[flat.count - 2], flat[flat.count - 1]) = (loss, Float(count))
      try Self.allReduce(flat, group)
      for (k, parameter) in parameters.enumerated() where flat[flags + k] > 0 {
        let grad = parameter.grad ?? Tensor.zeros(parameter.shape)
        let values = UnsafeMutableBufferPointer(start: grad.baseAddress, count: grad.count)
        switch routes[k] {
        case .packed(let offset):
          _ = values.update(
            fromContentsOf: UnsafeBufferPointer(rebasing: flat[offset..<(offset + grad.count)]))
        case .inPlace: try Self.allReduce(values, group)
        case .rows: try Self.sumRows(values, width: parameter.shape[1], group)
        }
        parameter.grad = grad
      }
    }
    return (buffer[buffer.count - 2], Int(buffer[buffer.count - 1].rounded()))
  }

  /// Sums a table's rows across `group`: each process gives its non-zero rows (a 4-byte index,
  /// then the row), and every process adds all of them, process by process in rank order, to a
  /// zeroed table.
  private static func sumRows(
    _ table: UnsafeMutableBufferPointer<Float>, width: Int, _ group: any ProcessGroup
  ) throws {
    var rows: [UInt8] = []
    for start in stride(from: 0, to: table.count, by: width) {
      let row = UnsafeBufferPointer(rebasing: table[start..<(start + width)])
      guard row.contains(where: { $0 != 0 }) else { continue }
      withUnsafeBytes(of: Int32(start / width).littleEndian) { rows += $0 }
      rows += UnsafeRawBufferPointer(row)
    }
    let gathered = try group.allGather(rows)
    table.update(repeating: 0)
    let record = 4 + width * 4
    for bytes in gathered {
      bytes.withUnsafeBytes { raw in
        for offset in stride(from: 0, to: raw.count, by: record) {
          let index = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
          for d in 0..<width {
            table[index * width + d] += raw.loadUnaligned(fromByteOffset: offset + 4 + d * 4, as: Float.self)
          }
        }
      }
    }
  }

  /// Sums `values` across `group`, a bucket at a time.
  private static func allReduce(_ values: UnsafeMutableBufferPointer<Float>, _ group: any ProcessGroup) throws
  {
    for start in stride(from: 0, to: values.count, by: bucketElements) {
      try group.allReduceSum(
        UnsafeMutableBufferPointer(rebasing: values[start..<min(start + bucketElements, values.count)]))
    }
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

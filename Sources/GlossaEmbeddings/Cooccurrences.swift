import Foundation
import GlossaData
import GlossaText

/// The word–word co-occurrence counts X_ij that GloVe fits: within a symmetric window, a
/// word at distance d from word i adds 1/d to X_ij (and to X_ji). Counted in a hash table
/// of bounded size; when it fills, its entries are sorted and written to a temporary run,
/// and the runs are merged at the end, so counting needs no more memory than the bound (the
/// merged entries, which training reads, are held in memory).
public struct Cooccurrences: Sendable {
  /// The non-zero entries, sorted by (row, column).
  public let rows: [Int32]
  /// Each entry's column (the context word).
  public let columns: [Int32]
  /// Each entry's weighted count X_ij.
  public let values: [Float]

  /// The number of non-zero entries.
  public var count: Int { values.count }

  /// Counts the co-occurrences of `vocabulary`'s words in `corpus` within `window`, holding
  /// at most `maximumPairs` distinct pairs in memory at a time.
  public init(corpus: Corpus, vocabulary: WordCounts, window: Int, maximumPairs: Int = 1 << 25) throws {
    var table = PairTable(capacity: maximumPairs)
    var runs: [URL] = []
    var spillError: (any Error)?
    defer { for run in runs { try? FileManager.default.removeItem(at: run) } }
    for share in try corpus.shares(1) {
      try corpus.forEachSentence(in: share, vocabulary: vocabulary.vocabulary) { words in
        for i in words.indices {
          for d in 1...window where i - d >= 0 {
            let weight = 1 / Float(d)
            table.add(words[i], words[i - d], weight)
            table.add(words[i - d], words[i], weight)
          }
          if table.isFull && spillError == nil {
            do { runs.append(try table.spill()) } catch { spillError = error }
          }
        }
      }
    }
    if let spillError { throw spillError }
    (rows, columns, values) = try Self.merge(table.sorted(), runs: runs)
  }

  /// Sums the in-memory entries and the runs, all sorted by key, into one sorted list.
  private static func merge(_ memory: [(UInt64, Float)], runs: [URL]) throws -> ([Int32], [Int32], [Float]) {
    var sources: [[(UInt64, Float)]] = [memory]
    for run in runs {
      let data = try Data(contentsOf: run)
      sources.append(
        data.withUnsafeBytes { raw in
          (0..<data.count / 12).map { k in
            (
              raw.loadUnaligned(fromByteOffset: 12 * k, as: UInt64.self),
              raw.loadUnaligned(fromByteOffset: 12 * k + 8, as: Float.self)
            )
          }
        })
    }
    var positions = [Int](repeating: 0, count: sources.count)
    var (rows, columns, values) = ([Int32](), [Int32](), [Float]())
    while true {
      var smallest: UInt64 = .max
      var any = false
      for (s, source) in sources.enumerated() where positions[s] < source.count {
        smallest = min(smallest, source[positions[s]].0)
        any = true
      }
      guard any else { break }
      var sum: Float = 0
      for s in sources.indices where positions[s] < sources[s].count && sources[s][positions[s]].0 == smallest
      {
        sum += sources[s][positions[s]].1
        positions[s] += 1
      }
      rows.append(Int32(truncatingIfNeeded: smallest >> 32))
      columns.append(Int32(truncatingIfNeeded: smallest & 0xFFFF_FFFF))
      values.append(sum)
    }
    return (rows, columns, values)
  }
}

/// (row, column) keys and their running sums, up to a limit of pairs.
private struct PairTable {
  private var table = IntegerKeyTable<Float>(capacity: 1 << 15, filler: 0)
  private let limit: Int

  /// A table that grows as pairs arrive, up to `capacity` pairs.
  init(capacity: Int) { limit = capacity }

  var isFull: Bool { table.count >= limit }

  @inline(__always)
  mutating func add(_ row: Int32, _ column: Int32, _ value: Float) {
    table.update(pairKey(row, column), initial: 0) { $0 += value }
  }

  /// The entries sorted by key.
  func sorted() -> [(UInt64, Float)] {
    table.keysAndValues.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// Writes the sorted entries to a temporary file, empties the table and returns the file.
  mutating func spill() throws -> URL {
    var data = Data(capacity: table.count * 12)
    for (key, value) in sorted() {
      withUnsafeBytes(of: key) { data.append(contentsOf: $0) }
      withUnsafeBytes(of: value) { data.append(contentsOf: $0) }
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-cooccur-\(UUID().uuidString)")
    try data.write(to: url)
    table.removeAll()
    return url
  }
}

/// A corpus read as one stream of token ids, for a language model: laid out in `columns`
/// parallel streams (as PyTorch's `batchify` lays the token sequence out in batch columns),
/// each a share of the corpus read line by line as it is needed, so that a corpus larger
/// than memory trains. ``next(steps:)`` gives the next window of truncated backpropagation
/// through time: inputs and their next tokens, the window's last token carried over as the
/// first input of the next window, so that the recurrent state carried between windows sees
/// every token once.
public final class TokenStream {
  /// The number of parallel streams (the batch size).
  public let columns: Int
  /// The columns this stream gives (all of them, or one process's share in data-parallel
  /// training, where each process reads only the bytes of its own columns).
  public let owned: Range<Int>
  /// In a stream of some of the columns, read by one of several processes: agrees on a window's
  /// length, given this stream's longest possible one, with the streams of the other columns
  /// (their minimum), so that every process's windows have the same length.
  public var agreeOnLength: ((Int) throws -> Int)?
  private let cursors: [LineCursor]
  private let encode: (UnsafeBufferPointer<UInt8>) -> [Int]
  /// Tokens read and not yet used, per column; `carried[c]` is the last target of the window before.
  private var pending: [[Int]]
  private var carried: [Int?]
  /// Windows given out since the start.
  public private(set) var windows = 0

  /// A stream over `corpus` in `columns` columns; `encode` turns a line's UTF-8 bytes into
  /// its token ids (for a word-level model, its words and an end-of-sentence token).
  ///
  /// A corpus of at most `wholeLimit` bytes is tokenized whole and cut into columns of equal
  /// numbers of tokens, exactly as PyTorch's `batchify` cuts it (the remainder left out); a
  /// larger one is streamed, each column a share of the corpus's bytes read as it is needed
  /// (the epoch then ends when the shortest column does). With `owned`, the stream gives only
  /// those columns of the layout (and, streamed, reads only their bytes).
  public init(
    corpus: Corpus, columns: Int, owned: Range<Int>? = nil, wholeLimit: Int = 64 << 20,
    encode: @escaping (UnsafeBufferPointer<UInt8>) -> [Int]
  ) throws {
    precondition(columns > 0, "TokenStream: columns must be positive")
    let owned = owned ?? 0..<columns
    precondition(!owned.isEmpty && owned.upperBound <= columns, "TokenStream: owned columns out of range")
    (self.columns, self.owned) = (columns, owned)
    self.encode = encode
    carried = Array(repeating: nil, count: owned.count)
    let size = try corpus.sources.reduce(0) { $0 + (try corpus.size(of: $1)) }
    if size <= wholeLimit {
      var tokens: [Int] = []
      for share in try corpus.shares(1) { try corpus.forEachLine(in: share) { tokens += encode($0) } }
      let length = tokens.count / columns
      pending = owned.map { Array(tokens[($0 * length)..<(($0 + 1) * length)]) }
      cursors = []
    } else {
      cursors = try corpus.shares(columns)[owned].map { LineCursor(corpus, $0) }
      pending = Array(repeating: [], count: owned.count)
    }
  }

  /// The next window of at most `steps` steps: inputs and targets, each `steps × owned`
  /// time-first (`ids[t * owned.count + c]`), the target of each input the token after it.
  /// The last window is shorter when the shortest column runs out; nil once a column has no
  /// token left to predict.
  public func next(steps: Int) throws -> (inputs: [Int], targets: [Int], steps: Int)? {
    precondition(steps > 0, "TokenStream: steps must be positive")
    let columns = owned.count
    for c in 0..<columns {
      while !cursors.isEmpty, pending[c].count + (carried[c] == nil ? 0 : 1) < steps + 1,
        let line = try cursors[c].next()
      {
        pending[c] += encode(line)
      }
    }
    let available = (0..<columns).map { pending[$0].count + (carried[$0] == nil ? 0 : 1) - 1 }
    var length = min(steps, available.min() ?? 0)
    if let agreeOnLength { length = try agreeOnLength(length) }
    guard length > 0 else { return nil }
    var inputs = [Int](repeating: 0, count: length * columns)
    var targets = inputs
    for c in 0..<columns {
      let sequence =
        (carried[c].map { [$0] } ?? []) + pending[c].prefix(length + 1 - (carried[c] == nil ? 0 : 1))
      for t in 0..<length {
        inputs[t * columns + c] = sequence[t]
        targets[t * columns + c] = sequence[t + 1]
      }
      pending[c].removeFirst(length + 1 - (carried[c] == nil ? 0 : 1))
      carried[c] = sequence[length]
    }
    windows += 1
    return (inputs, targets, length)
  }

  /// Skips `count` windows of `steps` (to resume an epoch where a checkpoint left it).
  public func skip(_ count: Int, steps: Int) throws {
    for _ in 0..<count where try next(steps: steps) == nil { return }
  }
}

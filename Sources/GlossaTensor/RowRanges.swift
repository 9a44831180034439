import Dispatch

/// Rows of independent work split over threads: `body` runs on contiguous, disjoint ranges
/// of `0..<rows`, one per thread, at once, when the rows hold at least
/// ``parallelRowElements`` elements and more than one thread is allowed; otherwise once, on
/// the calling thread, with all the rows. Each row's result is the same either way, so the
/// split never changes a value; `body` may write its own rows of a shared buffer.
///
/// - Parameters:
///   - rows: How many rows.
///   - elementsPerRow: The work of one row, in elements.
///   - threads: The most threads to use (by default, as many as BLAS may use).
///   - body: What to do for a range of rows.
public func forEachRowRange(
  rows: Int, elementsPerRow: Int, threads: Int = BLAS.threads, _ body: (Range<Int>) -> Void
) {
  let parts = Swift.min(threads, rows)
  guard parts > 1, rows * elementsPerRow >= parallelRowElements else {
    body(0..<rows)
    return
  }
  withoutActuallyEscaping(body) { body in
    nonisolated(unsafe) let work = body
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      work((rows * part / parts)..<(rows * (part + 1) / parts))
    }
  }
}

/// The fewest elements that ``forEachRowRange(rows:elementsPerRow:threads:_:)`` splits over
/// threads: below it, starting the threads costs more than they save.
public let parallelRowElements = 1 << 18

/// `body(0) … body(count − 1)`, spread over the threads BLAS may use, each running BLAS on one
/// thread: parallelism over whole pieces of work (a layer's directions, a batch's chunks of
/// sentences) rather than inside each product, where small products gain little from a second
/// thread. In order on the calling thread when BLAS has one thread or there is one piece.
public func concurrentMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
  guard count > 1, BLAS.threads > 1 else { return (0..<count).map(body) }
  return withoutActuallyEscaping(body) { body in
    nonisolated(unsafe) let work = body
    nonisolated(unsafe) var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let slots = buffer
      BLAS.withSingleThread {
        DispatchQueue.concurrentPerform(iterations: count) { i in slots[i] = work(i) }
      }
    }
    return results.map { $0! }
  }
}

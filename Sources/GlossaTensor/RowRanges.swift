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

import Foundation
import GlossaLock
import Testing

/// `Locked`, the lock under the tensor pool, the tokenizer memo and the training loops.
@Suite struct LockedTests {
  /// Four threads adding under the lock lose no update (without it, the read-add-write
  /// sequences interleave and the total comes out short).
  @Test func threadsAddingUnderTheLockLoseNothing() {
    let total = Locked(0)
    let perThread = 100_000
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for _ in 0..<perThread { total.withLock { $0 += 1 } }
    }
    #expect(total.withLock { $0 } == 4 * perThread)
  }

  struct Refused: Error, Equatable {}

  /// An error thrown inside `withLock` reaches the caller with its type, the change made
  /// before it stays, and the lock is released (the next `withLock` would wait forever).
  @Test func anErrorPassesThroughAndReleasesTheLock() {
    let names = Locked<[String]>([])
    #expect(throws: Refused.self) {
      try names.withLock { (names: inout [String]) throws(Refused) in
        names.append("first")
        throw Refused()
      }
    }
    names.withLock { $0.append("second") }
    #expect(names.withLock { $0 } == ["first", "second"])
  }

  /// A value that cannot be copied is kept and changed in place.
  @Test func holdsANoncopyableValue() {
    struct Counter: ~Copyable { var count = 0 }
    let counter = Locked(Counter())
    counter.withLock { $0.count += 2 }
    #expect(counter.withLock { $0.count } == 2)
  }
}

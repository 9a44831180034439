import GlossaLock

/// A 64-byte aligned block of `Float`s owned by one or more tensors.
///
/// Tensors that share storage (a reshape, a detached copy) see each other's writes,
/// as views do in PyTorch. Large blocks come from and return to ``StoragePool``, so a
/// training loop that makes tensors of the same shapes every step reuses warm memory
/// instead of paying for fresh pages.
final class Storage: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int

  init(count: Int) {
    self.count = count
    pointer = StoragePool.shared.take(count)
  }

  convenience init(repeating value: Float, count: Int) {
    self.init(count: count)
    pointer.initialize(repeating: value, count: count)
  }

  deinit { StoragePool.shared.give(pointer, count: count) }
}

/// Freed tensor buffers kept for reuse, by exact element count, up to a byte limit.
/// Small buffers go straight to the system allocator, which is fast for them.
final class StoragePool: Sendable {
  static let shared = StoragePool()
  /// Buffers below this many elements are not pooled.
  static let minimumCount = 4096
  /// The most bytes kept idle in the pool.
  static let limitBytes = 256 << 20

  private struct State: ~Copyable {
    var free: [Int: [UInt]] = [:]  // addresses, by element count
    var idleBytes = 0
  }
  private let state = Locked(State())

  func take(_ count: Int) -> UnsafeMutablePointer<Float> {
    if count >= Self.minimumCount {
      let reused = state.withLock { state -> UInt? in
        guard let address = state.free[count]?.popLast() else { return nil }
        state.idleBytes -= count * MemoryLayout<Float>.stride
        return address
      }
      if let reused, let pointer = UnsafeMutablePointer<Float>(bitPattern: reused) { return pointer }
    }
    let capacity = max(count, 1)
    return UnsafeMutableRawPointer.allocate(
      byteCount: capacity * MemoryLayout<Float>.stride, alignment: 64
    ).bindMemory(to: Float.self, capacity: capacity)
  }

  func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
    if count >= Self.minimumCount {
      let bytes = count * MemoryLayout<Float>.stride
      let address = UInt(bitPattern: pointer)
      let kept = state.withLock { state -> Bool in
        guard state.idleBytes + bytes <= Self.limitBytes else { return false }
        state.free[count, default: []].append(address)
        state.idleBytes += bytes
        return true
      }
      if kept { return }
    }
    pointer.deallocate()
  }
}

/// A 64-byte aligned block of `Float`s owned by one or more tensors.
///
/// Tensors that share storage (a reshape, a detached copy) see each other's writes,
/// as views do in PyTorch.
final class Storage: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int

  init(count: Int) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
  }

  convenience init(repeating value: Float, count: Int) {
    self.init(count: count)
    pointer.initialize(repeating: value, count: count)
  }

  deinit { pointer.deallocate() }
}

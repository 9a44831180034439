extension Array {
  /// An array of at most `capacity` elements that `fill` initializes in place, returning how
  /// many it wrote. With no room, the empty array and no call: the standard library's
  /// `init(unsafeUninitializedCapacity: 0)` stores the count into its one empty-array storage,
  /// shared by the whole process, which ThreadSanitizer rightly reports when two threads do it.
  @inline(__always)
  init(capacity: Int, filledBy fill: (UnsafeMutableBufferPointer<Element>) throws -> Int) rethrows {
    guard capacity > 0 else {
      self = []
      return
    }
    try self.init(unsafeUninitializedCapacity: capacity) { buffer, count in count = try fill(buffer) }
  }
}

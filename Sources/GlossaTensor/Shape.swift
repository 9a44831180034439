/// Shape arithmetic shared by the tensor operations: element counts, strides, axes
/// and NumPy-style broadcasting.
public enum Shape {
  /// The number of elements of a tensor of this shape (1 for a scalar).
  @inlinable
  public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  /// Row-major strides, in elements.
  public static func strides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis] = step
      step *= shape[axis]
    }
    return strides
  }

  /// A possibly negative axis made absolute; traps with the op's name when out of range.
  public static func axis(_ axis: Int, rank: Int, op: String) -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    require(
      resolved >= 0 && resolved < max(rank, 1),
      "\(op): axis \(axis) is out of range for a tensor of rank \(rank)")
    return resolved
  }

  /// The shape two operands broadcast to (NumPy rules: align on the right; a size of 1 stretches).
  public static func broadcast(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      require(
        da == db || da == 1 || db == 1,
        "\(op): shapes \(a) and \(b) cannot be broadcast together")
      result[i] = max(da, db)
    }
    return result
  }

  /// Strides that read a tensor of `shape` as if it had the broadcast shape `target`:
  /// a stretched axis gets stride 0.
  static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = strides(shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { i in
      i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
    }
  }

  /// Splits a shape around `axis` into (elements before, size of axis, elements after).
  static func split(_ shape: [Int], at axis: Int) -> (outer: Int, size: Int, inner: Int) {
    (count(Array(shape[..<axis])), shape[axis], count(Array(shape[(axis + 1)...])))
  }
}

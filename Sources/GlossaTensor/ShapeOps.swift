/// Operations that move elements without changing them: reshape, transpose and permute,
/// concatenate and split, slice, stack, and index selection.
extension Tensor {
  /// The same elements under a new shape (one axis may be −1, inferred); shares storage.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let unknown = newShape.firstIndex(of: -1) {
      let known = Shape.count(newShape.filter { $0 != -1 })
      require(known > 0 && count % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
      resolved[unknown] = count / known
    }
    require(
      Shape.count(resolved) == count, "reshape: cannot reshape \(shape) to \(newShape)")
    if resolved == shape { return self }
    let result = Tensor(shape: resolved, storage: storage)
    return Tensor.record(result, op: "reshape", inputs: [self]) { g in [g.reshaped(self.shape)] }
  }

  /// The axes reordered: axis i of the result is axis `order[i]` of `self` (a copy).
  public func permuted(_ order: [Int]) -> Tensor {
    require(
      order.sorted() == Array(0..<rank),
      "permute: \(order) is not a permutation of the axes of shape \(shape)")
    let sourceStrides = Shape.strides(shape)
    let newShape = order.map { shape[$0] }
    let strides = order.map { sourceStrides[$0] }
    let result = Tensor(uninitialized: newShape)
    // When the last axis stays last, whole rows move at once; otherwise element by element.
    let keepsLastAxis = order.last == rank - 1
    let rowLength = keepsLastAxis ? shape[rank - 1] : 1
    let odometerAxes = keepsLastAxis ? rank - 1 : rank
    var index = [Int](repeating: 0, count: rank)
    var offset = 0
    let source = baseAddress
    let out = result.baseAddress
    for row in 0..<(count / Swift.max(rowLength, 1)) {
      (out + row * rowLength).update(from: source + offset, count: rowLength)
      var axis = odometerAxes - 1
      while axis >= 0 {
        index[axis] += 1
        offset += strides[axis]
        if index[axis] < newShape[axis] { break }
        offset -= strides[axis] * newShape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    var inverse = [Int](repeating: 0, count: rank)
    for (i, axis) in order.enumerated() { inverse[axis] = i }
    return Tensor.record(result, op: "permute", inputs: [self]) { g in [g.permuted(inverse)] }
  }

  /// Two axes swapped (the last two by default: the matrix transpose).
  public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) -> Tensor {
    var order = Array(0..<rank)
    order.swapAt(
      Shape.axis(axis0, rank: rank, op: "transpose"), Shape.axis(axis1, rank: rank, op: "transpose"))
    return permuted(order)
  }

  /// Joins tensors along `axis`; their other axes must agree.
  public static func concatenate(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    require(!tensors.isEmpty, "concatenate: no tensors")
    let first = tensors[0]
    let axis = Shape.axis(axis, rank: first.rank, op: "concatenate")
    for t in tensors {
      require(
        t.rank == first.rank
          && (0..<t.rank).allSatisfy { $0 == axis || t.shape[$0] == first.shape[$0] },
        "concatenate: shapes \(first.shape) and \(t.shape) differ outside axis \(axis)")
    }
    let sizes = tensors.map { $0.shape[axis] }
    var shape = first.shape
    shape[axis] = sizes.reduce(0, +)
    let result = Tensor(uninitialized: shape)
    let (outer, total, inner) = Shape.split(shape, at: axis)
    var start = 0
    for t in tensors {
      let width = t.shape[axis] * inner
      for o in 0..<outer {
        (result.baseAddress + o * total * inner + start * inner)
          .update(from: t.baseAddress + o * width, count: width)
      }
      start += t.shape[axis]
    }
    return record(result, op: "concatenate", inputs: tensors) { g in
      g.split(sizes: sizes, axis: axis).map { Optional($0) }
    }
  }

  /// Cuts `self` along `axis` into consecutive pieces of the given sizes.
  public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
    let axis = Shape.axis(axis, rank: rank, op: "split")
    require(
      sizes.reduce(0, +) == shape[axis] && sizes.allSatisfy { $0 >= 0 },
      "split: sizes \(sizes) do not add up to axis \(axis) of shape \(shape)")
    var start = 0
    return sizes.map { size in
      defer { start += size }
      return slice(axis: axis, range: start..<(start + size))
    }
  }

  /// The elements whose index along `axis` lies in `range` (a copy).
  public func slice(axis: Int, range: Range<Int>) -> Tensor {
    let axis = Shape.axis(axis, rank: rank, op: "slice")
    require(
      range.lowerBound >= 0 && range.upperBound <= shape[axis],
      "slice: range \(range) is outside axis \(axis) of shape \(shape)")
    let (outer, n, inner) = Shape.split(shape, at: axis)
    var newShape = shape
    newShape[axis] = range.count
    let result = Tensor(uninitialized: newShape)
    let width = range.count * inner
    for o in 0..<outer {
      (result.baseAddress + o * width)
        .update(from: baseAddress + (o * n + range.lowerBound) * inner, count: width)
    }
    return Tensor.record(result, op: "slice", inputs: [self]) { g in
      let dx = Tensor.zeros(self.shape)
      for o in 0..<outer {
        (dx.baseAddress + (o * n + range.lowerBound) * inner)
          .update(from: g.baseAddress + o * width, count: width)
      }
      return [dx]
    }
  }

  /// Joins equally shaped tensors along a new axis.
  public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    require(!tensors.isEmpty, "stack: no tensors")
    let shape = tensors[0].shape
    let axis = Shape.axis(axis, rank: shape.count + 1, op: "stack")
    var expanded = shape
    expanded.insert(1, at: axis)
    for t in tensors {
      require(t.shape == shape, "stack: shapes \(shape) and \(t.shape) differ")
    }
    return concatenate(tensors.map { $0.reshaped(expanded) }, axis: axis)
  }

  /// The slices at `indices` along `axis`, in that order (`torch.index_select`); an
  /// embedding lookup is `weight.indexSelect(axis: 0, indices: ids)`. Gradients of
  /// repeated indices add up.
  public func indexSelect(axis: Int = 0, indices: [Int]) -> Tensor {
    let axis = Shape.axis(axis, rank: rank, op: "indexSelect")
    let (outer, n, inner) = Shape.split(shape, at: axis)
    for i in indices {
      require(i >= 0 && i < n, "indexSelect: index \(i) is outside axis \(axis) of shape \(shape)")
    }
    var newShape = shape
    newShape[axis] = indices.count
    let result = Tensor(uninitialized: newShape)
    for o in 0..<outer {
      for (k, i) in indices.enumerated() {
        (result.baseAddress + (o * indices.count + k) * inner)
          .update(from: baseAddress + (o * n + i) * inner, count: inner)
      }
    }
    return Tensor.record(result, op: "indexSelect", inputs: [self]) { g in
      let dx = Tensor.zeros(self.shape)
      for o in 0..<outer {
        for (k, i) in indices.enumerated() {
          let target = dx.baseAddress + (o * n + i) * inner
          let source = g.baseAddress + (o * indices.count + k) * inner
          for j in 0..<inner { target[j] += source[j] }
        }
      }
      return [dx]
    }
  }

  /// `torch.gather`: the result has the shape of `indices` (given flat, row-major, with
  /// `indexShape`), and element p is `self` at p with its `axis` coordinate replaced by
  /// `indices[p]`.
  public func gather(axis: Int, indices: [Int], indexShape: [Int]) -> Tensor {
    let axis = Shape.axis(axis, rank: rank, op: "gather")
    require(
      indexShape.count == rank && Shape.count(indexShape) == indices.count
        && (0..<rank).allSatisfy { $0 == axis || indexShape[$0] <= shape[$0] },
      "gather: index shape \(indexShape) does not fit shape \(shape) along axis \(axis)")
    let strides = Shape.strides(shape)
    let indexStrides = Shape.strides(indexShape)
    let offsets = indices.enumerated().map { p, i in
      require(i >= 0 && i < shape[axis], "gather: index \(i) is outside axis \(axis) of shape \(shape)")
      var offset = 0
      for d in 0..<rank {
        let coordinate = d == axis ? i : (p / indexStrides[d]) % indexShape[d]
        offset += coordinate * strides[d]
      }
      return offset
    }
    let result = Tensor(uninitialized: indexShape)
    for (p, offset) in offsets.enumerated() { result.baseAddress[p] = baseAddress[offset] }
    return Tensor.record(result, op: "gather", inputs: [self]) { g in
      let dx = Tensor.zeros(self.shape)
      for (p, offset) in offsets.enumerated() { dx.baseAddress[offset] += g.baseAddress[p] }
      return [dx]
    }
  }
}

/// A multi-dimensional array of `Float` in row-major order, with reverse-mode automatic
/// differentiation.
///
/// A tensor is a reference type, as in PyTorch: a parameter updated in place by an
/// optimizer is the same object the model reads. A tensor that requires gradients records
/// the operation that made it (its ``gradientFunction``), so that ``backward(_:)`` can apply
/// the chain rule from a scalar loss back to every leaf.
public final class Tensor: @unchecked Sendable {
  /// The size of each axis; `[]` for a scalar.
  public let shape: [Int]
  private(set) var storage: Storage
  /// Whether operations on this tensor are recorded for backpropagation.
  public var requiresGrad: Bool
  /// The accumulated gradient ∂loss/∂self of a leaf tensor, after ``backward(_:)``.
  public var grad: Tensor?
  /// How this tensor was computed, when it was computed from tensors that require gradients.
  public internal(set) var gradientFunction: GradientFunction?

  init(shape: [Int], storage: Storage, requiresGrad: Bool = false) {
    self.shape = shape
    self.storage = storage
    self.requiresGrad = requiresGrad
  }

  /// A tensor whose elements are unspecified (possibly a reused buffer's old values):
  /// for kernels that write every element.
  public init(uninitialized shape: [Int]) {
    self.shape = shape
    self.storage = Storage(count: Shape.count(shape))
    self.requiresGrad = false
  }

  /// A tensor of the given shape filled from a flat row-major array.
  public convenience init(_ values: [Float], shape: [Int], requiresGrad: Bool = false) {
    require(
      values.count == Shape.count(shape),
      "Tensor: \(values.count) values cannot fill shape \(shape)")
    self.init(uninitialized: shape)
    values.withUnsafeBufferPointer { source in
      storage.pointer.update(from: source.baseAddress!, count: values.count)
    }
    self.requiresGrad = requiresGrad
  }

  /// A 1-D tensor holding `values`.
  public convenience init(_ values: [Float], requiresGrad: Bool = false) {
    self.init(values, shape: [values.count], requiresGrad: requiresGrad)
  }

  /// A 2-D tensor from rows of equal length.
  public convenience init(rows: [[Float]], requiresGrad: Bool = false) {
    let columns = rows.first?.count ?? 0
    require(
      rows.allSatisfy { $0.count == columns }, "Tensor: rows have different lengths")
    self.init(rows.flatMap { $0 }, shape: [rows.count, columns], requiresGrad: requiresGrad)
  }

  /// A scalar (rank-0) tensor.
  public convenience init(scalar: Float, requiresGrad: Bool = false) {
    self.init([scalar], shape: [], requiresGrad: requiresGrad)
  }

  /// The number of axes.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var count: Int { storage.count }

  /// The elements in row-major order.
  public var scalars: [Float] {
    Array(UnsafeBufferPointer(start: storage.pointer, count: count))
  }

  /// The single element of a one-element tensor (a loss, for example).
  public var item: Float {
    require(count == 1, "item: the tensor has shape \(shape), not one element")
    return storage.pointer[0]
  }

  /// The element at a multi-dimensional index.
  public subscript(_ index: Int...) -> Float {
    get { storage.pointer[offset(of: index)] }
    set { storage.pointer[offset(of: index)] = newValue }
  }

  private func offset(of index: [Int]) -> Int {
    require(index.count == rank, "subscript: \(index.count) indices for shape \(shape)")
    var offset = 0
    for (axis, i) in index.enumerated() {
      require(i >= 0 && i < shape[axis], "subscript: index \(index) is outside shape \(shape)")
      offset = offset * shape[axis] + i
    }
    return offset
  }

  /// Reads the elements through a buffer pointer, without copying.
  @inlinable
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R)
    rethrows -> R
  {
    try body(UnsafeBufferPointer(start: baseAddress, count: count))
  }

  /// Writes the elements in place through a buffer pointer. Writes are not recorded for
  /// backpropagation: use it for parameter updates and initialisation.
  @inlinable
  public func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    try body(UnsafeMutableBufferPointer(start: baseAddress, count: count))
  }

  /// The first element, for fused kernels that work on raw buffers. The pointer is valid
  /// only while the tensor is alive: keep it referenced (`withExtendedLifetime`) until the
  /// kernel is done. Writes are not recorded for backpropagation.
  public var baseAddress: UnsafeMutablePointer<Float> { storage.pointer }

  /// Makes this tensor another view of `other`'s memory (of as many elements): a model's
  /// replica, training on another thread, then reads the parameters the optimizer updates,
  /// while its gradients stay its own.
  public func shareStorage(of other: Tensor) {
    require(other.count == count, "shareStorage: \(other.count) elements for a tensor of \(count)")
    storage = other.storage
  }

  /// A copy of this tensor with its own storage, not connected to the graph.
  public func copy() -> Tensor {
    let result = Tensor(uninitialized: shape)
    result.storage.pointer.update(from: storage.pointer, count: count)
    return result
  }

  /// The same values, cut from the graph: no gradient flows through the result.
  /// The result shares storage with `self`, like `torch.Tensor.detach()`.
  public func detached() -> Tensor {
    Tensor(shape: shape, storage: storage)
  }

  /// Copies `source`'s values into this tensor in place (shapes must hold as many elements).
  public func assign(_ source: Tensor) {
    require(
      source.count == count, "assign: shape \(source.shape) does not fit shape \(shape)")
    storage.pointer.update(from: source.storage.pointer, count: count)
  }

  /// Whether no other tensor shares this tensor's memory.
  var hasUniqueStorage: Bool { isKnownUniquelyReferenced(&storage) }

  /// Whether every element is finite (no NaN or infinity).
  public var isFinite: Bool {
    withUnsafeBufferPointer { buffer in buffer.allSatisfy { $0.isFinite } }
  }
}

extension Tensor: CustomStringConvertible {
  /// A short printout: the shape and the values, nested by axis for small tensors.
  public var description: String {
    func format(_ axis: Int, _ offset: Int) -> String {
      if axis == rank { return "\(storage.pointer[offset])" }
      let step = Shape.count(Array(shape[(axis + 1)...]))
      let items = (0..<shape[axis]).map { format(axis + 1, offset + $0 * step) }
      return "[" + items.joined(separator: ", ") + "]"
    }
    let body = count <= 64 ? format(0, 0) : "\(count) values"
    return "Tensor(shape: \(shape), \(body))"
  }
}

import GlossaTensor

/// Updates parameters from their gradients: one step of gradient descent,
/// w_new = w_old − η · ∂Loss/∂w, or one of its refinements.
public protocol Optimizer: AnyObject {
  /// The parameters this optimizer updates.
  var parameters: [Tensor] { get }
  /// The learning rate η; schedules change it between steps.
  var learningRate: Float { get set }
  /// Applies one update to every parameter that has a gradient.
  func step()
  /// Each parameter's state (momentum, moment estimates: as many tensors per parameter as
  /// the optimizer keeps), in the order of ``parameters``; empty before the first step. A
  /// checkpoint saves it, and setting it restores it.
  var slots: [[Tensor]] { get set }
  /// The updates made so far (Adam's bias corrections follow it).
  var steps: Int { get set }
}

extension Optimizer {
  /// Clears every parameter's gradient before the next backward pass.
  public func zeroGrad() { for p in parameters { p.zeroGrad() } }

  /// Calls `update(parameter, gradient, state)` for each parameter that has a gradient,
  /// with raw buffers and the parameter's per-slot state buffers (of a large parameter, for
  /// ranges of its elements at once on several threads: `update` must treat each element
  /// alone).
  func forEachParameter(
    state: inout [[Tensor]], slots: Int,
    _ update: (
      UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>,
      [UnsafeMutableBufferPointer<Float>]
    ) -> Void
  ) {
    if state.isEmpty {
      state = parameters.map { p in (0..<slots).map { _ in Tensor.zeros(p.shape) } }
    }
    for (p, buffers) in zip(parameters, state) {
      guard let grad = p.grad else { continue }
      require(grad.shape == p.shape, "optimizer: gradient \(grad.shape) for parameter \(p.shape)")
      let slotPointers = buffers.map { $0.withUnsafeMutableBufferPointer { $0 } }
      p.withUnsafeMutableBufferPointer { w in
        grad.withUnsafeBufferPointer { g in
          // Every element's update is its own: a large parameter is cut into ranges, one per
          // thread (the update reads and writes four or more arrays, and is bound by memory).
          forEachRowRange(rows: w.count, elementsPerRow: 1) { range in
            update(
              UnsafeMutableBufferPointer(rebasing: w[range]), UnsafeBufferPointer(rebasing: g[range]),
              slotPointers.map { UnsafeMutableBufferPointer(rebasing: $0[range]) })
          }
        }
      }
    }
  }
}

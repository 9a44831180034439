import GlossaTensor

/// A forward (unidirectional) ``RecurrentNetwork`` run one step at a time, for inference:
/// generation and streaming, where each step's input is known only after the previous
/// step's output.
///
/// The network's whole-sequence call records an operation, lays out its outputs and makes a
/// state of new tensors, which is what training needs and what a one-token step should not
/// pay for. The stepper keeps every layer's h (and c) in buffers of its own and reuses one
/// buffer for the gates: a step is, per layer, x_t W_ihᵀ and h_{t−1} W_hhᵀ (matrix–vector
/// products for a batch of one) and the unit's fused step, with no allocation and nothing
/// recorded. Dropout is never applied (evaluation mode). Its outputs are the network's to
/// float rounding (tested to 1e-6).
///
/// Rows may leave (``keep(rows:)``) and join (``append(_:)``) between steps, as a server's
/// streams do. Not thread-safe; it reads the network's weights, which others may read meanwhile.
/// W_hh is packed when the stepper is made: a network trained further needs a new stepper.
public final class RecurrentStepper {
  /// The network.
  public let network: RecurrentNetwork
  /// The sequences stepped together.
  public private(set) var batch = 0
  private var capacity = 0
  /// `[layers, capacity, hidden]` each; the rows of the first `batch` sequences are in use.
  private var hidden: UnsafeMutablePointer<Float>
  private var cell: UnsafeMutablePointer<Float>
  /// `[capacity, gates]` each: the gate pre-activations, the recurrent projection of a unit
  /// that keeps it apart, and the unit's saved vectors (written, never read back).
  private var gates: UnsafeMutablePointer<Float>
  private var recurrent: UnsafeMutablePointer<Float>
  private var saved: UnsafeMutablePointer<Float>
  /// Per layer: W_ih, W_hh, b_ih, b_hh.
  private let weights: [[Tensor]]
  /// Per layer: W_hh packed for the recurrent product of four rows or more, made once for all
  /// the steps.
  private let recurrentWeights: [PackedMatrix]
  /// The states copied out while ``keep(rows:)`` reorders them.
  private var reordering: [Float] = []

  /// A stepper for `network` starting from `state` (`[layers, batch, hidden]`, as the
  /// network's call returns it), or from zeros for `batch` sequences (none: add them with
  /// ``append(_:)``) when `state` is nil.
  public init(_ network: RecurrentNetwork, state: RecurrentState? = nil, batch: Int = 1) {
    require(!network.bidirectional, "RecurrentStepper: a bidirectional network reads the whole sequence")
    self.network = network
    weights = (0..<network.layers).map { layer in
      Array(network.namedWeights[(layer * 4)..<(layer * 4 + 4)].map(\.tensor))
    }
    recurrentWeights = weights.map { PackedMatrix($0[1]) }
    (hidden, cell, gates, recurrent, saved) = (
      .allocate(capacity: 1), .allocate(capacity: 1), .allocate(capacity: 1), .allocate(capacity: 1),
      .allocate(capacity: 1)
    )
    if let state { append(state) } else if batch > 0 { append(network.zeroState(batch: batch)) }
  }

  deinit {
    for buffer in [hidden, cell, gates, recurrent, saved] { buffer.deallocate() }
  }

  private var layers: Int { network.layers }
  private var width: Int { network.hiddenSize }
  private var gateWidth: Int { network.unit.gateCount * network.hiddenSize }

  /// One step for every sequence: `input` holds x_t, `[batch, inputSize]`. Returns the last
  /// layer's h_t, `[batch, hidden]`, valid until the stepper next changes.
  @discardableResult
  public func step(_ input: UnsafePointer<Float>) -> UnsafePointer<Float> {
    let (B, H, G, unit) = (batch, width, gateWidth, network.unit)
    let apart = unit.keepsRecurrentProjectionApart
    let savedWidth = unit.savedVectorsPerStep * H
    var x = input
    var inputSize = network.inputSize
    for layer in 0..<layers {
      let w = weights[layer]
      let (h, c) = (hidden + layer * capacity * H, cell + layer * capacity * H)
      withExtendedLifetime(w) {
        let (bih, bhh) = (w[2].baseAddress, w[3].baseAddress)
        // The input projection x_t W_ihᵀ + b_ih (+ b_hh, unless the unit keeps it apart).
        for b in 0..<B {
          let row = gates + b * G
          if apart {
            row.update(from: bih, count: G)
          } else {
            for j in 0..<G { row[j] = bih[j] + bhh[j] }
          }
        }
        BLAS.gemm(
          transposeA: false, transposeB: true, m: B, n: G, k: inputSize, a: x, lda: inputSize,
          b: w[0].baseAddress, ldb: inputSize, beta: 1, c: gates, ldc: G)
        withDenormalsFlushed {
          RecurrentKernel.recur(
            unit: unit, batch: B, hidden: H, gates: gates, recurrent: recurrent, h: h, c: c,
            weight: w[1].baseAddress, packed: recurrentWeights[layer], bias: bhh,
            saved: { self.saved + $0 * savedWidth },
            isActive: { _ in true })
        }
      }
      x = UnsafePointer(h)
      inputSize = H
    }
    return x
  }

  /// One step from x_t as a tensor, `[batch, inputSize]`: the last layer's h_t, `[batch, hidden]`.
  public func step(_ input: Tensor) -> Tensor {
    require(
      input.shape == [batch, network.inputSize],
      "RecurrentStepper: input has shape \(input.shape), expected [\(batch), \(network.inputSize)]")
    let output = Tensor(uninitialized: [batch, width])
    withExtendedLifetime(input) {
      output.baseAddress.update(from: step(input.baseAddress), count: batch * width)
    }
    return output
  }

  /// The state now, `[layers, batch, hidden]`, as the network's call would return it.
  public var state: RecurrentState {
    func copy(_ buffer: UnsafeMutablePointer<Float>) -> Tensor {
      let tensor = Tensor(uninitialized: [layers, batch, width])
      for layer in 0..<layers {
        (tensor.baseAddress + layer * batch * width).update(
          from: buffer + layer * capacity * width, count: batch * width)
      }
      return tensor
    }
    return RecurrentState(hidden: copy(hidden), cell: network.unit.hasCellState ? copy(cell) : nil)
  }

  /// The last layer's h of every sequence, `[batch, hidden]`: what the last step returned (zeros,
  /// or the given state, before any), valid until the stepper next changes.
  public var output: UnsafePointer<Float> { UnsafePointer(hidden + (layers - 1) * capacity * width) }

  /// Keeps the sequences at `rows`, in that order; the others leave. A row may be kept more than
  /// once and in any order (beam search's hypotheses that extend one parent).
  public func keep(rows: [Int]) {
    require(
      rows.allSatisfy { (0..<batch).contains($0) },
      "RecurrentStepper.keep: rows \(rows) are not all rows of \(batch)")
    // The states are copied out first, since a row may be read after its place was written.
    let (H, old) = (width, batch)
    let count = layers * old * H
    if reordering.count < 2 * count { reordering = [Float](repeating: 0, count: 2 * count) }
    reordering.withUnsafeMutableBufferPointer { copy in
      for (k, buffer) in [hidden, cell].enumerated() {
        for layer in 0..<layers {
          (copy.baseAddress! + k * count + layer * old * H).update(
            from: buffer + layer * capacity * H, count: old * H)
        }
      }
      reserve(rows.count)
      for (k, buffer) in [hidden, cell].enumerated() {
        for layer in 0..<layers {
          let from = copy.baseAddress! + k * count + layer * old * H
          for (target, row) in rows.enumerated() {
            (buffer + layer * capacity * H + target * H).update(from: from + row * H, count: H)
          }
        }
      }
    }
    batch = rows.count
  }

  /// Adds sequences after the others, starting from `state` (`[layers, n, hidden]`).
  public func append(_ state: RecurrentState) {
    let H = width
    let expected = [layers, state.hidden.shape.count == 3 ? state.hidden.shape[1] : -1, H]
    require(
      state.hidden.shape == expected && (state.cell == nil || state.cell!.shape == expected)
        && (state.cell != nil || !network.unit.hasCellState),
      "RecurrentStepper.append: a state of shape \(state.hidden.shape), expected [\(layers), n, \(H)]\(network.unit.hasCellState ? " with a cell state" : "")"
    )
    let added = expected[1]
    reserve(batch + added)
    let sources: [(UnsafeMutablePointer<Float>, Tensor?)] = [(hidden, state.hidden), (cell, state.cell)]
    for (buffer, tensor) in sources {
      for layer in 0..<layers {
        let target = buffer + (layer * capacity + batch) * H
        if let tensor {
          withExtendedLifetime(tensor) {
            target.update(from: tensor.baseAddress + layer * added * H, count: added * H)
          }
        } else {
          target.update(repeating: 0, count: added * H)
        }
      }
    }
    batch += added
  }

  /// Makes room for `count` sequences, keeping the rows in use.
  private func reserve(_ count: Int) {
    guard count > capacity else { return }
    let newCapacity = max(count, 2 * capacity)
    let H = width
    func grown(_ old: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
      let new = UnsafeMutablePointer<Float>.allocate(capacity: layers * newCapacity * H)
      for layer in 0..<layers {
        (new + layer * newCapacity * H).update(from: old + layer * capacity * H, count: batch * H)
      }
      old.deallocate()
      return new
    }
    (hidden, cell) = (grown(hidden), grown(cell))
    for buffer in [gates, recurrent, saved] { buffer.deallocate() }
    gates = .allocate(capacity: newCapacity * gateWidth)
    recurrent = .allocate(capacity: network.unit.keepsRecurrentProjectionApart ? newCapacity * gateWidth : 1)
    saved = .allocate(capacity: max(newCapacity * network.unit.savedVectorsPerStep * H, 1))
    capacity = newCapacity
  }
}

import GlossaTensor

/// One step of a recurrent unit, `cell(x_t, state) -> state`, with its own weights (as
/// `torch.nn.RNNCell`, `LSTMCell` and `GRUCell`, whose parameter names it shares): for a
/// decoder that steps one token at a time, with attention or while generating.
///
/// Calling the cell runs the unit's fused step, with its hand-written backward pass;
/// ``referenceStep(_:state:)`` computes the same with plain tensor operations, so that each
/// of the lecture's equations is one line and autodiff derives the gradients. Tests hold
/// the two, and the whole-sequence network, to each other.
public final class RecurrentCell: Module {
  /// The unit.
  public let unit: any RecurrentUnit
  /// Features of x_t.
  public let inputSize: Int
  /// Hidden units.
  public let hiddenSize: Int
  /// W_ih, `[gates · hidden, input]`; W_hh, `[gates · hidden, hidden]`; b_ih; b_hh.
  public let weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor

  /// A cell initialised like PyTorch's, U(−1/√H, 1/√H).
  public init(unit: any RecurrentUnit, inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
    require(inputSize > 0 && hiddenSize > 0, "\(unit.kind.rawValue) cell: sizes must be positive")
    self.unit = unit
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    var generator = SeededGenerator(seed: seed)
    let bound = 1 / Float(hiddenSize).squareRoot()
    let gates = unit.gateCount * hiddenSize
    func parameter(_ shape: [Int]) -> Tensor {
      Tensor.uniform(shape, low: -bound, high: bound, generator: &generator, requiresGrad: true)
    }
    weightIH = parameter([gates, inputSize])
    weightHH = parameter([gates, hiddenSize])
    biasIH = parameter([gates])
    biasHH = parameter([gates])
  }

  /// A cell of the named unit.
  public convenience init(kind: RecurrentKind, inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
    self.init(unit: kind.unit, inputSize: inputSize, hiddenSize: hiddenSize, seed: seed)
  }

  /// One layer of a trained network as a cell that shares its weights (the same tensors):
  /// to step through `layer` (from 0) one token at a time, or in the `reverse` direction of a
  /// bidirectional network.
  public init(_ network: RecurrentNetwork, layer: Int, reverse: Bool = false) {
    require(
      layer >= 0 && layer < network.layers && (!reverse || network.bidirectional),
      "\(network.kind.rawValue) cell: the network has no layer \(layer)\(reverse ? " in reverse" : "")")
    let suffix = "_l\(layer)\(reverse ? "_reverse" : "")"
    let weights = Dictionary(uniqueKeysWithValues: network.namedWeights.map { ($0.name, $0.tensor) })
    unit = network.unit
    weightIH = weights["weight_ih" + suffix]!
    weightHH = weights["weight_hh" + suffix]!
    biasIH = weights["bias_ih" + suffix]!
    biasHH = weights["bias_hh" + suffix]!
    inputSize = weightIH.shape[1]
    hiddenSize = network.hiddenSize
  }

  /// The unit's name.
  public var kind: RecurrentKind { unit.kind }

  public var children: [(name: String, value: Any)] {
    [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
  }

  /// A zero state for a batch.
  public func zeroState(batch: Int) -> RecurrentState {
    let shape = [batch, hiddenSize]
    return RecurrentState(hidden: Tensor.zeros(shape), cell: unit.hasCellState ? Tensor.zeros(shape) : nil)
  }

  /// One step, fused: from x_t `[batch, input]` and the state h_{t−1} (and c_{t−1}),
  /// each `[batch, hidden]` (zeros when nil), to the state of step t.
  public func callAsFunction(_ x: Tensor, state: RecurrentState? = nil) -> RecurrentState {
    let state = checked(x, state)
    let batch = x.shape[0]
    let kernel = RecurrentKernel(
      unit: unit, steps: 1, batch: batch, inputSize: inputSize, hidden: hiddenSize, reverse: false,
      active: [Bool](repeating: true, count: batch))
    let parameters = [
      state.hidden, state.cell ?? Tensor.zeros([batch, hiddenSize]), weightIH, weightHH, biasIH, biasHH,
    ]
    // Rows: the step's output, the final h (the same values) and the final c.
    let rows = RecurrentKernel.layer([kernel], x.reshaped([1, batch, inputSize]), [parameters])
      .reshaped([3, batch, hiddenSize])
    func row(_ k: Int) -> Tensor { rows.slice(axis: 0, range: k..<(k + 1)).reshaped([batch, hiddenSize]) }
    return RecurrentState(hidden: row(1), cell: unit.hasCellState ? row(2) : nil)
  }

  /// The same step written with tensor operations (the unit's ``RecurrentUnit/referenceStep(inputProjection:recurrentProjection:state:)``).
  public func referenceStep(_ x: Tensor, state: RecurrentState? = nil) -> RecurrentState {
    let state = checked(x, state)
    return unit.referenceStep(
      inputProjection: Tensor.linear(x, weight: weightIH, bias: biasIH),
      recurrentProjection: Tensor.linear(state.hidden, weight: weightHH, bias: biasHH), state: state)
  }

  private func checked(_ x: Tensor, _ state: RecurrentState?) -> RecurrentState {
    let name = "\(kind.rawValue) cell"
    require(
      x.rank == 2 && x.shape[1] == inputSize,
      "\(name): input has shape \(x.shape), expected [batch, \(inputSize)]")
    let state = state ?? zeroState(batch: x.shape[0])
    let expected = [x.shape[0], hiddenSize]
    require(
      state.hidden.shape == expected,
      "\(name): hidden state has shape \(state.hidden.shape), expected \(expected)")
    if unit.hasCellState {
      let cell = state.cell ?? Tensor.zeros(expected)
      require(cell.shape == expected, "\(name): cell state has shape \(cell.shape), expected \(expected)")
      return RecurrentState(hidden: state.hidden, cell: cell)
    }
    return state
  }
}

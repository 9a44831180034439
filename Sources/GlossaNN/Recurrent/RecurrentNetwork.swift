import GlossaTensor

/// The state a recurrent network carries between steps: the hidden state h (and the cell
/// state c of an LSTM), each `[layers · directions, batch, hidden]` as in PyTorch.
public struct RecurrentState {
  /// h.
  public var hidden: Tensor
  /// c, for an LSTM.
  public var cell: Tensor?

  /// A state from its tensors.
  public init(hidden: Tensor, cell: Tensor? = nil) {
    self.hidden = hidden
    self.cell = cell
  }

  /// The same state cut from the graph, to carry into the next batch (truncated
  /// backpropagation through time).
  public func detached() -> RecurrentState {
    RecurrentState(hidden: hidden.detached(), cell: cell?.detached())
  }
}

/// What a recurrent network returns: the output at every step (many-to-many) and the
/// final state (many-to-one).
public final class RecurrentOutput {
  /// `[steps, batch, features]`, or `[batch, steps, features]` when batch-first. Padded
  /// steps of shorter sequences are zero. Laid out when first read (in the gradient mode of
  /// the call that made it), so that a many-to-one network, which reads only ``state``,
  /// never copies the whole sequence into this layout.
  public private(set) lazy var output: Tensor = GradientMode.$isEnabled.withValue(
    recording, operation: layOut)
  /// The final state of every layer and direction.
  public let state: RecurrentState
  private let layOut: () -> Tensor
  private let recording: Bool

  init(state: RecurrentState, output: @escaping () -> Tensor) {
    self.state = state
    layOut = output
    recording = GradientMode.isEnabled
  }
}

/// How the two directions of a bidirectional network are combined in its output.
public enum DirectionMerge: String, Sendable, CaseIterable {
  /// Forward and backward outputs side by side (2 · hidden features), as PyTorch does.
  case concatenate
  /// Their sum.
  case sum
  /// Their mean.
  case average
  /// Their elementwise product.
  case multiply
}

/// A stack of recurrent layers of one unit (``RNNUnit``, ``LSTMUnit``, ``GRUUnit``),
/// optionally bidirectional, with PyTorch's parameter names and layout (`weight_ih_l0`,
/// `bias_hh_l1_reverse`, …) and its default initialisation U(−1/√H, 1/√H), so a PyTorch
/// state dict loads unchanged. ``RNN``, ``LSTM`` and ``GRU`` are its three kinds.
///
/// Each layer and direction runs over the whole sequence as one fused operation with a
/// hand-written backpropagation through time (the unit's fused step inside the generic
/// layer, `RecurrentKernel`); the network owns the rest: the layout, the stacking with
/// dropout between layers, the directions and the lengths of a variable-length batch.
public class RecurrentNetwork: Module, ModeDependent, Stochastic {
  /// The unit every layer is made of.
  public let unit: any RecurrentUnit
  /// The unit's name.
  public var kind: RecurrentKind { unit.kind }
  /// Features per input step.
  public let inputSize: Int
  /// Units per layer and direction.
  public let hiddenSize: Int
  /// Stacked layers.
  public let layers: Int
  /// Whether each layer also reads the sequence backwards.
  public let bidirectional: Bool
  /// Whether inputs and outputs are `[batch, steps, features]` rather than `[steps, batch, features]`.
  public let batchFirst: Bool
  /// The probability of dropping a layer's output before the next layer (not after the last).
  public let dropout: Float
  /// How the directions' outputs are combined.
  public let merge: DirectionMerge
  /// True while training: dropout between layers is active.
  public var isTraining = true
  /// The parameters in PyTorch's order, with PyTorch's names.
  public let namedWeights: [(name: String, tensor: Tensor)]
  private let interLayerDropout: Dropout

  /// A recurrent network of the named unit.
  public convenience init(
    kind: RecurrentKind, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
    batchFirst: Bool = false, dropout: Float = 0, merge: DirectionMerge = .concatenate, seed: UInt64 = 0
  ) {
    self.init(
      unit: kind.unit, inputSize: inputSize, hiddenSize: hiddenSize, layers: layers,
      bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout, merge: merge, seed: seed)
  }

  /// A recurrent network of the given unit.
  public init(
    unit: any RecurrentUnit, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
    batchFirst: Bool = false, dropout: Float = 0, merge: DirectionMerge = .concatenate, seed: UInt64 = 0
  ) {
    let kind = unit.kind
    require(inputSize > 0 && hiddenSize > 0 && layers > 0, "\(kind.rawValue): sizes must be positive")
    require(dropout >= 0 && dropout < 1, "\(kind.rawValue): dropout \(dropout) is outside [0, 1)")
    self.unit = unit
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.layers = layers
    self.bidirectional = bidirectional
    self.batchFirst = batchFirst
    self.dropout = dropout
    self.merge = merge
    var generator = SeededGenerator(seed: seed)
    let bound = 1 / Float(hiddenSize).squareRoot()
    let gates = unit.gateCount * hiddenSize
    var weights: [(String, Tensor)] = []
    for layer in 0..<layers {
      let layerInput = layer == 0 ? inputSize : hiddenSize * (bidirectional ? 2 : 1)
      for suffix in bidirectional ? ["", "_reverse"] : [""] {
        for (name, shape) in [
          ("weight_ih", [gates, layerInput]), ("weight_hh", [gates, hiddenSize]), ("bias_ih", [gates]),
          ("bias_hh", [gates]),
        ] {
          let tensor = Tensor.uniform(
            shape, low: -bound, high: bound, generator: &generator, requiresGrad: true)
          weights.append(("\(name)_l\(layer)\(suffix)", tensor))
        }
      }
    }
    namedWeights = weights
    interLayerDropout = Dropout(dropout, seed: seed &+ 1)
  }

  public var children: [(name: String, value: Any)] {
    namedWeights.map { (name: $0.name, value: $0.tensor as Any) }
  }

  /// Reseeds the dropout between layers.
  public func reseed(_ seed: UInt64) { interLayerDropout.reseed(seed) }

  /// Directions per layer.
  public var directions: Int { bidirectional ? 2 : 1 }

  /// Features of each output step: hidden, or twice that for concatenated directions.
  public var outputSize: Int { bidirectional && merge == .concatenate ? 2 * hiddenSize : hiddenSize }

  /// A zero state for a batch.
  public func zeroState(batch: Int) -> RecurrentState {
    let shape = [layers * directions, batch, hiddenSize]
    return RecurrentState(hidden: Tensor.zeros(shape), cell: unit.hasCellState ? Tensor.zeros(shape) : nil)
  }

  /// Runs the network over a batch of sequences.
  ///
  /// - Parameters:
  ///   - input: `[steps, batch, inputSize]` (or `[batch, steps, inputSize]` when batch-first).
  ///   - state: the initial state; zeros when nil.
  ///   - lengths: each sequence's length (1…steps) for a padded batch; padded steps
  ///     neither change the state nor receive gradient, and their outputs are zero.
  public func callAsFunction(
    _ input: Tensor, state: RecurrentState? = nil, lengths: [Int]? = nil
  ) -> RecurrentOutput {
    let (state, last, steps) = run(input, state: state, lengths: lengths, keepingOutputs: true)
    return RecurrentOutput(state: state) { [batchFirst] in
      let output = self.mergeDirections(self.stepOutputs(last, steps: steps))
      return batchFirst ? output.transposed(0, 1) : output
    }
  }

  /// The final state alone, for a many-to-one model that reads nothing else (a classifier
  /// pooling the last state): the same as the call's ``RecurrentOutput/state``. Outside
  /// gradient recording the last layer writes none of its step outputs, which inference over
  /// long sequences would otherwise lay out only to drop.
  public func finalState(_ input: Tensor, state: RecurrentState? = nil, lengths: [Int]? = nil)
    -> RecurrentState
  {
    run(input, state: state, lengths: lengths, keepingOutputs: GradientMode.isEnabled).state
  }

  /// The layers over `input`: the final state, the last layer's rows
  /// (`[directions · (kept steps + 2), batch, hidden]`) and the number of steps.
  private func run(
    _ input: Tensor, state: RecurrentState?, lengths: [Int]?, keepingOutputs: Bool
  ) -> (state: RecurrentState, last: Tensor, steps: Int) {
    let name = kind.rawValue
    require(
      input.rank == 3 && input.shape[2] == inputSize,
      "\(name): input has shape \(input.shape), expected [\(batchFirst ? "batch, steps" : "steps, batch"), \(inputSize)]"
    )
    let x = batchFirst ? input.transposed(0, 1) : input
    let (steps, batch) = (x.shape[0], x.shape[1])
    let state = state ?? zeroState(batch: batch)
    check(state, batch: batch)
    let active = activeSteps(lengths, steps: steps, batch: batch)
    var layerInput = x
    var finalHidden: [Tensor] = []
    var finalCell: [Tensor] = []
    var last = x
    for layer in 0..<layers {
      let kernels = (0..<directions).map { direction in
        RecurrentKernel(
          unit: unit, steps: steps, batch: batch, inputSize: layerInput.shape[2], hidden: hiddenSize,
          reverse: direction == 1, active: active, keepsOutputs: keepingOutputs || layer < layers - 1)
      }
      let rows = kernels[0].outputRows
      let parameters = (0..<directions).map { direction in
        let index = layer * directions + direction
        let initial = [slot(state.hidden, index), state.cell.map { slot($0, index) } ?? zeroSlot(batch)]
        return initial + namedWeights[(index * 4)..<(index * 4 + 4)].map(\.tensor)
      }
      // Each direction's rows: its outputs at every step, then its final h and c.
      last = RecurrentKernel.layer(kernels, layerInput, parameters).reshaped([
        directions * rows, batch, hiddenSize,
      ])
      for direction in 0..<directions {
        let end = direction * rows + rows - 2
        finalHidden.append(last.slice(axis: 0, range: end..<(end + 1)))
        finalCell.append(last.slice(axis: 0, range: (end + 1)..<(end + 2)))
      }
      // The next layer reads both directions side by side (the last one's are merged below).
      guard layer < layers - 1 else { break }
      layerInput = concatenateDirections(stepOutputs(last, steps: steps))
      if isTraining && dropout > 0 { layerInput = interLayerDropout(layerInput) }
    }
    let hidden = Tensor.concatenate(finalHidden, axis: 0)
    let cell = unit.hasCellState ? Tensor.concatenate(finalCell, axis: 0) : nil
    return (RecurrentState(hidden: hidden, cell: cell), last, steps)
  }

  /// Each direction's outputs at every step, `[steps, batch, hidden]`, from a layer's rows.
  private func stepOutputs(_ rows: Tensor, steps: Int) -> [Tensor] {
    (0..<directions).map { direction in
      let start = direction * (steps + 2)
      return rows.slice(axis: 0, range: start..<(start + steps))
    }
  }

  private func concatenateDirections(_ outputs: [Tensor]) -> Tensor {
    outputs.count == 1 ? outputs[0] : Tensor.concatenate(outputs, axis: 2)
  }

  private func slot(_ state: Tensor, _ index: Int) -> Tensor {
    state.slice(axis: 0, range: index..<(index + 1)).reshaped([state.shape[1], hiddenSize])
  }

  private func zeroSlot(_ batch: Int) -> Tensor { Tensor.zeros([batch, hiddenSize]) }

  private func check(_ state: RecurrentState, batch: Int) {
    let expected = [layers * directions, batch, hiddenSize]
    require(
      state.hidden.shape == expected,
      "\(kind.rawValue): initial hidden state has shape \(state.hidden.shape), expected \(expected)")
    if unit.hasCellState {
      require(
        state.cell?.shape == expected,
        "\(kind.rawValue): initial cell state has shape \(state.cell?.shape ?? []), expected \(expected)")
    }
  }

  /// `active[t · batch + b]`: whether step t lies inside sequence b.
  private func activeSteps(_ lengths: [Int]?, steps: Int, batch: Int) -> [Bool] {
    guard let lengths else { return [Bool](repeating: true, count: steps * batch) }
    require(
      lengths.count == batch,
      "\(kind.rawValue): \(lengths.count) lengths for a batch of \(batch) sequences")
    for (b, length) in lengths.enumerated() {
      require(
        length >= 1 && length <= steps,
        "\(kind.rawValue): sequence \(b) has length \(length), expected 1...\(steps) (the padded length)")
    }
    return (0..<(steps * batch)).map { $0 / batch < lengths[$0 % batch] }
  }

  private func mergeDirections(_ outputs: [Tensor]) -> Tensor {
    guard outputs.count == 2 else { return outputs[0] }
    switch merge {
    case .concatenate: return concatenateDirections(outputs)
    case .sum: return outputs[0] + outputs[1]
    case .average: return (outputs[0] + outputs[1]) * 0.5
    case .multiply: return outputs[0] * outputs[1]
    }
  }
}

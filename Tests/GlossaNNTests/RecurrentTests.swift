import GlossaNN
import GlossaOptim
import GlossaTensor
import Testing

@Suite struct RecurrentTests {
  func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -scale, high: scale, generator: &g)
  }

  /// A cell holding a copy of the weights of one direction of layer 0 of `network` (a copy,
  /// so that its gradients are its own).
  func cell(of network: RecurrentNetwork, suffix: String = "") throws -> RecurrentCell {
    let cell = RecurrentCell(unit: network.unit, inputSize: network.inputSize, hiddenSize: network.hiddenSize)
    try cell.loadStateDict(RecurrentCell(network, layer: 0, reverse: suffix == "_reverse").stateDict())
    return cell
  }

  @Test func aNetworksLayerStepsAsACellThatSharesItsWeights() {
    let (T, B, I, H) = (4, 2, 3, 5)
    let network = RecurrentNetwork(kind: .gru, inputSize: I, hiddenSize: H, layers: 2, seed: 4)
    let x = random([T, B, I], seed: 5)
    let first = RecurrentCell(network, layer: 0)
    let second = RecurrentCell(network, layer: 1)
    #expect(first.inputSize == I && second.inputSize == H && second.hiddenSize == H)
    var (h0, h1): (RecurrentState?, RecurrentState?) = (nil, nil)
    var outputs: [Float] = []
    for t in 0..<T {
      h0 = first(x.slice(axis: 0, range: t..<(t + 1)).reshaped([B, I]), state: h0)
      h1 = second(h0!.hidden, state: h1)
      outputs += h1!.hidden.scalars
    }
    #expect(mismatch(Tensor(outputs, shape: [T, B, H]), network(x).output) == nil)
    // The same tensors: a gradient through the cell lands on the network's parameter.
    first(x.slice(axis: 0, range: 0..<1).reshaped([B, I])).hidden.sum().backward()
    #expect(network.namedWeights[0].tensor.grad != nil)
  }

  /// Batches of 3 and 5 rows: the recurrent product by BLAS, and on W_hh packed once.
  @Test(arguments: RecurrentKind.allCases, [3, 5])
  func fusedLayerMatchesTheUnrolledCell(_ kind: RecurrentKind, batch B: Int) throws {
    let (T, I, H) = (5, 4, 3)
    let network = RecurrentNetwork(kind: kind, inputSize: I, hiddenSize: H, bidirectional: true, seed: 3)
    let x = random([T, B, I], seed: 1)
    let h0 = random([2, B, H], seed: 2, scale: 0.5)
    let c0 = kind.hasCellState ? random([2, B, H], seed: 4, scale: 0.5) : nil
    let outWeight = random([T, B, 2 * H], seed: 5)
    let finalWeight = random([2, B, H], seed: 6)
    func loss(_ output: Tensor, _ hidden: Tensor, _ cell: Tensor?) -> Tensor {
      (output * outWeight).sum() + (hidden * finalWeight).sum()
        + (cell.map { ($0 * finalWeight).sum() } ?? Tensor(scalar: 0))
    }
    // Fused.
    let inputs = [x, h0] + (c0.map { [$0] } ?? [])
    for t in inputs { t.requiresGrad = true }
    let fused = network(x, state: RecurrentState(hidden: h0, cell: c0))
    loss(fused.output, fused.state.hidden, fused.state.cell).backward()
    let fusedGradients = (inputs + network.parameters()).map { $0.grad!.scalars }
    // The same computation unrolled step by step with autodiff.
    let forwardCell = try cell(of: network)
    let backwardCell = try cell(of: network, suffix: "_reverse")
    let x2 = x.copy()
    let h2 = h0.copy()
    let c2 = c0?.copy()
    for t in [x2, h2] + (c2.map { [$0] } ?? []) { t.requiresGrad = true }
    func run(_ cell: RecurrentCell, direction: Int, order: [Int]) -> ([Tensor], Tensor, Tensor?) {
      var h = h2.slice(axis: 0, range: direction..<(direction + 1)).reshaped([B, H])
      var c = c2?.slice(axis: 0, range: direction..<(direction + 1)).reshaped([B, H])
      var outputs = [Tensor?](repeating: nil, count: T)
      for t in order {
        let next = cell.referenceStep(
          x2.slice(axis: 0, range: t..<(t + 1)).reshaped([B, I]), state: RecurrentState(hidden: h, cell: c))
        (h, c) = (next.hidden, next.cell)
        outputs[t] = h
      }
      return (outputs.map { $0! }, h, c)
    }
    let (forwardOut, hf, cf) = run(forwardCell, direction: 0, order: Array(0..<T))
    let (backwardOut, hb, cb) = run(backwardCell, direction: 1, order: Array((0..<T).reversed()))
    let output = Tensor.concatenate([Tensor.stack(forwardOut), Tensor.stack(backwardOut)], axis: 2)
    let cell = kind.hasCellState ? Tensor.stack([cf!, cb!]) : nil
    #expect(mismatch(fused.output, output) == nil)
    loss(output, Tensor.stack([hf, hb]), cell).backward()
    let cellParameters = forwardCell.parameters() + backwardCell.parameters()
    let unrolledGradients = ([x2, h2] + (c2.map { [$0] } ?? []) + cellParameters).map { $0.grad!.scalars }
    for (k, (a, b)) in zip(fusedGradients, unrolledGradients).enumerated() {
      #expect(mismatch(Tensor(a), Tensor(b)) == nil, "\(kind) gradient \(k)")
    }
  }

  /// The final state alone is the call's state, in inference (where the last layer keeps none
  /// of its step outputs) and while recording, for stacked bidirectional layers over padded
  /// sequences.
  @Test(arguments: RecurrentKind.allCases)
  func theFinalStateAloneIsTheCallsState(_ kind: RecurrentKind) {
    let (T, B, I, H) = (6, 5, 4, 3)
    let network = RecurrentNetwork(
      kind: kind, inputSize: I, hiddenSize: H, layers: 2, bidirectional: true, seed: 9)
    network.eval()
    let x = random([T, B, I], seed: 10)
    let lengths = [6, 2, 5, 1, 6]
    let whole = withoutGradients { network(x, lengths: lengths).state }
    let alone = withoutGradients { network.finalState(x, lengths: lengths) }
    let recorded = network.finalState(x, lengths: lengths)
    #expect(whole.hidden.shape == [4, B, H])
    for state in [alone, recorded] {
      #expect(state.hidden.scalars == whole.hidden.scalars)
      #expect(state.cell?.scalars == whole.cell?.scalars)
    }
  }

  /// The one-step API: three steps of the cell's fused step, chained, give the reference
  /// step's states and gradients, and the network's outputs over the same steps.
  @Test(arguments: RecurrentKind.allCases)
  func cellStepsMatchTheReferenceStepAndTheNetwork(_ kind: RecurrentKind) throws {
    let (T, B, I, H) = (3, 2, 4, 5)
    let network = RecurrentNetwork(kind: kind, inputSize: I, hiddenSize: H, seed: 21)
    let cell = try self.cell(of: network)
    let x = random([T, B, I], seed: 22)
    let h0 = random([B, H], seed: 23, scale: 0.5)
    let c0 = kind.hasCellState ? random([B, H], seed: 24, scale: 0.5) : nil
    let weight = random([B, H], seed: 25)
    func run(_ step: (Tensor, RecurrentState) -> RecurrentState) -> ([Tensor], [Float]) {
      let (xs, h, c) = (x.copy(), h0.copy(), c0?.copy())
      for t in [xs, h] + (c.map { [$0] } ?? []) { t.requiresGrad = true }
      cell.zeroGrad()
      var state = RecurrentState(hidden: h, cell: c)
      var outputs: [Tensor] = []
      for t in 0..<T {
        state = step(xs.slice(axis: 0, range: t..<(t + 1)).reshaped([B, I]), state)
        outputs.append(state.hidden)
      }
      let loss =
        outputs.map { ($0 * weight).sum() }.reduce(Tensor(scalar: 0), +)
        + (state.cell.map { ($0 * weight).sum() } ?? Tensor(scalar: 0))
      loss.backward()
      let gradients = ([xs, h] + (c.map { [$0] } ?? []) + cell.parameters()).flatMap { $0.grad!.scalars }
      return (outputs, gradients)
    }
    let (fused, fusedGradients) = run { cell($0, state: $1) }
    let (reference, referenceGradients) = run { cell.referenceStep($0, state: $1) }
    for (a, b) in zip(fused, reference) { #expect(mismatch(a, b) == nil, "\(kind) state") }
    #expect(mismatch(Tensor(fusedGradients), Tensor(referenceGradients)) == nil, "\(kind) gradients")
    let whole = withoutGradients {
      network(x, state: RecurrentState(hidden: h0.reshaped([1, B, H]), cell: c0?.reshaped([1, B, H]))).output
    }
    #expect(mismatch(whole, Tensor.stack(fused)) == nil, "\(kind) against the network")
  }

  @Test func cellHasPyTorchNamesAndShapes() {
    let cell = RecurrentCell(unit: LSTMUnit(), inputSize: 3, hiddenSize: 4)
    #expect(cell(Tensor.zeros([2, 3])).hidden.shape == [2, 4])
    #expect(cell.zeroState(batch: 2).cell?.shape == [2, 4])
    #expect(cell.namedTensors().map(\.name) == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
    #expect(cell.weightIH.shape == [16, 3])
  }

  @Test(arguments: RecurrentKind.allCases)
  func fusedLayerPassesGradientCheck(_ kind: RecurrentKind) {
    let network = RecurrentNetwork(
      kind: kind, inputSize: 3, hiddenSize: 2, layers: 2, bidirectional: true, seed: 8)
    let x = random([4, 2, 3], seed: 9)
    // ReLU's kink at 0 needs a smaller step than the smooth units.
    let epsilon: Float = kind == .rnnReLU ? 1e-3 : 1e-2
    let result = GradientCheck.check([x] + network.parameters(), epsilon: epsilon) { inputs in
      let out = network(inputs[0], lengths: [4, 2])
      return Tensor.concatenate([out.output.reshaped([-1]), out.state.hidden.reshaped([-1])])
    }
    #expect(result.maxError < 2e-2, "\(kind): \(result)")
  }

  private func mismatch(_ a: Tensor, _ b: Tensor) -> String? {
    guard a.count == b.count else { return "count \(a.count) vs \(b.count)" }
    for (i, (x, y)) in zip(a.scalars, b.scalars).enumerated() where abs(x - y) > 1e-5 + 1e-4 * abs(y) {
      return "element \(i): \(x) vs \(y)"
    }
    return nil
  }

  /// ‖∂loss/∂h₀‖ after `steps` steps, loss = s · Σ h_T with a loss scale s = 10²⁵ so that
  /// the vanishing gradient stays above Float's smallest number (the ratios are unaffected).
  func initialStateGradient(_ kind: RecurrentKind, steps: Int) -> Double {
    let network = RecurrentNetwork(kind: kind, inputSize: 8, hiddenSize: 32, seed: 11)
    let x = random([steps, 4, 8], seed: 12)
    let h0 = Tensor.zeros([1, 4, 32], requiresGrad: true)
    let c0 = kind.hasCellState ? Tensor.zeros([1, 4, 32]) : nil
    (network(x, state: RecurrentState(hidden: h0, cell: c0)).state.hidden.sum() * 1e25).backward()
    return h0.grad!.scalars.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
  }

  @Test func gradientsVanishFasterThroughATanhRNNThanThroughAnLSTM() {
    let rnnDecay = initialStateGradient(.rnnTanh, steps: 100) / initialStateGradient(.rnnTanh, steps: 1)
    let lstmDecay = initialStateGradient(.lstm, steps: 100) / initialStateGradient(.lstm, steps: 1)
    let ratio = lstmDecay / rnnDecay
    print("vanishing gradients over 100 steps: tanh RNN ×\(rnnDecay), LSTM ×\(lstmDecay), ratio \(ratio)")
    #expect(
      ratio > 100,
      "over 100 steps ‖∂L/∂h₀‖ shrank by \(rnnDecay) for the tanh RNN and \(lstmDecay) for the LSTM (ratio \(ratio))"
    )
  }
}

import GlossaNN
import GlossaOptim
import GlossaTensor
import Testing

@Suite struct RecurrentBehaviourTests {
  @Test func parametersHavePyTorchNamesAndInitialisation() {
    let lstm = LSTM(inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true)
    let names = lstm.namedParameters().map(\.name)
    #expect(names.count == 16)
    #expect(
      names.prefix(5) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse"])
    #expect(lstm.stateDict()["weight_ih_l1"]?.shape == [16, 8])  // 4 gates; input = both directions
    #expect(lstm.stateDict()["bias_hh_l1_reverse"]?.shape == [16])
    let bound = 1 / Float(4).squareRoot()
    #expect(lstm.parameters().allSatisfy { $0.scalars.allSatisfy { abs($0) <= bound } })
    #expect(GRU(inputSize: 3, hiddenSize: 4).stateDict()["weight_hh_l0"]?.shape == [12, 4])
    #expect(RNN(inputSize: 3, hiddenSize: 4).stateDict()["weight_hh_l0"]?.shape == [4, 4])
  }

  @Test func shapesForEveryLayout() {
    let x = Tensor.ones([5, 2, 3])
    let gru = GRU(inputSize: 3, hiddenSize: 4, layers: 3, bidirectional: true)
    let out = gru(x)
    #expect(out.output.shape == [5, 2, 8])
    #expect(out.state.hidden.shape == [6, 2, 4])
    #expect(out.state.cell == nil)
    let batchFirst = LSTM(inputSize: 3, hiddenSize: 4, batchFirst: true)
    let bf = batchFirst(Tensor.ones([2, 5, 3]))
    #expect(bf.output.shape == [2, 5, 4])
    #expect(bf.state.cell?.shape == [1, 2, 4])
    for merge in [DirectionMerge.sum, .average, .multiply] {
      let merged = RNN(inputSize: 3, hiddenSize: 4, bidirectional: true, merge: merge, seed: 1)
      let concatenated = RNN(inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 1)
      let parts = concatenated(x).output.split(sizes: [4, 4], axis: 2)
      let expected: Tensor =
        switch merge {
        case .sum: parts[0] + parts[1]
        case .average: (parts[0] + parts[1]) * 0.5
        default: parts[0] * parts[1]
        }
      #expect(merged(x).output.scalars == expected.scalars, "\(merge)")
      #expect(merged.outputSize == 4)
    }
  }

  @Test func paddedStepsChangeNothing() {
    // A sequence of length 2 padded to 4 ends in the same state as the same 2 steps alone,
    // and its padded outputs are zero.
    let lstm = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 2)
    var g = SeededGenerator(seed: 3)
    let x = Tensor.uniform([4, 1, 3], low: -1, high: 1, generator: &g)
    let padded = lstm(x, lengths: [2])
    let alone = lstm(x.slice(axis: 0, range: 0..<2))
    #expect(padded.state.hidden.scalars == alone.state.hidden.scalars)
    #expect(padded.output.slice(axis: 0, range: 0..<2).scalars == alone.output.scalars)
    #expect(padded.output.slice(axis: 0, range: 2..<4).scalars.allSatisfy { $0 == 0 })
  }

  @Test(arguments: RecurrentKind.allCases)
  func inferenceGivesTheTrainingForwardPass(_ kind: RecurrentKind) {
    // Without gradients the kernel keeps less; its outputs must not change.
    let network = RecurrentNetwork(
      kind: kind, inputSize: 3, hiddenSize: 5, layers: 2, bidirectional: true, seed: 7)
    var g = SeededGenerator(seed: 8)
    let x = Tensor.uniform([6, 3, 3], low: -1, high: 1, generator: &g)
    let recorded = network(x, lengths: [6, 2, 4])
    let inferred = withoutGradients { network(x, lengths: [6, 2, 4]) }
    #expect(recorded.output.scalars == inferred.output.scalars)
    #expect(recorded.state.hidden.scalars == inferred.state.hidden.scalars)
    #expect(recorded.state.cell?.scalars == inferred.state.cell?.scalars)
  }

  @Test func outputReadLaterKeepsTheGradientModeOfTheCall() throws {
    let lstm = LSTM(inputSize: 3, hiddenSize: 4, bidirectional: true, batchFirst: true, seed: 2)
    var generator = SeededGenerator(seed: 4)
    let x = Tensor.uniform([2, 5, 3], low: -1, high: 1, generator: &generator)
    // Read at once, and read first inside a block without gradients: the same graph.
    lstm(x).output.sum().backward()
    let eager = lstm.parameters().map { $0.grad!.scalars }
    lstm.parameters().forEach { $0.grad = nil }
    let result = lstm(x)
    let late = withoutGradients { result.output }
    try #require(late.requiresGrad)
    late.sum().backward()
    #expect(lstm.parameters().map { $0.grad?.scalars } == eager)
  }

  @Test func dropoutActsBetweenLayersWhileTrainingOnly() {
    let x = Tensor.ones([3, 2, 3])
    let network = GRU(inputSize: 3, hiddenSize: 8, layers: 2, dropout: 0.5, seed: 4)
    let noDropout = GRU(inputSize: 3, hiddenSize: 8, layers: 2, seed: 4)
    #expect(network(x).output.scalars != noDropout(x).output.scalars)
    network.eval()
    #expect(network(x).output.scalars == noDropout(x).output.scalars)
  }

  @Test func truncatedBPTTCarriesADetachedState() {
    let rnn = RNN(inputSize: 2, hiddenSize: 3, seed: 5)
    let first = Tensor.ones([4, 1, 2], requiresGrad: true)
    let state = rnn(first).state
    let second = rnn(Tensor.ones([4, 1, 2]), state: state.detached())
    second.output.sum().backward()
    #expect(first.grad == nil)  // no gradient crosses the batch boundary
    #expect(rnn.parameters().allSatisfy { $0.grad != nil })
  }

  @Test func clippingTamesExplodingGradients() {
    // Large recurrent weights make the gradient explode through time; clipping rescales it.
    let rnn = RNN(inputSize: 2, hiddenSize: 8, nonlinearity: .relu, seed: 6)
    rnn.stateDict()["weight_hh_l0"]!.withUnsafeMutableBufferPointer { w in
      for i in 0..<w.count { w[i] = i % 9 == 0 ? 1.5 : 0 }  // 1.5 · identity
    }
    rnn(Tensor.ones([40, 1, 2])).output.sum().backward()
    let norm = clipGradientNorm(rnn.parameters(), maxNorm: 1)
    #expect(norm > 1e6, "gradient norm \(norm)")
    let clipped = rnn.parameters().compactMap(\.grad).map { $0.scalars.map { $0 * $0 }.reduce(0, +) }.reduce(
      0, +)
    #expect(abs(clipped.squareRoot() - 1) < 1e-3)
  }

  @Test func wrongInputSizeIsNamed() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = LSTM(inputSize: 3, hiddenSize: 4)(Tensor.zeros([5, 2, 7]))
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("lstm: input has shape [5, 2, 7], expected [steps, batch, 3]"))
  }

  @Test func wrongStateShapeIsNamed() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = GRU(inputSize: 3, hiddenSize: 4)(
        Tensor.zeros([5, 2, 3]), state: RecurrentState(hidden: Tensor.zeros([1, 3, 4])))
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("gru: initial hidden state has shape [1, 3, 4], expected [1, 2, 4]"))
  }

  @Test func zeroLengthIsNamed() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = RNN(inputSize: 3, hiddenSize: 4)(Tensor.zeros([5, 2, 3]), lengths: [5, 0])
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("sequence 1 has length 0, expected 1...5"))
  }

  @Test func tooLongLengthIsNamed() async {
    let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = RNN(inputSize: 3, hiddenSize: 4)(Tensor.zeros([5, 2, 3]), lengths: [9, 2])
    }
    let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(message.contains("sequence 0 has length 9, expected 1...5"))
  }
}

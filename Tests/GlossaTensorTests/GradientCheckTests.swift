import GlossaTensor
import Testing

/// Every differentiable operation against central differences on small shapes.
@Suite struct GradientCheckTests {
  static let tolerance = 2e-2

  func tensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, generator: &g)
  }

  func check(_ name: String, _ inputs: [Tensor], _ f: @escaping ([Tensor]) -> Tensor) {
    let result = GradientCheck.check(inputs, f)
    #expect(result.maxError < Self.tolerance, "\(name): \(result)")
  }

  @Test func arithmeticWithBroadcasting() {
    check("add", [tensor([2, 3], seed: 1), tensor([3], seed: 2)]) { $0[0] + $0[1] }
    check("subtract", [tensor([2, 1, 3], seed: 1), tensor([2, 1], seed: 2)]) { $0[0] - $0[1] }
    check("multiply", [tensor([2, 3], seed: 1), tensor([2, 1], seed: 2)]) { $0[0] * $0[1] }
    check("divide", [tensor([2, 3], seed: 1), tensor([3], seed: 2, low: 1, high: 2)]) { $0[0] / $0[1] }
    check("negate and scalars", [tensor([4], seed: 3)]) { (-$0[0] * 3 + 1) / 2 - 0.5 }
  }

  @Test func unaryFunctions() {
    check("square", [tensor([5], seed: 4)]) { $0[0].squared() }
    check("sqrt", [tensor([5], seed: 4, low: 0.5, high: 2)]) { $0[0].squareRoot() }
    check("exp", [tensor([5], seed: 4)]) { $0[0].exp() }
    check("log", [tensor([5], seed: 4, low: 0.5, high: 2)]) { $0[0].log() }
    check("abs", [tensor([5], seed: 4, low: 0.2, high: 1) * Tensor([1, -1, 1, -1, 1])]) { $0[0].abs() }
  }

  @Test func activations() {
    check("sigmoid", [tensor([3, 4], seed: 5, low: -3, high: 3)]) { $0[0].sigmoid() }
    check("tanh", [tensor([3, 4], seed: 5, low: -2, high: 2)]) { $0[0].tanh() }
    // Keep inputs away from the kink at 0.
    check("relu", [tensor([3, 4], seed: 5, low: 0.1, high: 1) * Tensor([1, -1, 1, -1])]) { $0[0].relu() }
    check("softmax", [tensor([3, 4], seed: 6, low: -2, high: 2)]) { $0[0].softmax() }
    check("softmax axis 0", [tensor([3, 4], seed: 6)]) { $0[0].softmax(axis: 0) }
    check("logSoftmax", [tensor([3, 4], seed: 7, low: -2, high: 2)]) { $0[0].logSoftmax() }
  }

  @Test func reductions() {
    check("sum", [tensor([2, 3], seed: 8)]) { $0[0].sum() }
    check("mean", [tensor([2, 3], seed: 8)]) { $0[0].mean() }
    check("sum axis", [tensor([2, 3, 2], seed: 8)]) { $0[0].sum(axis: 1) }
    check("mean axis", [tensor([2, 3], seed: 8)]) { $0[0].mean(axis: 0, keepingDimension: true) }
    check("max axis", [Tensor(rows: [[0.1, 0.9, -0.3], [0.5, -0.2, 0.4]])]) { $0[0].max(axis: 1) }
  }

  @Test func matrixProducts() {
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      let a = tensor(ta ? [4, 3] : [3, 4], seed: 9)
      let b = tensor(tb ? [2, 4] : [4, 2], seed: 10)
      check("matmul \(ta) \(tb)", [a, b]) { Tensor.matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
    }
    check("batched matmul", [tensor([2, 3, 4], seed: 11), tensor([2, 4, 2], seed: 12)]) {
      Tensor.matmul($0[0], $0[1])
    }
    check("linear", [tensor([2, 3, 4], seed: 13), tensor([5, 4], seed: 14), tensor([5], seed: 15)]) {
      Tensor.linear($0[0], weight: $0[1], bias: $0[2])
    }
  }

  @Test func shapeOperations() {
    check("reshape", [tensor([2, 3], seed: 16)]) { $0[0].reshaped([3, 2]) * Tensor([1, 2]) }
    check("permute", [tensor([2, 3, 4], seed: 17)]) { $0[0].permuted([2, 0, 1]) }
    check("transpose", [tensor([2, 3], seed: 17)]) { $0[0].transposed() }
    check("concatenate", [tensor([2, 3], seed: 18), tensor([2, 1], seed: 19)]) {
      Tensor.concatenate([$0[0], $0[1]], axis: 1)
    }
    check("split", [tensor([5, 2], seed: 20)]) {
      let parts = $0[0].split(sizes: [2, 3], axis: 0)
      return parts[0].sum() * parts[1].sum(axis: 0)
    }
    check("slice", [tensor([3, 4], seed: 21)]) { $0[0].slice(axis: 1, range: 1..<3) }
    check("stack", [tensor([2, 3], seed: 22), tensor([2, 3], seed: 23)]) { Tensor.stack($0, axis: 1) }
    check("indexSelect", [tensor([4, 3], seed: 24)]) { $0[0].indexSelect(axis: 0, indices: [2, 0, 2]) }
    check("gather", [tensor([3, 4], seed: 25)]) {
      $0[0].gather(axis: 1, indices: [3, 0, 1, 1, 2, 2], indexShape: [3, 2])
    }
  }

  @Test func aComposedNetwork() {
    check(
      "two-layer network", [tensor([4, 3], seed: 26), tensor([5, 3], seed: 27), tensor([2, 5], seed: 28)]
    ) {
      Tensor.linear(Tensor.linear($0[0], weight: $0[1], bias: nil).tanh(), weight: $0[2], bias: nil)
        .logSoftmax()
    }
  }

  @Test func theCheckerCatchesAWrongGradient() {
    // A deliberately wrong backward (twice the true gradient) must be reported.
    let x = tensor([3], seed: 29)
    let result = GradientCheck.check([x]) { inputs in
      let y = withoutGradients { inputs[0] * inputs[0] }
      return Tensor.record(y, op: "wrong square", inputs: inputs) { g in [g * inputs[0] * 4] }
    }
    #expect(result.maxError > 0.1)
  }
}

/// A tensor that feeds many operations (a decoder's weights at every step) gets the sum of
/// their gradients, whichever way backpropagation adds them up.
@Suite struct GradientSumTests {
  @Test func aTensorUsedAtEveryStepSumsItsGradients() {
    var g = SeededGenerator(seed: 3)
    let w = Tensor.uniform([4, 3], low: -1, high: 1, generator: &g, requiresGrad: true)
    let inputs = (0..<6).map { _ in Tensor.uniform([2, 4], low: -1, high: 1, generator: &g) }
    var total = Tensor.matmul(inputs[0], w)
    for x in inputs.dropFirst() { total = total + Tensor.matmul(x, w) * 2 }
    total.sum().backward()
    // ∂/∂w Σ_t c_t sum(x_t w) = Σ_t c_t x_tᵀ 1.
    var expected = [Float](repeating: 0, count: 12)
    for (t, x) in inputs.enumerated() {
      let scale: Float = t == 0 ? 1 : 2
      for i in 0..<4 {
        let column = (0..<2).reduce(Float(0)) { $0 + x.scalars[$1 * 4 + i] }
        for j in 0..<3 { expected[i * 3 + j] += scale * column }
      }
    }
    for (a, b) in zip(w.grad!.scalars, expected) { #expect(abs(a - b) < 1e-5) }
  }
}

/// An operation whose backward pass reads its own output must not keep that output alive:
/// the graph (and its memory) goes when the last tensor of it does.
@Suite struct GraphLifetimeTests {
  static func apply(_ name: String, _ x: Tensor) -> Tensor {
    switch name {
    case "tanh": x.tanh()
    case "sigmoid": x.sigmoid()
    case "exp": x.exp()
    case "sqrt": x.squareRoot()
    case "softmax": x.softmax()
    default: x.logSoftmax()
    }
  }

  @Test(arguments: ["tanh", "sigmoid", "exp", "sqrt", "softmax", "logSoftmax"])
  func aRecordedOutputIsFreedWithItsGraph(name: String) {
    let operation = { Self.apply(name, $0) }
    weak var output: Tensor?
    do {
      let x = Tensor([0.5, 1, 2], shape: [1, 3], requiresGrad: true)
      let y = operation(x)
      #expect(y.requiresGrad)
      output = y
    }
    #expect(output == nil, "\(name): its output outlived its graph")
  }
}

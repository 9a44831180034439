import Foundation
import GlossaData
import GlossaModels
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaViz

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Part 1: neurons, forward propagation, losses, backpropagation and gradient descent.
extension Demo {
  func networks(_ run: DemoRun) throws {
    run.part("1. Neural networks")
    neuron(run)
    try xor(run)
    try nonLinearity(run)
    try gradientDescentKinds(run)
    learningRates(run)
  }

  func format(_ value: Float, _ digits: Int = 4) -> String { Double(value).formatted(digits) }

  /// z = Σ wᵢxᵢ + b, then an activation.
  func neuron(_ run: DemoRun) {
    run.heading("A neuron: z = Σ w_i·x_i + b, then an activation")
    let x = Tensor([0.5, -1.0, 2.0])
    let neuron = Neuron(weights: [0.4, 0.3, -0.2], bias: 0.1)
    run.say("inputs x = \(x.scalars), weights w = \(neuron.weight.scalars), bias b = 0.1")
    run.say("weighted sum z = \(format(neuron.weightedSum(x).item))")
    let outputs = [Activation.Kind.sigmoid, .relu, .tanh].map { kind in
      let output = Neuron(weights: neuron.weight.scalars, bias: 0.1, activation: kind)(x).item
      return "\(kind == .relu ? "ReLU" : kind.rawValue)(z) = \(format(output))"
    }
    run.say(outputs.joined(separator: "   "))
    run.say("softmax([2, 1, 0.1]) = \(Tensor([2, 1, 0.1]).softmax().scalars.map { format($0) })")
  }

  /// A 2-8-1 network with tanh learns XOR, which no single neuron can.
  func xor(_ run: DemoRun) throws {
    run.heading("Forward propagation, loss and backpropagation: a 2-layer network learns XOR")
    let x = Tensor(rows: [[0, 0], [0, 1], [1, 0], [1, 1]])
    let y = Tensor(rows: [[0], [1], [1], [0]])
    let model = MLP([2, 8, 1], activation: .tanh, seed: seed + 11)
    let optimizer = Adam(model.parameters(), learningRate: 0.05)
    let loader = DataLoader(inputs: x, targets: y, descent: .batch, shuffle: false)
    let history = try train(epochs: 500, loader: loader, optimizer: optimizer) { x, y in
      binaryCrossEntropyWithLogits(model(x), y)
    } afterEpoch: { epoch, loss in
      if [1, 10, 50, 100, 250, 500].contains(epoch) {
        run.say("epoch \(String(epoch).padded(4)) loss \(format(loss))")
      }
    }
    let p = withoutGradients { model(x).sigmoid() }
    run.say(" x1  x2 | XOR | network")
    for i in 0..<4 {
      run.say("  \(Int(x[i, 0]))   \(Int(x[i, 1])) |  \(Int(y[i, 0]))  | \(format(p[i, 0], 3))")
    }
    var plot = LinePlot(
      title: "A 2-8-1 network learning XOR", xLabel: "epoch", yLabel: "binary cross-entropy")
    plot.add(.init("loss", history.epochLosses.enumerated().map { (Double($0 + 1), Double($1)) }))
    run.figure(
      "xor-loss.svg", plot, caption: "The XOR network's loss, epoch by epoch (Adam, learning rate 0.05).")
    let solved = (0..<4).allSatisfy { (p[$0, 0] > 0.5) == (y[$0, 0] == 1) }
    run.check("XOR solved", solved, "outputs \((0..<4).map { format(p[$0, 0], 3) }) for targets 0 1 1 0")
  }

  /// The same network with and without tanh, fitting sin(x) on [−π, π].
  func nonLinearity(_ run: DemoRun) throws {
    run.heading("Why non-linearity: fitting sin(x) on [-π, π] with a 1-32-1 network")
    let x = Tensor.linspace(-.pi, .pi, count: 128).reshaped([128, 1])
    let y = Tensor(x.scalars.map { sinf($0) }, shape: [128, 1])
    var errors: [Activation.Kind: Float] = [:]
    for kind in [Activation.Kind.tanh, .identity] {
      let model = MLP([1, 32, 1], activation: kind, seed: seed + 5)
      let optimizer = Adam(model.parameters(), learningRate: 0.01)
      let schedule = StepSchedule(optimizer, stepSize: 1000, gamma: 0.3)
      let loader = DataLoader(inputs: x, targets: y, descent: .batch, shuffle: false)
      let history = try train(epochs: 3000, loader: loader, optimizer: optimizer) { x, y in
        mseLoss(model(x), y)
      } afterEpoch: { _, _ in
        schedule.step()
      }
      errors[kind] = history.epochLosses.last!
      run.say("\(kind.rawValue.padded(8)) activation: MSE \(format(history.epochLosses.last!, 6))")
    }
    run.say("Without a non-linear activation the layers collapse into one linear map y = w'x + b',")
    run.say("so the network can do no better than the best straight line.")
    run.check(
      "tanh fits what a linear map cannot", errors[.tanh]! * 10 < errors[.identity]!,
      "MSE \(format(errors[.tanh]!, 6)) with tanh, \(format(errors[.identity]!, 6)) without")
  }

  /// y = 3x + 2 learned by batch, stochastic and mini-batch gradient descent.
  func gradientDescentKinds(_ run: DemoRun) throws {
    run.heading("Batch, stochastic and mini-batch gradient descent on y = 3x + 2 (64 examples)")
    var generator = SeededGenerator(seed: seed + 21)
    let x = Tensor.uniform([64, 1], low: -1, high: 1, generator: &generator)
    let y = x * 3 + 2 + Tensor.normal([64, 1], std: 0.01, generator: &generator)
    run.say("kind             updates/epoch  epochs  w       b       loss")
    var chart = LinePlot(
      title: "Gradient descent on y = 3x + 2", xLabel: "epoch", yLabel: "mean loss (log scale)",
      logarithmicY: true)
    for descent in [GradientDescent.batch, .stochastic, .miniBatch(8)] {
      let model = Linear(1, 1, seed: seed + 2)
      let optimizer = SGD(model.parameters(), learningRate: descent == .stochastic ? 0.01 : 0.2)
      let loader = DataLoader(inputs: x, targets: y, descent: descent, seed: seed + 3)
      let history = try train(epochs: 200, loader: loader, optimizer: optimizer) { x, y in
        mseLoss(model(x), y)
      }
      chart.add(
        .init(descent.description, history.epochLosses.enumerated().map { (Double($0 + 1), Double($1)) }))
      let columns = [
        descent.description.padded(17), String(loader.batchesPerEpoch).padded(15), "200     ",
        format(model.weight.item, 3) + "  ", format(model.bias!.item, 3) + "  ",
        format(history.epochLosses.last!, 5),
      ]
      run.say(columns.joined())
    }
    run.figure(
      "gradient-descent.svg", chart,
      caption:
        "Loss by epoch for batch (1 update per epoch), stochastic (64) and mini-batch (8) gradient descent.")
  }

  /// Too small, about right, and too large.
  func learningRates(_ run: DemoRun) {
    run.heading("The learning rate: too small, about right, too large (batch descent, 50 epochs)")
    var generator = SeededGenerator(seed: seed + 21)
    let x = Tensor.uniform([64, 1], low: -1, high: 1, generator: &generator)
    let y = x * 3 + 2
    var outcomes: [String] = []
    for rate: Float in [0.001, 0.3, 50] {
      let model = Linear(1, 1, seed: seed + 2)
      let loader = DataLoader(inputs: x, targets: y, descent: .batch)
      let label = "η = \(rate)".padded(10)
      do {
        let history = try train(
          epochs: 50, loader: loader, optimizer: SGD(model.parameters(), learningRate: rate)
        ) { x, y in mseLoss(model(x), y) }
        let (first, last) = (history.epochLosses.first!, history.epochLosses.last!)
        run.say("\(label) loss \(format(first)) → \(format(last))")
        outcomes.append(last < 1e-3 ? "converged" : last < first ? "slow" : "stuck")
      } catch {
        run.say("\(label) \(error)")
        outcomes.append("diverged")
      }
    }
    run.check(
      "too small is slow, too large diverges", outcomes == ["slow", "converged", "diverged"],
      "η = 0.001, 0.3, 50: \(outcomes.joined(separator: ", "))")
  }
}

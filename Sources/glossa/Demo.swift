import ArgumentParser
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

/// `glossa demo`: the lecture's neural-network examples, run and printed.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the lecture's neural-network examples and print what they show.",
    discussion: """
      A neuron, forward propagation and the loss; a two-layer network learning XOR;
      why non-linearity matters (fitting a sine with and without tanh); batch,
      stochastic and mini-batch gradient descent; and what a too-large learning rate does.
      """)

  @Option(help: "Seed for every random choice.")
  var seed: UInt64 = 0

  @Option(help: "Also draw the three kinds of gradient descent's loss curves into this SVG file.")
  var plot: String?

  func run() throws {
    neuron()
    try xor()
    try nonLinearity()
    try gradientDescentKinds()
    learningRates()
  }

  func heading(_ title: String) { print("\n== \(title) ==") }

  func format(_ value: Float, _ digits: Int = 4) -> String {
    String(format: "%.\(digits)f", Double(value))
  }

  /// z = Σ wᵢxᵢ + b, then an activation.
  func neuron() {
    heading("A neuron: z = Σ w_i·x_i + b, then an activation")
    let x = Tensor([0.5, -1.0, 2.0])
    let neuron = Neuron(weights: [0.4, 0.3, -0.2], bias: 0.1)
    print("inputs x = \(x.scalars), weights w = \(neuron.weight.scalars), bias b = 0.1")
    print("weighted sum z = \(format(neuron.weightedSum(x).item))")
    let outputs = [Activation.Kind.sigmoid, .relu, .tanh].map { kind in
      let output = Neuron(weights: neuron.weight.scalars, bias: 0.1, activation: kind)(x).item
      return "\(kind == .relu ? "ReLU" : kind.rawValue)(z) = \(format(output))"
    }
    print(outputs.joined(separator: "   "))
    print("softmax([2, 1, 0.1]) = \(Tensor([2, 1, 0.1]).softmax().scalars.map { format($0) })")
  }

  /// A 2-8-1 network with tanh learns XOR, which no single neuron can.
  func xor() throws {
    heading("Forward propagation, loss and backpropagation: a 2-layer network learns XOR")
    let x = Tensor(rows: [[0, 0], [0, 1], [1, 0], [1, 1]])
    let y = Tensor(rows: [[0], [1], [1], [0]])
    let model = MLP([2, 8, 1], activation: .tanh, seed: seed + 11)
    let optimizer = Adam(model.parameters(), learningRate: 0.05)
    let loader = DataLoader(inputs: x, targets: y, descent: .batch, shuffle: false)
    _ = try train(epochs: 500, loader: loader, optimizer: optimizer) { x, y in
      binaryCrossEntropyWithLogits(model(x), y)
    } afterEpoch: { epoch, loss in
      if [1, 10, 50, 100, 250, 500].contains(epoch) {
        print("epoch \(String(epoch).padding(toLength: 4, withPad: " ", startingAt: 0)) loss \(format(loss))")
      }
    }
    let p = withoutGradients { model(x).sigmoid() }
    print(" x1  x2 | XOR | network")
    for i in 0..<4 {
      print("  \(Int(x[i, 0]))   \(Int(x[i, 1])) |  \(Int(y[i, 0]))  | \(format(p[i, 0], 3))")
    }
  }

  /// The same network with and without tanh, fitting sin(x) on [−π, π].
  func nonLinearity() throws {
    heading("Why non-linearity: fitting sin(x) on [-π, π] with a 1-32-1 network")
    let x = Tensor.linspace(-.pi, .pi, count: 128).reshaped([128, 1])
    let y = Tensor(x.scalars.map { sinf($0) }, shape: [128, 1])
    for kind in [Activation.Kind.tanh, .identity] {
      let model = MLP([1, 32, 1], activation: kind, seed: seed + 5)
      let optimizer = Adam(model.parameters(), learningRate: 0.01)
      let schedule = StepSchedule(optimizer, stepSize: 1000, gamma: 0.3)
      let loader = DataLoader(inputs: x, targets: y, descent: .batch, shuffle: false)
      let history = try train(epochs: 3000, loader: loader, optimizer: optimizer) { x, y in
        mseLoss(model(x), y)
      } afterEpoch: { _, _ in
        schedule.step(metric: nil)
      }
      print(
        "\(kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) activation: MSE \(format(history.epochLosses.last!, 6))"
      )
    }
    print("Without a non-linear activation the layers collapse into one linear map y = w'x + b',")
    print("so the network can do no better than the best straight line.")
  }

  /// y = 3x + 2 learned by batch, stochastic and mini-batch gradient descent.
  func gradientDescentKinds() throws {
    heading("Batch, stochastic and mini-batch gradient descent on y = 3x + 2 (64 examples)")
    var generator = SeededGenerator(seed: seed + 21)
    let x = Tensor.uniform([64, 1], low: -1, high: 1, generator: &generator)
    let y = x * 3 + 2 + Tensor.normal([64, 1], std: 0.01, generator: &generator)
    print("kind             updates/epoch  epochs  w       b       loss")
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
        descent.description.padding(toLength: 17, withPad: " ", startingAt: 0),
        String(loader.batchesPerEpoch).padding(toLength: 15, withPad: " ", startingAt: 0),
        "200     ", format(model.weight.item, 3) + "  ", format(model.bias!.item, 3) + "  ",
        format(history.epochLosses.last!, 5),
      ]
      print(columns.joined())
    }
    if let plot {
      try chart.write(to: URL(fileURLWithPath: plot))
      print("loss curves written to \(plot)")
    }
  }

  /// Too small, about right, and too large.
  func learningRates() {
    heading("The learning rate: too small, about right, too large (batch descent, 50 epochs)")
    var generator = SeededGenerator(seed: seed + 21)
    let x = Tensor.uniform([64, 1], low: -1, high: 1, generator: &generator)
    let y = x * 3 + 2
    for rate: Float in [0.001, 0.3, 50] {
      let model = Linear(1, 1, seed: seed + 2)
      let loader = DataLoader(inputs: x, targets: y, descent: .batch)
      let label = "η = \(rate)".padding(toLength: 10, withPad: " ", startingAt: 0)
      do {
        let history = try train(
          epochs: 50, loader: loader, optimizer: SGD(model.parameters(), learningRate: rate)
        ) {
          x, y in mseLoss(model(x), y)
        }
        print("\(label) loss \(format(history.epochLosses.first!)) → \(format(history.epochLosses.last!))")
      } catch {
        print("\(label) \(error)")
      }
    }
  }
}

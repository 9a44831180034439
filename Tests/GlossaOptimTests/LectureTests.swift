import Foundation
import GlossaData
import GlossaModels
import GlossaNN
import GlossaOptim
import GlossaTensor
import Testing

/// The lecture's claims about neural networks, as experiments that must come out as it says.
@Suite struct LectureTests {
  /// A one-hidden-layer network 1 → hidden → 1 (or 2 → hidden → 1) with the given activation.
  func network(inputs: Int, hidden: Int, activation: Activation.Kind, seed: UInt64) -> MLP {
    MLP([inputs, hidden, 1], activation: activation, seed: seed)
  }

  @Test func aTwoLayerNetworkLearnsXOR() throws {
    let x = Tensor(rows: [[0, 0], [0, 1], [1, 0], [1, 1]])
    let y = Tensor(rows: [[0], [1], [1], [0]])
    let model = network(inputs: 2, hidden: 8, activation: .tanh, seed: 11)
    let optimizer = Adam(model.parameters(), learningRate: 0.05)
    let loader = DataLoader(inputs: x, targets: y, descent: .batch, shuffle: false)
    let history = try train(epochs: 500, loader: loader, optimizer: optimizer) { x, y in
      binaryCrossEntropyWithLogits(model(x), y)
    }
    let predictions = withoutGradients { model(x).sigmoid().scalars }
    #expect(predictions.map { $0 > 0.5 ? Float(1) : 0 } == y.scalars, "predictions \(predictions)")
    #expect(history.epochLosses.last! < 0.05)
  }

  @Test func nonLinearityIsWhatLetsANetworkFitASine() throws {
    let x = Tensor.linspace(-.pi, .pi, count: 128).reshaped([128, 1])
    let y = x.scalars.map { sin($0) }
    let target = Tensor(y, shape: [128, 1])
    // The best straight line (least squares) and its error.
    let xs = x.scalars.map(Double.init)
    let ys = y.map(Double.init)
    let mx = xs.reduce(0, +) / 128
    let my = ys.reduce(0, +) / 128
    let covariance: Double = zip(xs, ys).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
    let variance: Double = xs.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
    let slope = covariance / variance
    let residuals: [Double] = zip(xs, ys).map { x, y in my + slope * (x - mx) - y }
    let lineError = residuals.map { $0 * $0 }.reduce(0, +) / 128

    func fit(_ activation: Activation.Kind) throws -> Float {
      let model = network(inputs: 1, hidden: 32, activation: activation, seed: 5)
      let optimizer = Adam(model.parameters(), learningRate: 0.01)
      let schedule = StepSchedule(optimizer, stepSize: 1000, gamma: 0.3)
      let loader = DataLoader(inputs: x, targets: target, descent: .batch, shuffle: false)
      _ = try train(epochs: 3000, loader: loader, optimizer: optimizer) { x, y in
        mseLoss(model(x), y)
      } afterEpoch: { _, _ in
        schedule.step(metric: nil)
      }
      return withoutGradients { mseLoss(model(x), target).item }
    }
    let tanhError = try fit(.tanh)
    let identityError = try fit(.identity)
    #expect(tanhError < 1e-3, "tanh network MSE \(tanhError)")
    // Without a non-linearity the layers collapse into one linear map: no better than the line.
    #expect(Double(identityError) >= lineError * (1 - 1e-3), "identity \(identityError) vs line \(lineError)")
    #expect(abs(Double(identityError) - lineError) < 1e-3, "identity \(identityError) vs line \(lineError)")
  }

  /// y = 3x + 2 with a little noise, 64 examples.
  func regressionData() -> (Tensor, Tensor) {
    var g = SeededGenerator(seed: 21)
    let x = Tensor.uniform([64, 1], low: -1, high: 1, generator: &g)
    let noise = Tensor.normal([64, 1], std: 0.01, generator: &g)
    return (x, x * 3 + 2 + noise)
  }

  @Test(arguments: [GradientDescent.batch, .stochastic, .miniBatch(8)])
  func everyKindOfGradientDescentConverges(_ descent: GradientDescent) throws {
    let (x, y) = regressionData()
    let model = Linear(1, 1, seed: 2)
    let epochs = 200
    let rate: Float = descent == .stochastic ? 0.01 : 0.2
    let optimizer = SGD(model.parameters(), learningRate: rate)
    let loader = DataLoader(inputs: x, targets: y, descent: descent, seed: 3)
    let history = try train(epochs: epochs, loader: loader, optimizer: optimizer) { x, y in
      mseLoss(model(x), y)
    }
    // Batch: 1 update per epoch; stochastic: one per example; mini-batch: one per 8.
    let perEpoch = ["batch": 1, "stochastic": 64, "mini-batch (8)": 8][descent.description]!
    #expect(history.updates == epochs * perEpoch)
    #expect(abs(model.weight.item - 3) < 0.02, "\(descent): w = \(model.weight.item)")
    #expect(abs(model.bias!.item - 2) < 0.02, "\(descent): b = \(model.bias!.item)")
  }

  @Test func aTooLargeLearningRateDivergesAndTrainingStops() throws {
    let (x, y) = regressionData()
    let model = Linear(1, 1, seed: 2)
    let optimizer = SGD(model.parameters(), learningRate: 50)
    let loader = DataLoader(inputs: x, targets: y, descent: .batch)
    do {
      _ = try train(epochs: 1000, loader: loader, optimizer: optimizer) { x, y in mseLoss(model(x), y) }
      Issue.record("training did not stop")
    } catch let error as TrainingError {
      guard case .nonFiniteLoss(_, let update, let loss) = error else { return }
      #expect(!loss.isFinite)
      #expect(update < 1000)
      #expect(error.description.contains("NaN/Inf detected"))
    }
  }
}

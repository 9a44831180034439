import Foundation
import GlossaData
import GlossaModels
import GlossaNN
import GlossaOptim
import GlossaTensor
import Testing

@Suite struct OptimizerTests {
  @Test func plainGradientDescentIsTheLecturesUpdate() {
    // w_new = w_old − η ∂Loss/∂w
    let w = Tensor([1, -2], requiresGrad: true)
    w.grad = Tensor([0.5, -1])
    SGD([w], learningRate: 0.1).step()
    #expect(w.scalars == [0.95, -1.9])
  }

  /// A parameter large enough to be updated in ranges on several threads (each range eight
  /// elements at a time, then a tail) gets, element by element and bit for bit, Adam's update
  /// written out for one element: without weight decay, with it added to the gradient, and
  /// decoupled (AdamW).
  @Test(arguments: [(Float(0), false), (0.1, false), (0.1, true)])
  func aLargeParameterIsUpdatedAsEachElementAlone(decay: Float, decoupled: Bool) {
    var g = SeededGenerator(seed: 5)
    let count = 3 * parallelRowElements + 17
    let w = Tensor.uniform([count], low: -1, high: 1, generator: &g, requiresGrad: true)
    let gradients = [
      Tensor.uniform([count], low: -1, high: 1, generator: &g),
      Tensor.uniform([count], low: -1, high: 1, generator: &g),
    ]
    var (expected, m, v) = (
      w.scalars, [Float](repeating: 0, count: count), [Float](repeating: 0, count: count)
    )
    let optimizer = Adam(
      [w], learningRate: 0.01, weightDecay: decay, decoupledWeightDecay: decoupled)
    for (step, gradient) in gradients.enumerated() {
      w.grad = gradient
      optimizer.step()
      let (c1, c2) = (1 - powf(0.9, Float(step + 1)), (1 - powf(0.999, Float(step + 1))).squareRoot())
      for (i, gradient) in gradient.scalars.enumerated() {
        var gi = gradient
        if decoupled { expected[i] *= 1 - 0.01 * decay } else { gi += decay * expected[i] }
        m[i] = 0.9 * m[i] + (1 - 0.9) * gi
        v[i] = 0.999 * v[i] + (1 - 0.999) * gi * gi
        expected[i] -= 0.01 / c1 * m[i] / (v[i].squareRoot() / c2 + 1e-8)
      }
    }
    #expect(w.scalars == expected)
  }

  @Test func parametersWithoutGradientsAreLeftAlone() {
    let w = Tensor([1, 2], requiresGrad: true)
    let optimizer = Adam([w], learningRate: 0.1)
    optimizer.step()
    #expect(w.scalars == [1, 2])
    w.grad = Tensor([1, 1])
    optimizer.zeroGrad()
    #expect(w.grad == nil)
  }

  @Test func clipByValueClamps() {
    let w = Tensor.zeros([3], requiresGrad: true)
    w.grad = Tensor([-5, 0.5, 7])
    clipGradientValue([w], maxValue: 1)
    #expect(w.grad?.scalars == [-1, 0.5, 1])
    w.grad = Tensor([0.3, 0.4, 0])
    #expect(clipGradientNorm([w], maxNorm: 10) == 0.5)
    #expect(w.grad?.scalars == [0.3, 0.4, 0])  // below the limit: unchanged
  }

  @Test func schedulesChangeTheLearningRate() throws {
    let w = Tensor([0], requiresGrad: true)
    let sgd = SGD([w], learningRate: 1)
    let step = StepSchedule(sgd, stepSize: 2, gamma: 0.5)
    var rates: [Float] = []
    for _ in 0..<4 {
      step.step(metric: nil)
      rates.append(sgd.learningRate)
    }
    #expect(rates == [1, 0.5, 0.5, 0.25])

    let exponential = SGD([w], learningRate: 1)
    let decay = ExponentialSchedule(exponential, gamma: 0.9)
    decay.step(metric: nil)
    decay.step(metric: nil)
    #expect(abs(exponential.learningRate - 0.81) < 1e-6)

    let cosine = SGD([w], learningRate: 1)
    let annealing = CosineSchedule(cosine, period: 4, minimum: 0.1)
    annealing.step(metric: nil)
    annealing.step(metric: nil)
    #expect(abs(cosine.learningRate - 0.55) < 1e-6)  // halfway: the mean of 1 and 0.1
    annealing.step(metric: nil)
    annealing.step(metric: nil)
    #expect(abs(cosine.learningRate - 0.1) < 1e-6)

    let plateau = SGD([w], learningRate: 1)
    let reduce = ReduceOnPlateau(plateau, factor: 0.5, patience: 1)
    for loss: Float in [3, 2, 2, 2] { try reduce.step(metric: loss) }
    #expect(plateau.learningRate == 0.5)  // two epochs without improvement > patience 1
    #expect(throws: LearningRateScheduleError.missingMetric("ReduceOnPlateau")) {
      try reduce.step(metric: nil)
    }
  }

  @Test func dataLoaderBatchSizesFollowTheDescentKind() {
    let x = Tensor((0..<10).map(Float.init), shape: [10, 1])
    let y = Tensor((0..<10).map(Float.init), shape: [10, 1])
    var loader = DataLoader(inputs: x, targets: y, descent: .miniBatch(4), seed: 1)
    #expect(loader.batchesPerEpoch == 3)
    let epoch = loader.nextEpoch()
    #expect(epoch.map { $0.inputs.shape[0] } == [4, 4, 2])
    // Inputs and targets stay paired, and every example appears once.
    #expect(epoch.allSatisfy { $0.inputs.scalars == $0.targets.scalars })
    #expect(epoch.flatMap { $0.inputs.scalars }.sorted() == x.scalars)
    // A new order each epoch, the same orders for the same seed.
    let second = loader.nextEpoch().flatMap { $0.inputs.scalars }
    #expect(second != epoch.flatMap { $0.inputs.scalars })
    var again = DataLoader(inputs: x, targets: y, descent: .miniBatch(4), seed: 1)
    #expect(again.nextEpoch().flatMap { $0.inputs.scalars } == epoch.flatMap { $0.inputs.scalars })
    #expect(DataLoader(inputs: x, targets: y, descent: .batch).batchesPerEpoch == 1)
    #expect(DataLoader(inputs: x, targets: y, descent: .stochastic).batchesPerEpoch == 10)
    #expect(DataLoader(inputs: x, targets: y, descent: .miniBatch(4), dropLast: true).batchesPerEpoch == 2)
    let ordered = DataLoader(inputs: x, targets: y, descent: .miniBatch(5), shuffle: false)
    #expect(Array(ordered).map { $0.inputs.scalars } == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]])
  }
}

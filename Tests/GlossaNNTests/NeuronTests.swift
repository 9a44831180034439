import Foundation
import GlossaNN
import GlossaTensor
import Testing

@Suite struct NeuronTests {
  @Test func aNeuronComputesTheWeightedSumThenItsActivation() {
    let x = Tensor([0.5, -1.0, 2.0])
    let neuron = Neuron(weights: [0.4, 0.3, -0.2], bias: 0.1, activation: .sigmoid)
    // z = 0.4·0.5 + 0.3·(−1) + (−0.2)·2 + 0.1 = −0.4
    #expect(abs(neuron.weightedSum(x).item - -0.4) < 1e-6)
    #expect(abs(neuron(x).item - 1 / (1 + exp(0.4))) < 1e-6)
    #expect(Neuron(weights: [0.4, 0.3, -0.2], bias: 0.1, activation: .relu)(x).item == 0)
    let batch = Tensor(rows: [[0.5, -1, 2], [1, 1, 1]])
    #expect(neuron.weightedSum(batch).shape == [2, 1])
    #expect(abs(neuron.weightedSum(batch)[1, 0] - 0.6) < 1e-6)
  }

  @Test func aNeuronIsOneOutputOfALinearLayerAndPassesGradientCheck() {
    let neuron = Neuron(inputs: 4, activation: .tanh, seed: 3)
    let layer = Linear(4, 1, seed: 3)
    #expect(neuron.weight.scalars == layer.weight.scalars)
    #expect(neuron.bias.scalars == layer.bias!.scalars)
    #expect(neuron.namedParameters().map(\.name) == ["weight", "bias"])
    var generator = SeededGenerator(seed: 4)
    let x = Tensor.uniform([3, 4], generator: &generator)
    let result = GradientCheck.check([x, neuron.weight, neuron.bias]) { inputs in
      let z = Tensor.linear(inputs[0], weight: inputs[1].reshaped([1, 4]), bias: inputs[2])
      return z.tanh().reshaped([-1])
    }
    #expect(result.maxError < 1e-2, "\(result)")
    #expect(neuron(x).scalars == layer(x).tanh().scalars)
  }

  @Test func anMLPIsASequentialOfLinearLayersWithActivationsBetween() {
    let mlp = MLP([3, 5, 4, 2], activation: .tanh, seed: 7)
    #expect(
      mlp.namedParameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
    let same = Sequential(
      Linear(3, 5, seed: 7), Activation(.tanh), Linear(5, 4, seed: 8), Activation(.tanh),
      Linear(4, 2, seed: 9))
    var generator = SeededGenerator(seed: 1)
    let x = Tensor.uniform([6, 3], generator: &generator)
    #expect(mlp(x).scalars == same(x).scalars)
    #expect(mlp(x).shape == [6, 2])
  }
}

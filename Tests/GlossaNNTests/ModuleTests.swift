import Foundation
import GlossaNN
import GlossaTensor
import Testing

@Suite struct ModuleTests {
  final class TwoLayer: Module {
    let l1: Linear
    let dropout = Dropout(0.5)
    let l2: Linear
    let buffer = Tensor.zeros([2])  // not trained: a buffer
    init(seed: UInt64 = 1) {
      l1 = Linear(3, 4, seed: seed)
      l2 = Linear(4, 2, bias: false, seed: seed + 1)
    }
    func callAsFunction(_ x: Tensor) -> Tensor { l2(dropout(l1(x).relu())) }
  }

  @Test func parametersHavePyTorchNames() {
    let model = TwoLayer()
    #expect(model.namedParameters().map(\.name) == ["l1.weight", "l1.bias", "l2.weight"])
    #expect(model.namedTensors().map(\.name) == ["l1.weight", "l1.bias", "l2.weight", "buffer"])
    #expect(model.parameters().count == 3)
    let sequential = Sequential(Linear(2, 3), Activation(.tanh), Linear(3, 1))
    #expect(sequential.namedParameters().map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
  }

  @Test func linearInitialisationIsPyTorchsAndSeeded() {
    let layer = Linear(16, 8, seed: 4)
    let bound = 1 / Float(16).squareRoot()
    #expect(layer.weight.shape == [8, 16])
    #expect(layer.weight.scalars.allSatisfy { abs($0) <= bound })
    #expect(layer.bias!.scalars.allSatisfy { abs($0) <= bound })
    #expect(Linear(16, 8, seed: 4).weight.scalars == layer.weight.scalars)
    #expect(Linear(16, 8, seed: 5).weight.scalars != layer.weight.scalars)
  }

  @Test func savedAndLoadedModelGivesIdenticalOutputs() throws {
    let model = TwoLayer()
    model.eval()
    let x = Tensor(rows: [[0.1, -0.2, 0.3], [1, 2, -3]])
    let before = model(x).scalars
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try SafeTensors(stateDict: model.stateDict()).write(to: url)
    let other = TwoLayer(seed: 7)
    other.eval()
    #expect(other(x).scalars != before)
    try other.loadStateDict(SafeTensors(contentsOf: url).floatTensors())
    #expect(other(x).scalars == before)
  }

  @Test func loadingAWrongStateDictFailsAndChangesNothing() throws {
    let model = TwoLayer()
    let original = model.l1.weight.scalars
    var state = model.stateDict().mapValues { $0.copy() * 0 }
    state["l2.weight"] = Tensor.zeros([5, 5])
    #expect(throws: StateDictError.shapeMismatch(name: "l2.weight", expected: [2, 4], actual: [5, 5])) {
      try model.loadStateDict(state)
    }
    #expect(model.l1.weight.scalars == original)
    state.removeValue(forKey: "l2.weight")
    #expect(throws: StateDictError.missing(["l2.weight"])) { try model.loadStateDict(state) }
    var extra = model.stateDict()
    extra["l3.weight"] = Tensor.zeros([1])
    #expect(throws: StateDictError.unexpected(["l3.weight"])) { try model.loadStateDict(extra) }
    try model.loadStateDict(extra, strict: false)
  }

  @Test func dropoutDropsWhileTrainingOnly() {
    let dropout = Dropout(0.25, seed: 9)
    let x = Tensor.ones([10000])
    let y = dropout(x).scalars
    let kept = y.filter { $0 != 0 }
    #expect(abs(Float(kept.count) / 10000 - 0.75) < 0.02)
    #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
    let model = TwoLayer()
    model.eval()
    #expect(!model.dropout.isTraining)
    #expect(model.dropout(x) === x)
    model.train()
    #expect(model.dropout.isTraining)
  }

  @Test func embeddingLooksUpRowsAndSkipsPaddingGradient() {
    let embedding = Embedding(count: 5, dimension: 3, paddingIndex: 0, seed: 1)
    #expect(embedding.weight.scalars.prefix(3).allSatisfy { $0 == 0 })
    let vectors = embedding([2, 0, 2], shape: [1, 3])
    #expect(vectors.shape == [1, 3, 3])
    #expect(vectors.slice(axis: 1, range: 0..<1).scalars == Array(embedding.weight.scalars[6..<9]))
    vectors.sum().backward()
    let grad = embedding.weight.grad!.scalars
    #expect(grad[0..<3].allSatisfy { $0 == 0 })  // padding row
    #expect(grad[6..<9].allSatisfy { $0 == 2 })  // id 2 used twice
    #expect(grad[3..<6].allSatisfy { $0 == 0 })
  }

  @Test func lossReductions() {
    let prediction = Tensor([1, 2, 3], requiresGrad: true)
    let target = Tensor([1, 0, 0])
    #expect(mseLoss(prediction, target).item == Float(13) / 3)
    #expect(mseLoss(prediction, target, reduction: .sum).item == 13)
    #expect(mseLoss(prediction, target, reduction: .none).scalars == [0, 4, 9])
    let logits = Tensor(rows: [[2, 1, 0], [0, 0, 5], [1, 1, 1]], requiresGrad: true)
    let none = crossEntropy(logits, targets: [0, -100, 2], reduction: .none).scalars
    #expect(none[1] == 0)
    let mean = crossEntropy(logits, targets: [0, -100, 2]).item
    #expect(abs(mean - (none[0] + none[2]) / 2) < 1e-6)
    #expect(
      abs(crossEntropy(logits, targets: [0, -100, 2], reduction: .sum).item - (none[0] + none[2])) < 1e-6)
    let bce = binaryCrossEntropyWithLogits(Tensor([0, 100, -100]), Tensor([1, 1, 0]), reduction: .none)
      .scalars
    #expect(abs(bce[0] - log(2)) < 1e-6)
    #expect(bce[1] < 1e-6 && bce[2] < 1e-6)  // stable for large logits
  }

  /// A batch large enough to be split over threads gives each row's loss and gradient bit for
  /// bit as that row alone does (which runs on the calling thread).
  @Test func crossEntropyOverThreadsEqualsRowByRow() throws {
    var g = SeededGenerator(seed: 5)
    let (rows, classes) = (64, 8192)
    #expect(rows * classes >= parallelRowElements)
    let logits = Tensor(
      Tensor.normal([rows, classes], generator: &g).scalars, shape: [rows, classes], requiresGrad: true)
    let targets = (0..<rows).map { $0 % 7 == 0 ? -100 : ($0 * 131) % classes }
    let losses = crossEntropy(logits, targets: targets, reduction: .none)
    losses.sum().backward()
    let gradient = try #require(logits.grad).scalars
    for r in 0..<rows {
      let row = Tensor(
        Array(logits.scalars[(r * classes)..<((r + 1) * classes)]), shape: [1, classes], requiresGrad: true)
      let alone = crossEntropy(row, targets: [targets[r]], reduction: .none)
      alone.sum().backward()
      #expect(alone.scalars[0] == losses.scalars[r])
      #expect(try #require(row.grad).scalars == Array(gradient[(r * classes)..<((r + 1) * classes)]))
    }
  }

  @Test func fusedLossesPassGradientCheck() {
    var g = SeededGenerator(seed: 3)
    let logits = Tensor.normal([4, 5], generator: &g)
    for reduction in Reduction.allCases {
      let ce = GradientCheck.check([logits]) {
        crossEntropy($0[0], targets: [1, -100, 4, 0], reduction: reduction)
      }
      #expect(ce.maxError < 2e-2, "cross-entropy \(reduction): \(ce)")
      let targets = Tensor.uniform([4, 5], generator: &g)
      let bce = GradientCheck.check([logits]) {
        binaryCrossEntropyWithLogits($0[0], targets, reduction: reduction)
      }
      #expect(bce.maxError < 2e-2, "bce \(reduction): \(bce)")
      let mse = GradientCheck.check([logits, targets]) { mseLoss($0[0], $0[1], reduction: reduction) }
      #expect(mse.maxError < 2e-2, "mse \(reduction): \(mse)")
    }
  }
}

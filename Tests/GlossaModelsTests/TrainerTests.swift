import Foundation
import GlossaData
import GlossaNN
import GlossaOptim
import GlossaTensor
import Testing

@testable import GlossaModels

/// The Trainer on a small task of its own: fitting y = 3x + 2.
@Suite struct TrainerTests {
  final class Line: TrainingTask {
    let network = MLP([1, 1], seed: 1)
    var model: any Module { network }
    let x = Tensor((0..<8).map { Float($0) / 8 }, shape: [8, 1])
    var y: Tensor { x * 3 + 2 }
    var metricName = "loss"

    func batches(epoch: Int, skipping: Int) throws -> BatchIterator<(Tensor, Tensor)> {
      var batches = BatchOrder(descent: .miniBatch(4), seed: 1).batches(count: 8, epoch: epoch).dropFirst(
        skipping
      )
      .makeIterator()
      return BatchIterator { [x, y] in
        batches.next().map { (x.indexSelect(axis: 0, indices: $0), y.indexSelect(axis: 0, indices: $0)) }
      }
    }

    func loss(_ batch: (Tensor, Tensor)) throws -> (loss: Tensor, examples: Int) {
      (mseLoss(network(batch.0), batch.1), batch.0.shape[0])
    }

    func validate() throws -> [String: Double] {
      [metricName: Double(withoutGradients { mseLoss(network(x), y).item })]
    }
  }

  @Test func warmUpRaisesTheRateAndTheHookSeesEveryStep() throws {
    let task = Line()
    var settings = TrainerSettings()
    (settings.epochs, settings.warmupSteps, settings.logEvery, settings.showsProgress) = (3, 4, 1, false)
    let trainer = Trainer(
      task: task, optimizer: SGD(task.network.parameters(), learningRate: 0.4), settings: settings)
    // In a folder not made yet: the first line (after one update) makes it.
    let folder = ModelFixtures.temporary("log-every")
    let metrics = folder.appendingPathComponent("metrics.jsonl")
    defer { try? FileManager.default.removeItem(at: folder) }
    trainer.metricsFile = metrics
    var hooked: [[String]] = []
    trainer.gradientHook = { parameters in
      hooked.append(parameters.map(\.name))
      #expect(parameters.allSatisfy { $0.tensor.grad != nil })
    }
    let result = try trainer.train()
    #expect(hooked.count == 6 && hooked[0] == ["0.weight", "0.bias"])
    let lines = try String(contentsOf: metrics, encoding: .utf8).split(separator: "\n").map {
      try JSONDecoder().decode(MetricsLine.self, from: Data($0.utf8))
    }
    // A line per update and one per epoch; the rate rises over the first four updates.
    #expect(lines.count == 9)
    let stepRates = lines.filter { $0.validation == nil }.map(\.learningRate)
    #expect(
      zip(stepRates, [0.1, 0.2, 0.3, 0.4, 0.4, 0.4]).allSatisfy { abs($0 - $1) < 1e-6 }, "\(stepRates)")
    // A step line's rate counts the epoch's seconds so far (not only finished epochs').
    let speeds = lines.map(\.examplesPerSecond)
    #expect(speeds.allSatisfy { $0.isFinite && $0 > 0 && $0 < 1e9 }, "\(speeds)")
    #expect(lines.allSatisfy { $0.communicationShare == nil })
    #expect(
      result.epochs.count == 3
        && result.epochs.last!.validation!["loss"]! < result.epochs[0].validation!["loss"]!)
  }

  @Test func aMonitoredMetricTheTaskDoesNotGiveIsNamed() throws {
    let task = Line()
    task.metricName = "mse"
    var settings = TrainerSettings()
    (settings.epochs, settings.showsProgress) = (1, false)
    let trainer = Trainer(
      task: task, optimizer: SGD(task.network.parameters(), learningRate: 0.1), settings: settings)
    #expect(throws: TrainerError.missingMetric("loss", available: ["mse"])) { try trainer.train() }
  }

  @Test func theLossPlotHasBothCurves() throws {
    let task = Line()
    var settings = TrainerSettings()
    (settings.epochs, settings.showsProgress) = (2, false)
    let trainer = Trainer(
      task: task, optimizer: SGD(task.network.parameters(), learningRate: 0.1), settings: settings)
    try trainer.train()
    let plot = trainer.lossPlot
    #expect(
      plot.series.map(\.name) == ["training", "validation"] && plot.series.allSatisfy { $0.points.count == 2 }
    )
    #expect(plot.svg.contains("<polyline"))
  }
}

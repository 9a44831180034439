import Foundation
import GlossaData
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaViz

/// What the ``Trainer`` needs from a task (a text classifier, a language model, a tagger):
/// its model, the batches of an epoch, the loss of a batch and a validation pass. The Trainer
/// owns everything else once: the loop, the optimizer step, clipping, schedules, early
/// stopping, metrics, progress, checkpoints.
public protocol TrainingTask: AnyObject {
  /// One update's examples.
  associatedtype Batch
  /// The model being trained.
  var model: any Module { get }
  /// The batches of epoch `epoch` (from 1), in an order that depends on the seed and the epoch
  /// alone, without the first `skipping` (to resume within an epoch).
  func batches(epoch: Int, skipping: Int) throws -> BatchIterator<Batch>
  /// The mean loss of a batch in training mode, and how many examples (or tokens) it counts.
  func loss(_ batch: Batch) throws -> (loss: Tensor, examples: Int)
  /// A pass over the validation data in evaluation mode: its metrics, `loss` among them.
  func validate() throws -> [String: Double]
  /// How many batches an epoch has, when the task knows before reading them (for the
  /// progress bar's estimate of the time left; otherwise the trainer counts the first epoch's).
  var batchesPerEpoch: Int? { get }
  /// Tensors the task carries from batch to batch (a language model's recurrent state), to
  /// checkpoint; setting them restores them.
  var carriedState: [String: Tensor] { get set }
  /// For data parallelism within a batch: a copy of the task whose model shares this model's
  /// tensors (`Module.shareTensors(of:)`) with gradients, dropout and buffers of its own, to
  /// run on another thread; nil where the task trains on one thread.
  func replica() throws -> Self?
  /// The batch cut into at most `parts` non-empty parts, each with its share of the batch's
  /// loss (the shares sum to 1: the batch's loss is Σ share · a part's loss).
  func split(_ batch: Batch, into parts: Int) -> [(batch: Batch, share: Float)]
  /// For data parallelism across processes, in tasks that read only their own shard of the
  /// data (a language model's stream columns): makes ``batches(epoch:skipping:)`` give this
  /// process's part of each batch of the group, and returns that part's share of the batch's
  /// loss. nil (the default): every process reads the whole batch and the trainer gives each
  /// its part with ``split(_:into:)``.
  func shard(for group: any ProcessGroup) throws -> Float?
}

/// The batches of an epoch, read one at a time (a stream may fail while it reads).
public struct BatchIterator<Batch> {
  private let advance: () throws -> Batch?

  /// An iterator that calls `next` for each batch until it gives nil.
  public init(_ next: @escaping () throws -> Batch?) { advance = next }

  /// The next batch, or nil at the end of the epoch.
  public func next() throws -> Batch? { try advance() }
}

extension TrainingTask {
  public var carriedState: [String: Tensor] {
    get { [:] }
    set {}
  }

  public var batchesPerEpoch: Int? { nil }

  public func replica() throws -> Self? { nil }

  public func split(_ batch: Batch, into parts: Int) -> [(batch: Batch, share: Float)] { [(batch, 1)] }

  public func shard(for group: any ProcessGroup) throws -> Float? { nil }
}

/// How the ``Trainer`` trains.
public struct TrainerSettings: Sendable {
  /// Passes over the training data.
  public var epochs = 10
  /// The seed of the dropout masks (each step's drawn from it and the step).
  public var seed: UInt64 = 0
  /// The gradients' global norm is clipped to this (nil: no clipping).
  public var clipNorm: Float? = nil
  /// The learning rate rises linearly from 0 over this many updates.
  public var warmupSteps = 0
  /// Stop after this many epochs without improvement of ``monitor`` (nil: never).
  public var patience: Int? = nil
  /// The validation metric that decides the best epoch and early stopping.
  public var monitor = "loss"
  /// Whether a larger ``monitor`` is better (accuracy) or a smaller one (loss, perplexity).
  public var monitorMaximizes = false
  /// Also write a metrics line every this many updates (nil: once per epoch).
  public var logEvery: Int? = nil
  /// Whether progress and each epoch's figures are shown on standard error.
  public var showsProgress = true
  /// Into how many parts each batch is cut, each part's forward and backward pass on a thread
  /// of its own (data parallelism, for tasks that offer replicas); nil: as many as BLAS may use
  /// threads. The result depends on it (each part draws its own dropout masks, and the parts'
  /// gradients are summed), not on how many threads then run the parts.
  public var parallelParts: Int? = nil
  /// Processes that train together (data parallelism across processes or machines, e.g. over
  /// MPI): each computes its part of every batch, the gradients are summed across them before
  /// each step, and process 0 alone writes metrics, checkpoints and progress. nil: one process.
  public var processGroup: (any ProcessGroup)? = nil

  public init() {}
}

/// One line of the metrics log (JSON Lines): an epoch's, or every N updates'.
public struct MetricsLine: Sendable, Codable, Equatable {
  /// The epoch (from 1).
  public var epoch: Int
  /// Updates so far.
  public var step: Int
  /// The mean training loss since the epoch began.
  public var trainLoss: Double
  /// The validation metrics (epoch lines only).
  public var validation: [String: Double]?
  /// The learning rate.
  public var learningRate: Double
  /// Training examples (or tokens) per second of training passes, over the run so far.
  public var examplesPerSecond: Double
  /// Seconds since training began.
  public var elapsed: Double
  /// In a process group: the share of this run's training seconds process 0 spent summing
  /// gradients across the group (the all-reduce, and waiting there for slower processes).
  public var communicationShare: Double?

  enum CodingKeys: String, CodingKey {
    case epoch, step, validation, elapsed
    case trainLoss = "train_loss"
    case learningRate = "lr"
    case examplesPerSecond = "examples_per_s"
    case communicationShare = "communication_share"
  }
}

/// What a training run did.
public struct TrainingResult: Sendable {
  /// One line per epoch trained (a resumed run's earlier epochs included).
  public var epochs: [MetricsLine]
  /// The epoch whose model was best on ``TrainerSettings/monitor``.
  public var bestEpoch: Int
  /// Its value.
  public var bestValue: Double
  /// Whether training stopped early for want of improvement.
  public var stoppedEarly: Bool
}

/// Trains any ``TrainingTask``: epochs of forward propagation, loss, backpropagation and
/// optimizer steps, a validation pass after each, early stopping on a named metric, the best
/// model kept, learning-rate schedules and warm-up, gradient clipping, metrics as JSON Lines,
/// a progress bar, and checkpoints from which a resumed run gives bit for bit the parameters of
/// an uninterrupted one (one thread: each step's dropout masks come from the seed and the
/// step, each epoch's order from the seed and the epoch).
public final class Trainer<Task: TrainingTask> {
  /// The task.
  public let task: Task
  /// The optimizer over the task's model's parameters.
  public let optimizer: any Optimizer
  /// An epoch-wise schedule, if any.
  public let schedule: (any LearningRateSchedule)?
  /// The settings.
  public let settings: TrainerSettings
  /// Called with the named parameters after each backward pass (in a process group, once their
  /// gradients are summed across it) and before clipping.
  public var gradientHook: ((_ parameters: [(name: String, tensor: Tensor)]) throws -> Void)?
  /// Called after every epoch with its metrics line (the model in evaluation mode), e.g. to
  /// save the best model.
  public var afterEpoch: ((_ line: MetricsLine, _ isBest: Bool) throws -> Void)?
  /// Where the metrics lines go (nil: nowhere).
  public var metricsFile: URL?
  /// Where checkpoints go (nil: none are written).
  public var checkpointDirectory: URL?
  /// A description of the configuration, stored in checkpoints: resuming from a checkpoint of
  /// another configuration is refused.
  public var configuration: [String: String] = [:]
  /// What a progress line calls an example ("examples", "tokens").
  public var unit = "examples"

  private var state = Checkpoint.TrainerState()
  /// The task's replicas, one per further part of a batch, each with its tensors paired with the
  /// model's (empty: one thread, or a task without them).
  private var replicas: [(task: Task, tensors: [(own: Tensor, original: Tensor)])] = []
  /// The batches of the last whole epoch, for the time-left estimate.
  private var countedBatches: Int?
  private var history: [MetricsLine] = []
  private let start = Date()
  /// When the epoch under way began (nil between epochs).
  private var epochStart: Date?
  /// Seconds spent summing gradients across a process group in this run.
  private var communicationSeconds = 0.0
  /// Training seconds before this run resumed.
  private var resumedSeconds = 0.0
  /// In a process group: the gradients' sum across it, and this process's share of each
  /// batch's loss when the task reads its own shard (nil: the trainer splits each batch).
  private var dataParallel: (sum: GradientSum, group: any ProcessGroup, shard: Float?)?
  /// Whether this process writes files and progress (process 0 of a group, or the only one).
  private var isRoot: Bool { settings.processGroup?.isRoot ?? true }

  /// A trainer of `task` with `optimizer` (over the model's parameters, in their order).
  public init(
    task: Task, optimizer: any Optimizer, schedule: (any LearningRateSchedule)? = nil,
    settings: TrainerSettings = TrainerSettings()
  ) {
    (self.task, self.optimizer, self.schedule, self.settings) = (task, optimizer, schedule, settings)
    state.baseLearningRate = Double(optimizer.learningRate)
  }

  /// Makes a replica of the task for each part of a batch beyond the first
  /// (``TrainerSettings/parallelParts``), when the task offers them: each batch is then split
  /// between the threads (data parallelism), its parts' gradients summed by their shares.
  private func prepareReplicas() throws {
    let parts = settings.parallelParts ?? BLAS.threads
    guard replicas.isEmpty, parts > 1 else { return }
    let original = Dictionary(task.model.namedTensors().map { ($0.name, $0.tensor) }) { first, _ in first }
    for _ in 1..<parts {
      guard let copy = try task.replica() else { return }
      let tensors = copy.model.namedParameters().map { (own: $0.tensor, original: original[$0.name]!) }
      replicas.append((copy, tensors))
    }
  }

  /// Continues from the checkpoint in `directory` (written by a trainer of the same
  /// configuration): model, optimizer, schedule, the task's carried state and the position.
  public func resume(from directory: URL) throws {
    let checkpoint = try Checkpoint(contentsOf: directory)
    try checkpoint.check(configuration: configuration)
    try checkpoint.restore(model: task.model, optimizer: optimizer)
    state = checkpoint.trainer
    resumedSeconds = state.trainingSeconds
    history = checkpoint.history
    schedule?.state = checkpoint.trainer.schedule
    task.carriedState = checkpoint.carried
  }

  /// Trains until the last epoch or early stopping.
  @discardableResult
  public func train() throws -> TrainingResult {
    let named = task.model.namedParameters()
    try joinGroup()
    while state.epoch < settings.epochs && !state.stoppedEarly {
      let epoch = state.epoch + 1
      try trainEpoch(epoch, named)
      task.model.eval()
      let validation = try task.validate()
      task.model.train()
      guard let monitored = validation[settings.monitor] else {
        throw TrainerError.missingMetric(settings.monitor, available: validation.keys.sorted())
      }
      let line = metricsLine(epoch, validation: validation)
      history.append(line)
      // The schedule moves the rate warm-up scales, not the scaled one.
      optimizer.learningRate = Float(state.baseLearningRate)
      try schedule?.step(metric: Float(validation["loss"] ?? monitored))
      state.baseLearningRate = Double(optimizer.learningRate)
      let better = state.best.map { settings.monitorMaximizes ? monitored > $0 : monitored < $0 } ?? true
      if better {
        (state.best, state.bestEpoch, state.badEpochs) = (monitored, epoch, 0)
      } else {
        state.badEpochs += 1
        if let patience = settings.patience, state.badEpochs >= patience { state.stoppedEarly = true }
      }
      (state.epoch, state.batch, state.lossSum, state.lossCount) = (epoch, 0, 0, 0)
      task.model.eval()
      try afterEpoch?(line, better)
      task.model.train()
      if let dataParallel {
        try dataParallel.sum.requireSameParameters(in: dataParallel.group)
      }
      try log(line)
      try writeCheckpoint()
    }
    return TrainingResult(
      epochs: history, bestEpoch: state.bestEpoch, bestValue: state.best ?? .nan,
      stoppedEarly: state.stoppedEarly)
  }

  /// In a process group: checks that every process was given the same configuration, has the
  /// task read its shard (or not), and starts every replica from process 0's parameters.
  private func joinGroup() throws {
    guard dataParallel == nil, let group = settings.processGroup, group.size > 1 else { return }
    try group.requireSame(configuration, "the training options")
    let shard = try group.agree { try task.shard(for: group) }
    let sum = GradientSum(optimizer.parameters, rowSparse: GradientSum.embeddingTables(of: task.model))
    try sum.broadcastParameters(from: group)
    dataParallel = (sum, group, shard)
  }

  private func trainEpoch(_ epoch: Int, _ named: [(name: String, tensor: Tensor)]) throws {
    try prepareReplicas()
    task.model.train()
    for replica in replicas { replica.task.model.train() }
    let batches = try task.batches(epoch: epoch, skipping: state.batch)
    let expected = task.batchesPerEpoch ?? countedBatches
    let bar =
      settings.showsProgress && isRoot
      ? ProgressBar(label: "epoch \(epoch)/\(settings.epochs)", total: expected ?? 0) : nil
    epochStart = Date()
    let firstBatch = state.batch
    var examples = 0
    while let batch = try batches.next() {
      optimizer.zeroGrad()
      let seed = settings.seed &+ UInt64(state.step) &* 0x2545_F491_4F6C_DD1D
      var (value, count) = try ownPart(of: batch).map { try lossAndGradients($0, seed: seed) } ?? (0, 0)
      if let dataParallel {
        let summing = Date()
        (value, count) = try dataParallel.sum.sum(over: dataParallel.group, loss: value, count: count)
        communicationSeconds += Date().timeIntervalSince(summing)
      }
      guard value.isFinite else {
        throw TrainingError.nonFiniteLoss(epoch: epoch, update: state.step + 1, loss: value)
      }
      try gradientHook?(named)
      if let clipNorm = settings.clipNorm { clipGradientNorm(optimizer.parameters, maxNorm: clipNorm) }
      if settings.warmupSteps > 0 {
        optimizer.learningRate =
          Float(state.baseLearningRate) * Float(min(1, Double(state.step + 1) / Double(settings.warmupSteps)))
      }
      optimizer.step()
      state.step += 1
      state.batch += 1
      state.lossSum += Double(value) * Double(count)
      state.lossCount += count
      state.examplesSeen += count
      examples += count
      let seconds = Date().timeIntervalSince(epochStart!)
      let rate = Double(examples) / max(seconds, 1e-9)
      var eta = ""
      if let expected, expected > state.batch {
        eta = String(
          format: "  ETA %.0fs", seconds / Double(state.batch - firstBatch) * Double(expected - state.batch))
      }
      bar?.update(
        state.batch,
        detail: String(
          format: "batch %d%@  loss %.4f  %.0f %@/s%@", state.batch, expected.map { "/\($0)" } ?? "",
          state.lossSum / Double(max(state.lossCount, 1)), rate, unit, eta))
      if let every = settings.logEvery, state.step % every == 0 {
        try log(metricsLine(epoch, validation: nil))
      }
    }
    bar?.finish()
    state.trainingSeconds += Date().timeIntervalSince(epochStart!)
    epochStart = nil
    if firstBatch == 0 { countedBatches = state.batch }
  }

  /// This process's part of a batch, with its share of the batch's loss, and the index of its
  /// first part among the group's (from which its random draws are seeded): the whole batch in
  /// one process, or in a task that reads its own shard; otherwise the process's run of the
  /// batch's examples (nil when the batch has fewer examples than the group has processes).
  private func ownPart(of batch: Task.Batch) -> (batch: Task.Batch, share: Float, part: Int)? {
    guard let dataParallel else { return (batch, 1, 0) }
    let (rank, size) = (dataParallel.group.rank, dataParallel.group.size)
    let parts = max(1, replicas.count + 1)
    if let share = dataParallel.shard { return (batch, share, rank * parts) }
    let split = task.split(batch, into: size)
    return rank < split.count ? (split[rank].batch, split[rank].share, rank * parts) : nil
  }

  /// The loss of this process's part of a batch (forward propagation), times its share, and its
  /// gradients in the model's parameters (backpropagation): on one thread, or cut again into
  /// parts, one per replica, side by side. Each part's random draws come from the seed, the
  /// step and the part's index in the group alone.
  private func lossAndGradients(
    _ own: (batch: Task.Batch, share: Float, part: Int), seed: UInt64
  ) throws -> (Float, Int) {
    func seeded(_ part: Int) -> UInt64 { seed &+ UInt64(part) &* 0xD1B5_4A32_D192_ED03 }
    let parts = replicas.isEmpty ? [] : task.split(own.batch, into: replicas.count + 1)
    guard parts.count > 1 else {
      task.model.reseed(seeded(own.part))
      let (loss, count) = try task.loss(own.batch)
      let scaled = own.share == 1 ? loss : loss * own.share
      scaled.backward()
      return (scaled.item, count)
    }
    let results = concurrentMap(parts.count) { k -> Result<(Float, Int), any Error> in
      let worker = k == 0 ? task : replicas[k - 1].task
      if k > 0 { worker.model.zeroGrad() }
      worker.model.reseed(seeded(own.part + k))
      return Result {
        let (loss, count) = try worker.loss(parts[k].batch)
        let scaled = loss * (parts[k].share * own.share)
        scaled.backward()
        return (scaled.item, count)
      }
    }
    var (value, count): (Float, Int) = (0, 0)
    for result in results {
      let (part, examples) = try result.get()
      (value, count) = (value + part, count + examples)
    }
    // The replicas' gradients join the model's, part by part in order.
    for replica in replicas.prefix(parts.count - 1) {
      for (own, original) in replica.tensors {
        guard let gradient = own.grad else { continue }
        if let sum = original.grad {
          BLAS.axpy(count: sum.count, alpha: 1, x: gradient.baseAddress, y: sum.baseAddress)
        } else {
          original.grad = gradient.copy()
        }
      }
    }
    return (value, count)
  }

  private func metricsLine(_ epoch: Int, validation: [String: Double]?) -> MetricsLine {
    let elapsed = Date().timeIntervalSince(start)
    // Within an epoch (a line every N updates) its seconds so far count too.
    let training = state.trainingSeconds + (epochStart.map { Date().timeIntervalSince($0) } ?? 0)
    return MetricsLine(
      epoch: epoch, step: state.step, trainLoss: state.lossSum / Double(max(state.lossCount, 1)),
      validation: validation, learningRate: Double(optimizer.learningRate),
      examplesPerSecond: Double(state.examplesSeen) / max(training, 1e-9), elapsed: elapsed,
      communicationShare: dataParallel.map { _ in communicationSeconds / max(training - resumedSeconds, 1e-9)
      })
  }

  /// Appends a line to the metrics file.
  private func log(_ line: MetricsLine) throws {
    guard isRoot else { return }
    if settings.showsProgress, let validation = line.validation {
      let shown = validation.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }
      FileHandle.standardError.write(
        Data(
          String(format: "epoch %d: train loss %.4f, valid ", line.epoch, line.trainLoss)
            .appending(shown.joined(separator: ", ") + "\n").utf8))
    }
    guard let metricsFile else { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var data = try encoder.encode(line)
    data.append(0x0A)
    if !FileManager.default.fileExists(atPath: metricsFile.path) {
      // The first line may come before the model directory is made (with logEvery).
      try FileManager.default.createDirectory(
        at: metricsFile.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data().write(to: metricsFile)
    }
    let handle = try FileHandle(forWritingTo: metricsFile)
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: data)
  }

  private func writeCheckpoint() throws {
    guard let checkpointDirectory, isRoot else { return }
    state.schedule = schedule?.state ?? [:]
    // A process that reads its own shard carries only its shard's state: none is kept.
    let carried = dataParallel?.shard == nil ? task.carriedState : [:]
    try Checkpoint(
      model: task.model, optimizer: optimizer, trainer: state, history: history, carried: carried,
      configuration: configuration
    ).write(to: checkpointDirectory)
  }

  /// The loss curves so far: training and validation loss by epoch.
  public var lossPlot: LinePlot { MetricsLine.lossPlot(history) }
}

extension MetricsLine {
  /// The training and validation loss of `epochs`, by epoch.
  static func lossPlot(_ epochs: [MetricsLine]) -> LinePlot {
    var plot = LinePlot(title: "loss by epoch", xLabel: "epoch", yLabel: "loss")
    plot.add(LinePlot.Series("training", epochs.map { (Double($0.epoch), $0.trainLoss) }))
    plot.add(
      LinePlot.Series(
        "validation", epochs.compactMap { line in line.validation?["loss"].map { (Double(line.epoch), $0) } })
    )
    return plot
  }
}

extension TrainingResult {
  /// The training and validation loss by epoch.
  public var lossPlot: LinePlot { MetricsLine.lossPlot(epochs) }
}

/// Why the trainer stopped.
public enum TrainerError: Error, CustomStringConvertible, Equatable {
  /// The monitored metric is not among the validation pass's.
  case missingMetric(String, available: [String])

  public var description: String {
    switch self {
    case .missingMetric(let name, let available):
      "the monitored metric '\(name)' is not among the validation metrics (\(available.joined(separator: ", ")))"
    }
  }
}

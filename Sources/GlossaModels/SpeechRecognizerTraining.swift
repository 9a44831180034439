import Foundation
import GlossaAudio
import GlossaData
import GlossaNN
import GlossaOptim
import GlossaTensor

/// How a ``SpeechRecognizer`` is trained on transcribed clips: the CTC loss, Adam, clipping,
/// the epoch kept by the validation clips' character error rate (greedy decoding).
public struct SpeechRecognizerTraining {
  /// The architecture and features.
  public var architecture = SpeechRecognizerConfiguration()
  /// Clips per update.
  public var batchSize = 16
  /// The optimizer and its learning rate.
  public var optimizer = OptimizerKind.adam
  public var learningRate: Float = 1e-3
  /// The seed of the initialisation, the batch orders and the dropout masks.
  public var seed: UInt64 = 0
  /// Whether clips of several channels are mixed down (otherwise they are an error).
  public var mixDown = false
  /// The epochs, clipping, early stopping and logging; the monitored metric is validation CER.
  public var trainer: TrainerSettings

  /// Settings with the defaults.
  public init() {
    trainer = TrainerSettings()
    trainer.clipNorm = 5
    (trainer.monitor, trainer.monitorMaximizes) = ("cer", false)
  }

  /// Trains on `train`, choosing the epoch by `validation` (see
  /// ``TextClassifierTraining/train(_:validation:output:metricsFile:resume:)`` for `output`,
  /// `metricsFile` and `resume`); returns the best model and its error rates on `validation`.
  /// Every clip is read and its transcript checked before the first epoch.
  public func train(
    _ train: [TranscribedClip], validation: [TranscribedClip], output: URL? = nil, metricsFile: URL? = nil,
    resume: Bool = false
  ) throws -> (SpeechRecognizer, evaluation: SpeechEvaluation, result: TrainingResult) {
    guard !train.isEmpty else { throw TrainingDataError.empty("the training clips") }
    guard !validation.isEmpty else { throw TrainingDataError.empty("the validation clips") }
    let model = try SpeechRecognizer(configuration: architecture, seed: seed)
    let examples = try model.examples(train, mixDown: mixDown)
    let held = try model.examples(validation, mixDown: mixDown)
    let task = SpeechTask(
      model: model, examples: examples, validation: held, batchSize: batchSize, seed: seed)
    let result = try runTraining(
      task, model: model, optimizer: optimizer.make(model.parameters(), learningRate: learningRate),
      settings: trainer,
      configuration: try runConfiguration(
        task: SpeechRecognizer.task, architecture: model.configuration,
        ["batch_size": String(batchSize), "optimizer": optimizer.rawValue, "seed": String(seed)]),
      unit: "clips", output: output, metricsFile: metricsFile, resume: resume)
    return (model, model.evaluate(held), result)
  }
}

/// A speech recogniser's error rates on held-out clips.
public struct SpeechEvaluation: Sendable, Codable {
  /// Character and word error rates (greedy decoding).
  public var cer: ErrorRate
  public var wer: ErrorRate
  /// The clips.
  public var clips: Int
}

/// A clip read for training: its features, transcript and symbol ids.
struct SpeechExample {
  let features: [[Float]]
  let transcript: String
  let ids: [Int]
}

extension SpeechRecognizer {
  /// The clips read (WAV, features) and their transcripts checked against the alphabet and the
  /// clip's steps, on all cores; errors name the file.
  func examples(_ clips: [TranscribedClip], mixDown: Bool = false) throws -> [SpeechExample] {
    let results = concurrentMap(clips.count) { k -> Result<SpeechExample, any Error> in
      Result {
        let clip = clips[k]
        let features = try self.features(try WAV.read(clip.audio), mixDown: mixDown, file: clip.audio.path)
        let ids = try self.symbolIDs(
          clip.transcript, steps: self.steps(frames: features.count), file: clip.audio.path)
        return SpeechExample(features: features, transcript: clip.transcript, ids: ids)
      }
    }
    return try results.map { try $0.get() }
  }

  /// Character and word error rates of the model's transcripts of `examples` (greedy, or prefix
  /// beam search with a `beam` above 1).
  func evaluate(_ examples: [SpeechExample], beam: Int = 1, fusion: ShallowFusion? = nil) -> SpeechEvaluation
  {
    var hypotheses: [String] = []
    for start in stride(from: 0, to: examples.count, by: 32) {
      hypotheses += transcribe(
        features: examples[start..<min(start + 32, examples.count)].map(\.features), beam: beam,
        fusion: fusion
      )
      .map(\.text)
    }
    let references = examples.map(\.transcript)
    return SpeechEvaluation(
      cer: ErrorRate(hypotheses: hypotheses, references: references, unit: .character),
      wer: ErrorRate(hypotheses: hypotheses, references: references, unit: .word), clips: examples.count)
  }

  /// Character and word error rates on transcribed clips (mixed down to one channel when
  /// `mixDown`; greedy decoding, or prefix beam search with a `beam` above 1).
  public func evaluate(
    _ clips: [TranscribedClip], mixDown: Bool = false, beam: Int = 1, fusion: ShallowFusion? = nil
  ) throws -> SpeechEvaluation {
    evaluate(try examples(clips, mixDown: mixDown), beam: beam, fusion: fusion)
  }
}

/// A speech recogniser's training, as the ``Trainer`` runs it.
final class SpeechTask: TrainingTask {
  typealias Batch = [Int]

  let recognizer: SpeechRecognizer
  var model: any Module { recognizer }
  private let examples: [SpeechExample]
  private let validation: [SpeechExample]
  private let order: BatchOrder

  init(
    model: SpeechRecognizer, examples: [SpeechExample], validation: [SpeechExample], batchSize: Int,
    seed: UInt64
  ) {
    (recognizer, self.examples, self.validation) = (model, examples, validation)
    // Clips of similar length share a batch (less padding), in an order drawn from the seed.
    order = BatchOrder(descent: .miniBatch(batchSize), seed: seed, bucketWindow: 20)
  }

  var batchesPerEpoch: Int? {
    let size = max(1, order.descent.batchSize(for: examples.count))
    return (examples.count + size - 1) / size
  }

  func batches(epoch: Int, skipping: Int) throws -> BatchIterator<Batch> {
    var iterator = order.batches(count: examples.count, epoch: epoch, lengths: examples.map(\.features.count))
      .dropFirst(skipping).makeIterator()
    return BatchIterator { iterator.next() }
  }

  func loss(_ batch: Batch) throws -> (loss: Tensor, examples: Int) {
    (
      recognizer.loss(batch.map { examples[$0].features }, targets: batch.map { examples[$0].ids }),
      batch.count
    )
  }

  func replica() throws -> SpeechTask? {
    let copy = try SpeechRecognizer(configuration: recognizer.configuration)
    copy.shareTensors(of: recognizer)
    return SpeechTask(
      model: copy, examples: examples, validation: validation, batchSize: order.descent.batchSize(for: 1),
      seed: 0)
  }

  /// Consecutive runs of the batch's clips, each loss's share its clips over the batch's (the
  /// mean is over clips).
  func split(_ batch: Batch, into parts: Int) -> [(batch: Batch, share: Float)] {
    consecutiveRuns(batch.count, parts).map { (Array(batch[$0]), Float($0.count) / Float(batch.count)) }
  }

  func validate() throws -> [String: Double] {
    let evaluation = recognizer.evaluate(validation)
    var total = 0.0
    withoutGradients {
      for start in stride(from: 0, to: validation.count, by: 32) {
        let chunk = validation[start..<min(start + 32, validation.count)]
        let loss = recognizer.loss(chunk.map(\.features), targets: chunk.map(\.ids))
        total += Double(loss.item) * Double(chunk.count)
      }
    }
    return [
      "loss": total / Double(validation.count), "cer": evaluation.cer.rate, "wer": evaluation.wer.rate,
    ]
  }
}

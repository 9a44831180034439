import GlossaData
import GlossaOptim
import GlossaTensor

/// Why training stopped early.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  /// The loss became NaN or infinite: the learning rate is probably too large and
  /// gradient descent diverged.
  case nonFiniteLoss(epoch: Int, update: Int, loss: Float)

  public var description: String {
    switch self {
    case .nonFiniteLoss(let epoch, let update, let loss):
      "training diverged: the loss became \(loss) at epoch \(epoch), update \(update) "
        + "(NaN/Inf detected; try a smaller learning rate or gradient clipping)"
    }
  }
}

/// What a training run did: the mean loss of each epoch and the number of updates.
public struct TrainingHistory: Sendable {
  /// The mean training loss of each epoch.
  public var epochLosses: [Float] = []
  /// The total number of parameter updates.
  public var updates = 0
}

/// The gradient-descent loop of the lecture: for each batch, forward propagation,
/// the loss, backpropagation, and a parameter update. Stops with
/// ``TrainingError/nonFiniteLoss(epoch:update:loss:)`` as soon as the loss is NaN or
/// infinite.
@discardableResult
public func train(
  epochs: Int, loader: DataLoader, optimizer: any Optimizer,
  loss: (_ inputs: Tensor, _ targets: Tensor) -> Tensor,
  afterEpoch: ((_ epoch: Int, _ meanLoss: Float) throws -> Void)? = nil
) throws -> TrainingHistory {
  var loader = loader
  var history = TrainingHistory()
  for epoch in 1...max(epochs, 1) where epochs > 0 {
    var total: Float = 0
    let batches = loader.nextEpoch()
    for batch in batches {
      optimizer.zeroGrad()
      let value = loss(batch.inputs, batch.targets)
      history.updates += 1
      guard value.item.isFinite else {
        throw TrainingError.nonFiniteLoss(epoch: epoch, update: history.updates, loss: value.item)
      }
      value.backward()
      optimizer.step()
      total += value.item
    }
    let mean = total / Float(batches.count)
    history.epochLosses.append(mean)
    try afterEpoch?(epoch, mean)
  }
  return history
}

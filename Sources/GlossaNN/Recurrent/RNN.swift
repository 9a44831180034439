import GlossaTensor

/// The lecture's vanilla (Elman) recurrent unit:
///
///     h_t = f(W_x x_t + W_h h_{t−1} + b),   f = tanh (or ReLU)
///
/// One gate block: W_ih is `[hidden, input]`, W_hh `[hidden, hidden]` (PyTorch's layout),
/// and b is b_ih + b_hh.
public struct RNNUnit: RecurrentUnit {
  /// The non-linearity f, as PyTorch's `nonlinearity` argument names it.
  public enum Nonlinearity: String, Sendable, Codable, CaseIterable {
    /// f = tanh.
    case tanh
    /// f(z) = max(0, z).
    case relu
  }

  /// f.
  public let nonlinearity: Nonlinearity

  /// The unit with non-linearity f.
  public init(nonlinearity: Nonlinearity = .tanh) { self.nonlinearity = nonlinearity }

  public var kind: RecurrentKind { nonlinearity == .tanh ? .rnnTanh : .rnnReLU }
  public var gateCount: Int { 1 }

  public func referenceStep(
    inputProjection: Tensor, recurrentProjection: Tensor, state: RecurrentState
  ) -> RecurrentState {
    let z = inputProjection + recurrentProjection  // W_x x_t + W_h h_{t−1} + b
    return RecurrentState(hidden: nonlinearity == .tanh ? z.tanh() : z.relu())
  }

  public func forward(_ step: FusedStep) {
    let (z, h, H) = (step.gates, step.hidden, step.hiddenSize)
    if nonlinearity == .tanh {
      VectorMath.tanh(z, count: H)
    } else {
      for j in 0..<H { z[j] = max(z[j], 0) }
    }
    h.update(from: z, count: H)
  }

  public func backward(_ step: FusedStepGradient) {
    let (h, dh, dz, H) = (step.gates, step.hidden, step.inputGates, step.hiddenSize)
    // ∂z = ∂h_t ⊙ f′(z), with tanh′ = 1 − h_t² and ReLU′ = [h_t > 0].
    if nonlinearity == .tanh {
      for j in 0..<H { dz[j] = (dh[j] + step.output[j]) * (1 - h[j] * h[j]) }
    } else {
      for j in 0..<H { dz[j] = h[j] > 0 ? dh[j] + step.output[j] : 0 }
    }
    dh.update(repeating: 0, count: H)
  }
}

/// A vanilla RNN network: stacked layers of ``RNNUnit``, optionally bidirectional, as
/// `torch.nn.RNN`.
public final class RNN: RecurrentNetwork {
  /// A vanilla RNN with tanh (default) or ReLU.
  public init(
    inputSize: Int, hiddenSize: Int, layers: Int = 1, nonlinearity: RNNUnit.Nonlinearity = .tanh,
    bidirectional: Bool = false, batchFirst: Bool = false, dropout: Float = 0,
    merge: DirectionMerge = .concatenate, seed: UInt64 = 0
  ) {
    super.init(
      unit: RNNUnit(nonlinearity: nonlinearity), inputSize: inputSize, hiddenSize: hiddenSize,
      layers: layers, bidirectional: bidirectional, batchFirst: batchFirst, dropout: dropout, merge: merge,
      seed: seed)
  }
}

import GlossaTensor

/// The name of one of the lecture's recurrent units, as PyTorch's fixtures and Glossa's model
/// configurations spell it.
public enum RecurrentKind: String, Sendable, Codable, CaseIterable {
  /// A vanilla RNN with tanh.
  case rnnTanh = "rnn_tanh"
  /// A vanilla RNN with ReLU.
  case rnnReLU = "rnn_relu"
  /// Long short-term memory.
  case lstm
  /// Gated recurrent unit.
  case gru

  /// The unit this names.
  public var unit: any RecurrentUnit {
    switch self {
    case .rnnTanh: RNNUnit(nonlinearity: .tanh)
    case .rnnReLU: RNNUnit(nonlinearity: .relu)
    case .lstm: LSTMUnit()
    case .gru: GRUUnit()
    }
  }

  /// Whether the unit carries a cell state besides the hidden state.
  public var hasCellState: Bool { unit.hasCellState }
}

/// What one recurrent unit — the lecture's RNN, LSTM or GRU — provides: its gate layout, its
/// step written with tensor operations, and the same step fused over raw buffers, forward and
/// backward. Each unit lives in a file of its own beside its equations (`RNN.swift`,
/// `LSTM.swift`, `GRU.swift`); the generic layer (``RecurrentNetwork``, ``RecurrentCell``)
/// owns the rest once: the input projection of all steps in one GEMM, the recurrent GEMM of
/// each step, lengths and masks, directions and stacking.
///
/// The fused step works on one sequence's row of one time step; the layer calls it for every
/// active row after the step's recurrent GEMM.
public protocol RecurrentUnit: Sendable {
  /// The unit's name.
  var kind: RecurrentKind { get }
  /// How many blocks of `hidden` rows W_ih and W_hh stack, in PyTorch's order (RNN 1; LSTM 4:
  /// i, f, g, o; GRU 3: r, z, n).
  var gateCount: Int { get }
  /// Whether the unit carries a cell state c besides the hidden state h.
  var hasCellState: Bool { get }
  /// Whether h_{t−1} W_hhᵀ + b_hh is kept apart from the input projection (GRU, whose
  /// candidate gate multiplies it by r) instead of being added onto it (RNN, LSTM).
  var keepsRecurrentProjectionApart: Bool { get }
  /// How many `hidden`-wide vectors the fused step keeps per sequence and step for the
  /// backward pass, beyond the gate activations and h_{t−1} (LSTM: c_{t−1} and tanh(c_t);
  /// GRU: W_hn h_{t−1} + b_hn).
  var savedVectorsPerStep: Int { get }

  /// One step with ordinary tensor operations, so that each of the lecture's equations is a
  /// line and autodiff derives the backward pass.
  ///
  /// - Parameters:
  ///   - inputProjection: x_t W_ihᵀ + b_ih, `[batch, gates · hidden]`.
  ///   - recurrentProjection: h_{t−1} W_hhᵀ + b_hh, the same shape.
  ///   - state: h_{t−1} (and c_{t−1}), each `[batch, hidden]`.
  func referenceStep(
    inputProjection: Tensor, recurrentProjection: Tensor, state: RecurrentState
  ) -> RecurrentState

  /// The fused forward step of one sequence, updating ``FusedStep/hidden`` (and
  /// ``FusedStep/cell``) in place from step t − 1 to step t.
  func forward(_ step: FusedStep)

  /// The fused backward step of one sequence (backpropagation through time). On entry
  /// ``FusedStepGradient/hidden`` and ``FusedStepGradient/cell`` hold ∂loss/∂h_t and
  /// ∂loss/∂c_t from later steps; on exit they hold the parts of ∂loss/∂h_{t−1} and
  /// ∂loss/∂c_{t−1} that do not go through W_hh, and the gate gradients are written.
  func backward(_ step: FusedStepGradient)
}

extension RecurrentUnit {
  public var hasCellState: Bool { false }
  public var keepsRecurrentProjectionApart: Bool { false }
  public var savedVectorsPerStep: Int { 0 }
}

/// Where one sequence's values of one time step lie, for a unit's fused forward step. Every
/// buffer holds `hiddenSize` floats per gate or vector.
public struct FusedStep {
  /// Units per gate.
  public let hiddenSize: Int
  /// On entry the gate pre-activations: x_t W_ihᵀ + b_ih, plus h_{t−1} W_hhᵀ + b_hh unless
  /// the unit keeps that apart. On exit the gate activations, which the backward pass reads.
  public let gates: UnsafeMutablePointer<Float>
  /// h_{t−1} W_hhᵀ + b_hh, for a unit that keeps it apart (otherwise not to be read).
  public let recurrentProjection: UnsafeMutablePointer<Float>
  /// h_{t−1} on entry, h_t on exit.
  public let hidden: UnsafeMutablePointer<Float>
  /// c_{t−1} on entry, c_t on exit (a unit with a cell state).
  public let cell: UnsafeMutablePointer<Float>
  /// ``RecurrentUnit/savedVectorsPerStep`` vectors that the unit fills for its backward pass.
  public let saved: UnsafeMutablePointer<Float>
}

/// Where one sequence's values of one time step lie, for a unit's fused backward step.
public struct FusedStepGradient {
  /// Units per gate.
  public let hiddenSize: Int
  /// ∂loss/∂(the step's output), from the layer above or the loss.
  public let output: UnsafePointer<Float>
  /// ∂loss/∂h (see ``RecurrentUnit/backward(_:)``).
  public let hidden: UnsafeMutablePointer<Float>
  /// ∂loss/∂c (a unit with a cell state).
  public let cell: UnsafeMutablePointer<Float>
  /// h_{t−1}, as the forward pass started the step from it.
  public let previousHidden: UnsafePointer<Float>
  /// The gate activations the forward step left.
  public let gates: UnsafePointer<Float>
  /// The vectors the forward step saved.
  public let saved: UnsafePointer<Float>
  /// Written: ∂loss/∂(the input projection's gates).
  public let inputGates: UnsafeMutablePointer<Float>
  /// Written: ∂loss/∂(the recurrent projection's gates); the same buffer as ``inputGates``
  /// unless the unit keeps the recurrent projection apart.
  public let recurrentGates: UnsafeMutablePointer<Float>
}

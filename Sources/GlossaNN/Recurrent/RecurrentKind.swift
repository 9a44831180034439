/// The lecture's three recurrent units.
public enum RecurrentKind: String, Sendable, CaseIterable {
  /// Vanilla RNN with tanh: h_t = tanh(W_x x_t + W_h h_{t−1} + b).
  case rnnTanh = "rnn_tanh"
  /// Vanilla RNN with ReLU: h_t = max(0, W_x x_t + W_h h_{t−1} + b).
  case rnnReLU = "rnn_relu"
  /// Long short-term memory: input, forget and output gates and a cell state.
  case lstm
  /// Gated recurrent unit: reset and update gates.
  case gru

  /// How many blocks of `hidden` rows the weight matrices stack (PyTorch's layout:
  /// LSTM i, f, g, o; GRU r, z, n).
  public var gateCount: Int {
    switch self {
    case .rnnTanh, .rnnReLU: 1
    case .lstm: 4
    case .gru: 3
    }
  }

  /// Whether the unit carries a cell state besides the hidden state.
  public var hasCellState: Bool { self == .lstm }
}

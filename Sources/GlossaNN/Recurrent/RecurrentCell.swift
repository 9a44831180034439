import GlossaTensor

/// One step of a recurrent unit, written with ordinary tensor operations, so each of the
/// lecture's equations is one line and autodiff derives the backward pass (like
/// `torch.nn.LSTMCell`). The fused layers (``RecurrentNetwork``) compute the same thing
/// much faster; tests check the two against each other.
public final class RecurrentCell: Module {
  /// The unit.
  public let kind: RecurrentKind
  /// Hidden units.
  public let hiddenSize: Int
  /// W_ih, `[gates · hidden, input]`; W_hh, `[gates · hidden, hidden]`; b_ih; b_hh.
  public let weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor

  /// A cell initialised like PyTorch's, U(−1/√H, 1/√H).
  public init(kind: RecurrentKind, inputSize: Int, hiddenSize: Int, seed: UInt64 = 0) {
    self.kind = kind
    self.hiddenSize = hiddenSize
    var generator = SeededGenerator(seed: seed)
    let bound = 1 / Float(hiddenSize).squareRoot()
    let gates = kind.gateCount * hiddenSize
    func parameter(_ shape: [Int]) -> Tensor {
      Tensor.uniform(shape, low: -bound, high: bound, generator: &generator, requiresGrad: true)
    }
    weightIH = parameter([gates, inputSize])
    weightHH = parameter([gates, hiddenSize])
    biasIH = parameter([gates])
    biasHH = parameter([gates])
  }

  public var children: [(name: String, value: Any)] {
    [("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH)]
  }

  /// One step: from input x_t `[batch, input]` and the previous state to the new state.
  /// `cell` is the LSTM's c (ignored, and returned nil, for other units).
  public func callAsFunction(_ x: Tensor, hidden h: Tensor, cell c: Tensor? = nil) -> (
    hidden: Tensor, cell: Tensor?
  ) {
    let xw = Tensor.linear(x, weight: weightIH, bias: biasIH)
    let hw = Tensor.linear(h, weight: weightHH, bias: biasHH)
    let H = hiddenSize
    func gate(_ t: Tensor, _ k: Int) -> Tensor { t.slice(axis: 1, range: (k * H)..<((k + 1) * H)) }
    switch kind {
    case .rnnTanh:
      return ((xw + hw).tanh(), nil)  // h_t = tanh(W_x x_t + W_h h_{t−1} + b)
    case .rnnReLU:
      return ((xw + hw).relu(), nil)
    case .lstm:
      let pre = xw + hw
      let i = gate(pre, 0).sigmoid()  // input gate
      let f = gate(pre, 1).sigmoid()  // forget gate
      let g = gate(pre, 2).tanh()  // candidate
      let o = gate(pre, 3).sigmoid()  // output gate
      let c = f * (c ?? Tensor.zeros(h.shape)) + i * g  // c_t = f ⊙ c_{t−1} + i ⊙ g
      return (o * c.tanh(), c)  // h_t = o ⊙ tanh(c_t)
    case .gru:
      let r = (gate(xw, 0) + gate(hw, 0)).sigmoid()  // reset gate
      let z = (gate(xw, 1) + gate(hw, 1)).sigmoid()  // update gate
      let n = (gate(xw, 2) + r * gate(hw, 2)).tanh()  // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
      return ((1 - z) * n + z * h, nil)  // h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
    }
  }
}

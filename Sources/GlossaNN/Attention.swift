import GlossaTensor

/// How attention scores a query (the decoder's state) against each key (an encoder output).
public enum AttentionKind: String, Sendable, Codable, CaseIterable {
  /// Additive (Bahdanau et al., 2015): e_j = vᵀ tanh(W_q q + W_k k_j).
  case bahdanau
  /// Multiplicative, dot (Luong et al., 2015): e_j = q · k_j (query and keys of one size).
  case luongDot = "luong-dot"
  /// Multiplicative, general (Luong et al., 2015): e_j = qᵀ W k_j.
  case luongGeneral = "luong-general"
}

/// Attention over a sequence of encoder outputs: each output k_j gets a score e_j against the
/// query q, the scores of a sentence's real positions (not its padding) become weights
/// α = softmax(e), and the context is their weighted sum c = Σ_j α_j k_j. The lecture's
/// "focus on the relevant parts of the input sequence" for a decoder that reads one step at a time.
///
/// What does not depend on the query (the keys' projection W_k k_j, or W k_j) is computed once
/// per batch by ``memory(_:lengths:)``; each decoder step then costs one call.
public final class Attention: Module {
  /// The score function.
  public let kind: AttentionKind
  /// Features of the query and of each key.
  public let queryDimension: Int, keyDimension: Int
  /// Bahdanau: W_q `[A, Q]`, W_k `[A, K]`, v `[1, A]`; general: W `[Q, K]`; dot: none.
  let queryLayer: Linear?
  let keyLayer: Linear?
  let scoreLayer: Linear?

  /// Attention of `kind` for queries of `queryDimension` features over keys of `keyDimension`
  /// (Bahdanau's hidden layer has `attentionDimension` units; dot needs the two sizes equal).
  public init(
    kind: AttentionKind, queryDimension: Int, keyDimension: Int, attentionDimension: Int? = nil,
    seed: UInt64 = 0
  ) {
    precondition(
      kind != .luongDot || queryDimension == keyDimension,
      "dot attention needs queries and keys of one size (\(queryDimension) vs \(keyDimension))")
    (self.kind, self.queryDimension, self.keyDimension) = (kind, queryDimension, keyDimension)
    switch kind {
    case .bahdanau:
      let units = attentionDimension ?? queryDimension
      queryLayer = Linear(queryDimension, units, bias: false, seed: seed)
      keyLayer = Linear(keyDimension, units, bias: false, seed: seed &+ 1)
      scoreLayer = Linear(units, 1, bias: false, seed: seed &+ 2)
    case .luongGeneral:
      (queryLayer, scoreLayer) = (nil, nil)
      keyLayer = Linear(keyDimension, queryDimension, bias: false, seed: seed)
    case .luongDot:
      (queryLayer, keyLayer, scoreLayer) = (nil, nil, nil)
    }
  }

  public var children: [(name: String, value: Any)] {
    [("query_layer", queryLayer), ("key_layer", keyLayer), ("score_layer", scoreLayer)].compactMap {
      name, layer in
      layer.map { (name, $0 as Any) }
    }
  }

  /// The encoder's outputs prepared for attention: the values `[batch, steps, K]`, the keys as
  /// the score function reads them, and the additive mask of the padding.
  public struct Memory {
    /// The encoder outputs, `[batch, steps, K]`.
    public let values: Tensor
    /// W_k k_j (Bahdanau, `[batch, steps, A]`), W k_j (general, `[batch, steps, Q]`) or k_j (dot).
    let keys: Tensor
    /// 0 at each sentence's positions, a large negative number at its padding, `[batch, steps]`.
    let mask: Tensor
    /// Each sentence's length.
    public let lengths: [Int]
  }

  /// The memory of encoder outputs `[batch, steps, K]` whose sentence b has `lengths[b]` steps.
  public func memory(_ values: Tensor, lengths: [Int]) -> Memory {
    let (batch, steps) = (values.shape[0], values.shape[1])
    precondition(values.rank == 3 && values.shape[2] == keyDimension && lengths.count == batch)
    var mask = [Float](repeating: 0, count: batch * steps)
    for b in 0..<batch {
      for t in lengths[b]..<steps { mask[b * steps + t] = -1e30 }
    }
    let keys = keyLayer.map { $0(values) } ?? values
    return Memory(values: values, keys: keys, mask: Tensor(mask, shape: [batch, steps]), lengths: lengths)
  }

  /// The scores e `[batch, steps]` of `query` `[batch, Q]` against the memory (before the mask).
  public func scores(_ query: Tensor, memory: Memory) -> Tensor {
    let (batch, steps) = (memory.keys.shape[0], memory.keys.shape[1])
    if let queryLayer, let scoreLayer {
      return Self.additiveScores(queryLayer(query), keys: memory.keys, vector: scoreLayer.weight)
    }
    // Multiplicative: each sentence's keys times its query, `[steps, Q] · [Q, 1]`.
    return Tensor.matmul(memory.keys, query.reshaped([batch, queryDimension, 1])).reshaped([batch, steps])
  }

  /// One step: the attention weights α = softmax(e) over each sentence's real positions
  /// `[batch, steps]`, and the context c = Σ_j α_j k_j `[batch, K]`.
  public func callAsFunction(_ query: Tensor, memory: Memory) -> (context: Tensor, weights: Tensor) {
    let (batch, steps) = (memory.values.shape[0], memory.values.shape[1])
    let weights = (scores(query, memory: memory) + memory.mask).softmax(axis: 1)
    let context = Tensor.matmul(weights.reshaped([batch, 1, steps]), memory.values)
    return (context.reshaped([batch, keyDimension]), weights)
  }

  /// One step for inference, nothing recorded: the query of row r (`queries`, `[rows, Q]`)
  /// attends to sentence `sentences[r]` of `memory`, over that sentence's positions only (no
  /// padding to mask), so a row's numbers do not depend on the other rows. Writes the context
  /// c to `contexts + r · contextStride` and the weights α to `weights + r · steps` (zero past
  /// the sentence's length; `steps` is the memory's). The call above's numbers to float rounding
  /// (tested); `workspace` is scratch space, grown as needed and reused from call to call.
  public func attend(
    _ queries: UnsafePointer<Float>, sentences: [Int], memory: Memory,
    contexts: UnsafeMutablePointer<Float>, contextStride: Int, weights: UnsafeMutablePointer<Float>,
    workspace: inout [Float]
  ) {
    require(
      sentences.allSatisfy { memory.lengths.indices.contains($0) },
      "Attention.attend: sentences \(sentences) outside the memory's \(memory.lengths.count)")
    let (rows, steps, K, Q) = (sentences.count, memory.values.shape[1], keyDimension, queryDimension)
    let width = memory.keys.shape[2]
    let projected = scoreLayer == nil ? 0 : rows * width
    if workspace.count < projected + steps * width {
      workspace = [Float](repeating: 0, count: projected + steps * width)
    }
    withExtendedLifetime((memory, queryLayer, scoreLayer)) {
      workspace.withUnsafeMutableBufferPointer { scratch in
        let (p, t) = (scratch.baseAddress!, scratch.baseAddress! + projected)
        if let queryLayer {
          // Bahdanau: every row's W_q q at once.
          BLAS.gemm(
            transposeA: false, transposeB: true, m: rows, n: width, k: Q, a: queries, lda: Q,
            b: queryLayer.weight.baseAddress, ldb: Q, c: p, ldc: width)
        }
        for (r, sentence) in sentences.enumerated() {
          let length = memory.lengths[sentence]
          let (keys, values) = (
            memory.keys.baseAddress + sentence * steps * width,
            memory.values.baseAddress + sentence * steps * K
          )
          let e = weights + r * steps
          if let scoreLayer {
            // e_j = vᵀ tanh(W_q q + W_k k_j)
            for j in 0..<length {
              for a in 0..<width { t[j * width + a] = p[r * width + a] + keys[j * width + a] }
            }
            VectorMath.tanh(t, count: length * width)
            BLAS.gemv(
              transpose: false, rows: length, columns: width, a: t, lda: width,
              x: scoreLayer.weight.baseAddress,
              y: e)
          } else {
            // e_j = q · k_j (k_j = W k_j for general)
            BLAS.gemv(transpose: false, rows: length, columns: Q, a: keys, lda: Q, x: queries + r * Q, y: e)
          }
          // α = softmax(e), then c = Σ_j α_j k_j.
          VectorMath.softmax(e, count: length, output: e)
          (e + length).update(repeating: 0, count: steps - length)
          BLAS.gemv(
            transpose: true, rows: length, columns: K, a: values, lda: K, x: e,
            y: contexts + r * contextStride)
        }
      }
    }
  }

  /// Bahdanau's scores e_bj = vᵀ tanh(q_b + k_bj) for projected queries q `[batch, A]`, projected
  /// keys k `[batch, steps, A]` and v `[1, A]`, as one operation: the sum, the tanh and the dot
  /// product in one pass over the keys, where broadcasting, tanh and a linear layer would each
  /// write a `[batch, steps, A]` tensor, and their backward passes three more. The backward
  /// keeps t = tanh(q_b + k_bj): with u = g_bj v ⊙ (1 − t²), ∂k_bj = u, ∂q_b = Σ_j u and
  /// ∂v = Σ_bj g_bj t.
  static func additiveScores(_ query: Tensor, keys: Tensor, vector: Tensor) -> Tensor {
    let (batch, steps, units) = (keys.shape[0], keys.shape[1], keys.shape[2])
    precondition(query.shape == [batch, units] && vector.count == units)
    let hidden = Tensor(uninitialized: keys.shape)
    let scores = Tensor(uninitialized: [batch, steps])
    let (q, k, t) = (query.baseAddress, keys.baseAddress, hidden.baseAddress)
    for b in 0..<batch {
      for j in 0..<steps {
        let row = (b * steps + j) * units
        for a in 0..<units { t[row + a] = q[b * units + a] + k[row + a] }
      }
    }
    VectorMath.tanh(t, count: hidden.count)
    BLAS.gemv(
      transpose: false, rows: batch * steps, columns: units, a: t, lda: units, x: vector.baseAddress,
      y: scores.baseAddress)
    withExtendedLifetime((query, keys)) {}
    return Tensor.record(scores, op: "additiveScores", inputs: [query, keys, vector]) { g in
      let u = Tensor(uninitialized: keys.shape)
      let (gp, up, t, v) = (g.baseAddress, u.baseAddress, hidden.baseAddress, vector.baseAddress)
      for row in 0..<(batch * steps) {
        let (gradient, offset) = (gp[row], row * units)
        for a in 0..<units { up[offset + a] = gradient * v[a] * (1 - t[offset + a] * t[offset + a]) }
      }
      var dq: Tensor?
      if query.requiresGrad {
        let sum = Tensor.zeros([batch, units])
        let dp = sum.baseAddress
        for b in 0..<batch {
          for j in 0..<steps {
            let offset = (b * steps + j) * units
            for a in 0..<units { dp[b * units + a] += up[offset + a] }
          }
        }
        dq = sum
      }
      var dv: Tensor?
      if vector.requiresGrad {
        let sum = Tensor(uninitialized: vector.shape)
        BLAS.gemv(
          transpose: true, rows: batch * steps, columns: units, a: t, lda: units, x: gp, y: sum.baseAddress)
        dv = sum
      }
      withExtendedLifetime((g, hidden, vector)) {}
      return [dq, keys.requiresGrad ? u : nil, dv]
    }
  }
}

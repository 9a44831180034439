import Foundation
import GlossaNN
import GlossaTensor
import Testing

/// Attention's scores written out from their definitions, its masking of padding, and its
/// gradients against central differences.
@Suite struct AttentionTests {
  let batch = 3, steps = 4, dimension = 5
  let lengths = [4, 2, 3]

  func tensor(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -1, high: 1, generator: &g)
  }

  /// e_j for one sentence and position, from the formulas of Bahdanau and Luong.
  func score(_ attention: Attention, _ q: [Float], _ k: [Float]) -> Double {
    let named = Dictionary(
      uniqueKeysWithValues: attention.namedTensors().map { ($0.name, $0.tensor.scalars) })
    let d = dimension
    func times(_ w: [Float], _ x: [Float], rows: Int) -> [Double] {
      (0..<rows).map { r in (0..<x.count).reduce(0.0) { $0 + Double(w[r * x.count + $1]) * Double(x[$1]) } }
    }
    switch attention.kind {
    case .bahdanau:
      let (wq, wk, v) = (
        named["query_layer.weight"]!, named["key_layer.weight"]!, named["score_layer.weight"]!
      )
      let hidden = zip(times(wq, q, rows: d), times(wk, k, rows: d)).map { Foundation.tanh($0 + $1) }
      return zip(hidden, v).reduce(0) { $0 + $1.0 * Double($1.1) }
    case .luongDot: return zip(q, k).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    case .luongGeneral:
      return zip(q, times(named["key_layer.weight"]!, k, rows: d)).reduce(0) { $0 + Double($1.0) * $1.1 }
    }
  }

  /// Inference's one-step attention: rows naming their sentences in any order, some twice,
  /// give the batch call's context and weights for those sentences, and zero weights past a
  /// sentence's end.
  @Test(arguments: AttentionKind.allCases) func attendingRowByRowIsTheBatchCall(kind: AttentionKind) {
    let attention = Attention(kind: kind, queryDimension: dimension, keyDimension: dimension, seed: 3)
    let keys = tensor([batch, steps, dimension], seed: 1)
    let memory = attention.memory(keys, lengths: lengths)
    let sentences = [2, 0, 0, 1]
    let queries = tensor([sentences.count, dimension], seed: 2)
    let (contextStride, rows) = (dimension + 2, sentences.count)
    var contexts = [Float](repeating: .nan, count: rows * contextStride)
    var weights = [Float](repeating: .nan, count: rows * steps)
    var workspace: [Float] = []
    for _ in 0..<2 {  // twice: the workspace reused
      contexts.withUnsafeMutableBufferPointer { c in
        weights.withUnsafeMutableBufferPointer { w in
          attention.attend(
            queries.baseAddress, sentences: sentences, memory: memory, contexts: c.baseAddress!,
            contextStride: contextStride, weights: w.baseAddress!, workspace: &workspace)
        }
      }
    }
    withExtendedLifetime(queries) {}
    for (r, sentence) in sentences.enumerated() {
      // The batch call, with this row's query at its sentence.
      var perSentence = [Float](repeating: 0, count: batch * dimension)
      for d in 0..<dimension { perSentence[sentence * dimension + d] = queries.scalars[r * dimension + d] }
      let (context, expected) = attention(Tensor(perSentence, shape: [batch, dimension]), memory: memory)
      let w = Array(weights[(r * steps)..<((r + 1) * steps)])
      let c = Array(contexts[(r * contextStride)..<(r * contextStride + dimension)])
      for j in 0..<steps {
        #expect(abs(w[j] - expected.scalars[sentence * steps + j]) < 1e-6, "\(kind) row \(r) j \(j)")
        if j >= lengths[sentence] { #expect(w[j] == 0) }
      }
      for d in 0..<dimension {
        #expect(abs(c[d] - context.scalars[sentence * dimension + d]) < 1e-6, "\(kind) row \(r) d \(d)")
      }
      // The stride's gap is not written.
      #expect(contexts[r * contextStride + dimension].isNaN)
    }
  }

  @Test(arguments: AttentionKind.allCases) func weightsAndContextFollowTheDefinition(kind: AttentionKind) {
    let attention = Attention(kind: kind, queryDimension: dimension, keyDimension: dimension, seed: 3)
    let (keys, query) = (tensor([batch, steps, dimension], seed: 1), tensor([batch, dimension], seed: 2))
    let (context, weights) = attention(query, memory: attention.memory(keys, lengths: lengths))
    let (k, q, w, c) = (keys.scalars, query.scalars, weights.scalars, context.scalars)
    for b in 0..<batch {
      let query = Array(q[(b * dimension)..<((b + 1) * dimension)])
      let scores = (0..<lengths[b]).map { j in
        score(attention, query, Array(k[((b * steps + j) * dimension)..<((b * steps + j + 1) * dimension)]))
      }
      let top = scores.max()!
      let total = scores.reduce(0) { $0 + Foundation.exp($1 - top) }
      for j in 0..<steps {
        let expected = j < lengths[b] ? Foundation.exp(scores[j] - top) / total : 0
        #expect(abs(Double(w[b * steps + j]) - expected) < 1e-5, "\(kind) b\(b) j\(j)")
      }
      for d in 0..<dimension {
        let expected = (0..<steps).reduce(0.0) {
          $0 + Double(w[b * steps + $1]) * Double(k[(b * steps + $1) * dimension + d])
        }
        #expect(abs(Double(c[b * dimension + d]) - expected) < 1e-5)
      }
    }
  }

  @Test(arguments: AttentionKind.allCases) func gradientsPassTheChecker(kind: AttentionKind) {
    let attention = Attention(kind: kind, queryDimension: dimension, keyDimension: dimension, seed: 4)
    let inputs = [tensor([batch, steps, dimension], seed: 5), tensor([batch, dimension], seed: 6)]
    let parameters = attention.parameters()
    let result = GradientCheck.check(inputs + parameters, epsilon: 1e-2) { x in
      let (context, weights) = attention(x[1], memory: attention.memory(x[0], lengths: lengths))
      return Tensor.concatenate([context, weights], axis: 1)
    }
    #expect(result.maxError < 1e-2, "\(kind): \(result)")
  }

  /// The fused additive scores against the same formula in plain tensor operations: values and
  /// every gradient (query, keys and the three weight matrices).
  @Test func additiveScoresEqualTheirPlainComposition() {
    let attention = Attention(kind: .bahdanau, queryDimension: dimension, keyDimension: dimension, seed: 11)
    let keys = tensor([batch, steps, dimension], seed: 12)
    let query = tensor([batch, dimension], seed: 13)
    (keys.requiresGrad, query.requiresGrad) = (true, true)
    let weighting = tensor([batch, steps], seed: 14)
    let named = Dictionary(uniqueKeysWithValues: attention.namedParameters().map { ($0.name, $0.tensor) })
    func plain() -> Tensor {
      let projected = Tensor.linear(query, weight: named["query_layer.weight"]!, bias: nil)
      let projectedKeys = Tensor.linear(keys, weight: named["key_layer.weight"]!, bias: nil)
      let hidden = (projected.reshaped([batch, 1, dimension]) + projectedKeys).tanh()
      return Tensor.linear(hidden, weight: named["score_layer.weight"]!, bias: nil).reshaped([batch, steps])
    }
    func gradients(_ scores: Tensor) -> [[Float]] {
      let inputs = [query, keys] + attention.parameters()
      for x in inputs { x.zeroGrad() }
      (scores * weighting).sum().backward()
      return inputs.map { $0.grad!.scalars }
    }
    let fused = attention.scores(query, memory: attention.memory(keys, lengths: lengths))
    let reference = plain()
    for (a, b) in zip(fused.scalars, reference.scalars) { #expect(abs(a - b) < 1e-5) }
    for (a, b) in zip(gradients(fused), gradients(plain())) {
      #expect(a.count == b.count)
      for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-5) }
    }
  }

  @Test func paddingGetsNoWeightWhateverItHolds() {
    let attention = Attention(kind: .bahdanau, queryDimension: dimension, keyDimension: dimension, seed: 7)
    let keys = tensor([batch, steps, dimension], seed: 8)
    let query = tensor([batch, dimension], seed: 9)
    let changed = keys.copy()
    changed.withUnsafeMutableBufferPointer { p in
      for b in 0..<batch {
        for j in lengths[b]..<steps { for d in 0..<dimension { p[(b * steps + j) * dimension + d] = 50 } }
      }
    }
    let a = attention(query, memory: attention.memory(keys, lengths: lengths))
    let b = attention(query, memory: attention.memory(changed, lengths: lengths))
    #expect(a.weights.scalars == b.weights.scalars)
    #expect(a.context.scalars == b.context.scalars)
  }
}

/// Matrix products through BLAS.
extension Tensor {
  /// The matrix product op(a) · op(b) of two 2-D tensors, or of two 3-D tensors batch by
  /// batch, where op(x) is xᵀ (the last two axes swapped) when the flag is set. A
  /// transposed operand is read in place by BLAS, never copied.
  public static func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
  ) -> Tensor {
    let result = product(a, b, transposeA, transposeB)
    return record(result, op: "matmul", inputs: [a, b]) { g in
      // C = A′B′ with A′ = op(A), B′ = op(B): ∂A′ = g B′ᵀ and ∂B′ = A′ᵀ g.
      [
        a.requiresGrad
          ? (transposeA
            ? product(b, g, transposeB, true) : product(g, b, false, !transposeB)) : nil,
        b.requiresGrad
          ? (transposeB
            ? product(g, a, true, transposeA) : product(a, g, !transposeA, false)) : nil,
      ]
    }
  }

  /// The unrecorded product behind ``matmul(_:_:transposeA:transposeB:)``.
  static func product(_ a: Tensor, _ b: Tensor, _ ta: Bool, _ tb: Bool) -> Tensor {
    require(
      (a.rank == 2 && b.rank == 2) || (a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0]),
      "matmul: shapes \(a.shape) and \(b.shape) are not two matrices or two equal batches of matrices")
    let batch = a.rank == 3 ? a.shape[0] : 1
    let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
    let (m, k) = ta ? (ac, ar) : (ar, ac)
    let (k2, n) = tb ? (bc, br) : (br, bc)
    require(
      k == k2,
      "matmul: shapes \(a.shape)\(ta ? "ᵀ" : "") and \(b.shape)\(tb ? "ᵀ" : "") do not match (\(k) vs \(k2))"
    )
    let result = Tensor(uninitialized: a.rank == 3 ? [batch, m, n] : [m, n])
    for i in 0..<batch {
      BLAS.gemm(
        transposeA: ta, transposeB: tb, m: m, n: n, k: k,
        a: a.baseAddress + i * ar * ac, lda: ac, b: b.baseAddress + i * br * bc, ldb: bc,
        c: result.baseAddress + i * m * n, ldc: n)
    }
    return result
  }

  /// The affine map of a dense layer, y = x Wᵀ + b, fused into one GEMM. `x` is
  /// `[…, in]`, `weight` is `[out, in]` (PyTorch's layout) and `bias` is `[out]`.
  public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    let (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1])
    require(
      weight.rank == 2 && x.rank >= 1 && x.shape[x.rank - 1] == inFeatures,
      "linear: input \(x.shape) does not match weight \(weight.shape) (expected [..., \(inFeatures)])")
    if let bias {
      require(
        bias.shape == [outFeatures],
        "linear: bias \(bias.shape) does not match weight \(weight.shape)")
    }
    let rows = x.count / inFeatures
    var outShape = x.shape
    outShape[outShape.count - 1] = outFeatures
    let y = Tensor(uninitialized: outShape)
    if let bias {
      for r in 0..<rows {
        (y.baseAddress + r * outFeatures).update(from: bias.baseAddress, count: outFeatures)
      }
    }
    BLAS.gemm(
      transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
      a: x.baseAddress, lda: inFeatures, b: weight.baseAddress, ldb: inFeatures,
      beta: bias == nil ? 0 : 1, c: y.baseAddress, ldc: outFeatures)
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return record(y, op: "linear", inputs: inputs) { g in
      let g2 = g.reshaped([rows, outFeatures])
      let x2 = x.reshaped([rows, inFeatures])
      return [
        x.requiresGrad ? product(g2, weight, false, false).reshaped(x.shape) : nil,  // ∂x = g W
        weight.requiresGrad ? product(g2, x2, true, false) : nil,  // ∂W = gᵀ x
        bias?.requiresGrad == true ? g2.sum(axis: 0) : nil,  // ∂b = Σ_rows g
      ]
    }
  }
}

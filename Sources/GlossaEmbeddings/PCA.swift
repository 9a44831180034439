import GlossaTensor

/// Principal component analysis, the lecture's first way to draw embeddings in 2-D: the
/// directions of greatest variance are the top eigenvectors of the covariance matrix
/// C = XᵀX / n of the centred points, found by power iteration with deflation.
public enum PCA {
  /// The `n × d` row-major points projected onto their first `components` principal axes
  /// (`n × components`, row-major). Each axis's sign is fixed so its largest coordinate is
  /// positive, so results do not flip between runs.
  public static func project(_ points: [Float], dimension d: Int, components: Int = 2) -> [Float] {
    let n = points.count / max(d, 1)
    require(n * d == points.count && d > 0, "PCA: \(points.count) numbers are not rows of \(d)")
    var centred = points
    for c in 0..<d {
      let mean =
        stride(from: c, to: points.count, by: d).reduce(Float(0)) { $0 + points[$1] } / Float(max(n, 1))
      for r in 0..<n { centred[r * d + c] -= mean }
    }
    var covariance = [Float](repeating: 0, count: d * d)
    if n > 0 {
      BLAS.gemm(
        transposeA: true, transposeB: false, m: d, n: d, k: n, alpha: 1 / Float(n), a: centred, lda: d,
        b: centred, ldb: d, c: &covariance, ldc: d)
    }
    var axes: [[Float]] = []
    for _ in 0..<min(components, d) {
      var axis = dominantEigenvector(covariance, d)
      if let largest = axis.indices.max(by: { abs(axis[$0]) < abs(axis[$1]) }), axis[largest] < 0 {
        axis = axis.map { -$0 }
      }
      // Deflation: C ← C − λ v vᵀ removes the axis found.
      let lambda = rayleigh(covariance, axis, d)
      for i in 0..<d { for j in 0..<d { covariance[i * d + j] -= lambda * axis[i] * axis[j] } }
      axes.append(axis)
    }
    var projected = [Float](repeating: 0, count: n * components)
    for r in 0..<n {
      for (k, axis) in axes.enumerated() {
        projected[r * components + k] = (0..<d).reduce(Float(0)) { $0 + centred[r * d + $1] * axis[$1] }
      }
    }
    return projected
  }

  /// v with C v = λ v for the largest λ: repeated v ← C v / ‖C v‖ from a fixed start.
  static func dominantEigenvector(_ c: [Float], _ d: Int) -> [Float] {
    var v = (0..<d).map { 1 / Float(d).squareRoot() + Float($0 % 7) * 1e-3 }
    var next = [Float](repeating: 0, count: d)
    for _ in 0..<500 {
      BLAS.gemv(transpose: false, rows: d, columns: d, a: c, lda: d, x: v, y: &next)
      let norm = next.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0 else { return v }
      let change = zip(next, v).reduce(Float(0)) { max($0, abs($1.0 / norm - $1.1)) }
      v = next.map { $0 / norm }
      if change < 1e-7 { break }
    }
    return v
  }

  /// λ = vᵀ C v for a unit vector v.
  static func rayleigh(_ c: [Float], _ v: [Float], _ d: Int) -> Float {
    var product = [Float](repeating: 0, count: d)
    BLAS.gemv(transpose: false, rows: d, columns: d, a: c, lda: d, x: v, y: &product)
    return zip(product, v).reduce(0) { $0 + $1.0 * $1.1 }
  }
}

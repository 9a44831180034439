import GlossaTensor
import Testing

/// The BLAS wrapper against plain loops.
@Suite struct BLASTests {
  @Test func levelOneAndTwoMatchPlainLoops() {
    var x: [Float] = [1, -2, 3, 0.5]
    var y: [Float] = [4, 5, -6, 2]
    let expectedDot: Float = 4 - 10 - 18 + 1
    #expect(BLAS.dot(count: 4, x: x, y: y) == expectedDot)
    let expectedNorm = Float(14.25).squareRoot()
    #expect(abs(BLAS.nrm2(count: 4, x: x) - expectedNorm) < 1e-6)
    y.withUnsafeMutableBufferPointer { BLAS.axpy(count: 4, alpha: 2, x: x, y: $0.baseAddress!) }
    #expect(y == [6, 1, 0, 3])
    // A is 2 × 3 (row-major); y = A x and y = Aᵀ z.
    let a: [Float] = [1, 2, 3, 4, 5, 6]
    var out = [Float](repeating: 0, count: 3)
    x = [1, 0, -1]
    out.withUnsafeMutableBufferPointer {
      BLAS.gemv(transpose: false, rows: 2, columns: 3, a: a, lda: 3, x: x, y: $0.baseAddress!)
    }
    #expect(Array(out.prefix(2)) == [-2, -2])
    out.withUnsafeMutableBufferPointer {
      BLAS.gemv(transpose: true, rows: 2, columns: 3, a: a, lda: 3, x: [1, 1], y: $0.baseAddress!)
    }
    #expect(out == [5, 7, 9])
  }

  @Test func threadSettingIsRestoredAfterSingleThreadedWork() {
    let before = BLAS.threads
    let inside = BLAS.withSingleThread { BLAS.threads }
    #expect(inside == 1)
    #expect(BLAS.threads == before)
  }
}

import TestSupport
import Testing

@testable import GlossaTensor

@Suite struct PackedMatrixTests {
  /// x Wᵀ added onto y by the packed panels (the vector kernel where the processor has it),
  /// by the plain loop, and by BLAS's GEMM, for widths that fill the last panel or not and
  /// row counts around the kernel's blocks of six.
  @Test(arguments: [(1, 7), (16, 5), (37, 13), (100, 64)])
  func packedProductsEqualThePlainLoopAndBLAS(_ outputs: Int, _ inputs: Int) {
    var generator = SeededGenerator(seed: UInt64(outputs * 131 + inputs))
    let weight = Tensor.uniform([outputs, inputs], low: -1, high: 1, generator: &generator)
    let packed = PackedMatrix(weight)
    #expect(packed.outputs == outputs && packed.inputs == inputs)
    for rows in [1, 2, 5, 6, 7, 13] {
      let x = Tensor.uniform([rows, inputs], low: -1, high: 1, generator: &generator)
      let start = Tensor.uniform([rows, outputs], low: -1, high: 1, generator: &generator)
      let (vector, plain, blas) = (start.copy(), start.copy(), start.copy())
      packed.multiplyAdd(x.baseAddress, rows: rows, into: vector.baseAddress)
      packed.multiplyAddPlain(x.baseAddress, rows: rows, into: plain.baseAddress)
      BLAS.gemm(
        transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x.baseAddress, lda: inputs,
        b: weight.baseAddress, ldb: inputs, beta: 1, c: blas.baseAddress, ldc: outputs)
      withExtendedLifetime((x, weight)) {
        #expect(
          mismatch(vector, plain, relative: 1e-5, absolute: 1e-5) == nil, "\(outputs)×\(inputs), \(rows) rows"
        )
        #expect(
          mismatch(plain, blas, relative: 1e-5, absolute: 1e-5) == nil, "\(outputs)×\(inputs), \(rows) rows")
      }
    }
  }

  /// Enough rows and outputs that the panels are split over the threads: the same result.
  @Test func aProductSplitOverThreadsEqualsThePlainLoop() {
    var generator = SeededGenerator(seed: 3)
    let (outputs, inputs, rows) = (2_000, 96, 12)
    let weight = Tensor.uniform([outputs, inputs], low: -1, high: 1, generator: &generator)
    let packed = PackedMatrix(weight)
    let x = Tensor.uniform([rows, inputs], low: -1, high: 1, generator: &generator)
    let (vector, plain) = (Tensor.zeros([rows, outputs]), Tensor.zeros([rows, outputs]))
    packed.multiplyAdd(x.baseAddress, rows: rows, into: vector.baseAddress)
    packed.multiplyAddPlain(x.baseAddress, rows: rows, into: plain.baseAddress)
    withExtendedLifetime(x) {
      #expect(mismatch(vector, plain, relative: 1e-5, absolute: 1e-5) == nil)
    }
  }
}

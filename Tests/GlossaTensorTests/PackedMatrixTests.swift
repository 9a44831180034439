import TestSupport
import Testing

@testable import GlossaTensor

@Suite struct PackedMatrixTests {
  /// x Wᵀ added onto y by each of the packed product's kernels that this processor runs, by the
  /// plain loop, and by BLAS's GEMM, for widths that fill the last panel or not, odd and even
  /// panel counts, and row counts around the kernels' blocks of six and twelve. The AVX2 and
  /// AVX-512 kernels give the same bits.
  @Test(arguments: [(1, 7), (16, 5), (37, 13), (64, 9), (100, 64)])
  func packedProductsEqualThePlainLoopAndBLAS(_ outputs: Int, _ inputs: Int) {
    var generator = SeededGenerator(seed: UInt64(outputs * 131 + inputs))
    let weight = Tensor.uniform([outputs, inputs], low: -1, high: 1, generator: &generator)
    let packed = PackedMatrix(weight)
    #expect(packed.outputs == outputs && packed.inputs == inputs)
    let kernels = PanelKernel.allCases.filter { $0.rawValue <= PackedMatrix.kernel.rawValue }
    for rows in [1, 2, 5, 6, 7, 12, 13, 25] {
      let x = Tensor.uniform([rows, inputs], low: -1, high: 1, generator: &generator)
      let start = Tensor.uniform([rows, outputs], low: -1, high: 1, generator: &generator)
      let (best, blas) = (start.copy(), start.copy())
      packed.multiplyAdd(x.baseAddress, rows: rows, into: best.baseAddress)
      let products = kernels.map { kernel in
        let y = start.copy()
        packed.multiplyAdd(x.baseAddress, rows: rows, into: y.baseAddress, kernel: kernel)
        return y
      }
      BLAS.gemm(
        transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x.baseAddress, lda: inputs,
        b: weight.baseAddress, ldb: inputs, beta: 1, c: blas.baseAddress, ldc: outputs)
      withExtendedLifetime((x, weight)) {
        let plain = products[0]
        #expect(best.scalars == products.last!.scalars, "the public product runs the widest kernel")
        for (kernel, y) in zip(kernels, products) {
          #expect(
            mismatch(y, plain, relative: 1e-5, absolute: 1e-5) == nil,
            "\(kernel), \(outputs)×\(inputs), \(rows) rows")
        }
        if kernels.contains(.avx512) {
          #expect(
            products[1].scalars == products[2].scalars, "AVX2 and AVX-512, \(outputs)×\(inputs), \(rows) rows"
          )
        }
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
    packed.multiplyAdd(x.baseAddress, rows: rows, into: plain.baseAddress, kernel: .plain)
    withExtendedLifetime(x) {
      #expect(mismatch(vector, plain, relative: 1e-5, absolute: 1e-5) == nil)
    }
  }
}

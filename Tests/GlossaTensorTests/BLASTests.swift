import Foundation
import Testing

@testable import GlossaTensor

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

  /// A product of one row goes through a matrix–vector product: every layout of A and B,
  /// with alpha and beta, against the plain triple loop.
  @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
  func oneRowProductsMatchPlainLoops(_ transposed: (a: Bool, b: Bool)) {
    let (m, n, k) = (1, 5, 3)
    var generator = SeededGenerator(seed: 11)
    let (lda, ldb) = (transposed.a ? m + 2 : k + 1, transposed.b ? k + 2 : n + 1)
    let a = (0..<((transposed.a ? k : m) * lda)).map { _ in Float(generator.next() % 7) - 3 }
    let b = (0..<((transposed.b ? n : k) * ldb)).map { _ in Float(generator.next() % 7) - 3 }
    var c: [Float] = [1, 2, 3, 4, 5]
    var expected = c
    for j in 0..<n {
      var sum: Float = 0
      for p in 0..<k {
        let x = transposed.a ? a[p * lda] : a[p]
        let y = transposed.b ? b[j * ldb + p] : b[p * ldb + j]
        sum += x * y
      }
      expected[j] = 2 * sum + 0.5 * expected[j]
    }
    c.withUnsafeMutableBufferPointer {
      BLAS.gemm(
        transposeA: transposed.a, transposeB: transposed.b, m: m, n: n, k: k, alpha: 2, a: a, lda: lda, b: b,
        ldb: ldb,
        beta: 0.5, c: $0.baseAddress!, ldc: n)
    }
    #expect(c == expected)
  }

  /// OpenBLAS keeps the kernels OPENBLAS_CORETYPE names; without it, a processor with AVX-512
  /// gets the AVX-512 kernels and one with AVX2 at least the AVX2 ones, even where OpenBLAS
  /// would take lesser ones (AVX2 kernels on Zen 4, SSE3 ones on a processor it does not know).
  @Test func theKernelChoiceFollowsOpenBLASCoreType() {
    #if os(Linux)
      let name = BLAS.coreName.lowercased()
      let avx512Cores: Set = ["skylakex", "cooperlake", "sapphirerapids"]
      if let chosen = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !BLAS.kernelsChosen {
        #expect(name == chosen.lowercased())
      } else if BLAS.kernelsChosen {
        #expect(name == (BLAS.processorHasAVX512 ? "skylakex" : "haswell"))
      } else if BLAS.processorHasAVX512 {
        #expect(avx512Cores.contains(name), "\(name)")
      } else if BLAS.processorHasAVX2 {
        #expect(avx512Cores.union(["haswell", "zen"]).contains(name), "\(name)")
      }
    #endif
  }

  @Test func threadSettingIsRestoredAfterSingleThreadedWork() {
    let before = BLAS.configuredThreads
    let inside = BLAS.withSingleThread { BLAS.threads }
    #expect(inside == 1)
    #expect(BLAS.configuredThreads == before)
  }

  /// Single-threaded work that overlaps (one call starting inside another, as two threads'
  /// calls may) leaves BLAS's count as it was once both are done.
  @Test func overlappingSingleThreadedWorkRestoresTheCount() {
    let before = BLAS.configuredThreads
    let nested = BLAS.withSingleThread { BLAS.withSingleThread { BLAS.threads } }
    #expect(nested == 1)
    let overlapping = (0..<8).map { _ in 0 }
    DispatchQueue.concurrentPerform(iterations: overlapping.count) { _ in
      BLAS.withSingleThread { #expect(BLAS.threads == 1) }
    }
    #expect(BLAS.configuredThreads == before)
  }
}

import CGlossaKernels
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The inner loops of embedding training over raw rows: a dot product and y += a·x. On x86
/// they run CGlossaKernels' C kernels (AVX2 and FMA when the processor has them, chosen at
/// run time, so the build stays portable); elsewhere, Swift's 16-wide SIMD with a scalar tail.
enum VectorKernels {
  @inline(__always)
  static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
  }

  @inline(__always)
  static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
  }

  /// x · y over `n` floats.
  @inline(__always)
  static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    #if arch(x86_64)
      return glossa_dot(x, y, n)
    #else
      var sum = SIMD16<Float>()
      var i = 0
      while i + 16 <= n {
        sum += load(x + i) * load(y + i)
        i += 16
      }
      var total = sum.sum()
      while i < n {
        total += x[i] * y[i]
        i += 1
      }
      return total
    #endif
  }

  /// y += a · x over `n` floats.
  @inline(__always)
  static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    #if arch(x86_64)
      glossa_axpy(a, x, y, n)
    #else
      var i = 0
      while i + 16 <= n {
        store(load(y + i) + a * load(x + i), y + i)
        i += 16
      }
      while i < n {
        y[i] += a * x[i]
        i += 1
      }
    #endif
  }

  /// One output row's two updates in a prediction, in one pass over the row: `gradient` +=
  /// g · v with v as it was, then v += g · h.
  @inline(__always)
  static func outputStep(
    _ g: Float, _ v: UnsafeMutablePointer<Float>, _ h: UnsafePointer<Float>,
    _ gradient: UnsafeMutablePointer<Float>, _ n: Int
  ) {
    #if arch(x86_64)
      glossa_output_step(g, v, h, gradient, n)
    #else
      axpy(g, v, gradient, n)
      axpy(g, h, v, n)
    #endif
  }

  /// Asks the cache for the `n` floats at `row`, which will be read soon: training touches
  /// rows at random, and waiting for memory is most of its time.
  @inline(__always)
  static func prefetch(_ row: UnsafePointer<Float>, _ n: Int) {
    var offset = 0
    while offset < n {
      glossa_prefetch(row + offset)
      offset += 16
    }
  }

  /// y *= a over `n` floats.
  @inline(__always)
  static func scale(_ a: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] *= a }
  }

}

/// σ(x) = 1 / (1 + e^(−x)) from a table of 1,024 steps over [−range, range] (word2vec's ±6,
/// fastText's ±8), exactly 0 or 1 outside it, as both tools saturate: the training loops call
/// it once per output row, where `exp` would dominate.
struct SigmoidTable: Sendable {
  let range: Float
  private let scale: Float
  private let values: [Float]

  init(range: Float) {
    let size = 1024
    self.range = range
    scale = Float(size) / (2 * range)
    values = (0...size).map { i in
      let x = (Float(i) / Float(size) * 2 - 1) * range
      return 1 / (1 + Foundation.exp(-x))
    }
  }

  @inline(__always)
  func callAsFunction(_ x: Float) -> Float {
    guard x > -range else { return 0 }
    guard x < range else { return 1 }
    return values.withUnsafeBufferPointer { $0[Int((x + range) * scale)] }
  }
}

/// A matrix of floats shared by training threads that update it without locks (Hogwild,
/// Recht et al. 2011): updates are sparse, so collisions are rare and harmless.
final class SharedMatrix: @unchecked Sendable {
  let rows: Int
  let columns: Int
  let base: UnsafeMutablePointer<Float>

  init(rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
    let count = max(rows * columns, 1)
    // Training reads rows at random, so with 4 KB pages most reads of a large matrix also
    // miss the TLB; where the system offers 2 MB pages on request (Linux's transparent huge
    // pages), a large matrix asks for them before it is first touched.
    let hugePage = 2 << 20
    let large = count * 4 >= hugePage
    let raw = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: large ? hugePage : 64)
    #if os(Linux)
      if large { _ = madvise(raw, count * 4, MADV_HUGEPAGE) }
    #endif
    base = raw.bindMemory(to: Float.self, capacity: count)
    base.initialize(repeating: 0, count: count)
  }

  deinit { base.deallocate() }

  @inline(__always)
  func row(_ i: Int) -> UnsafeMutablePointer<Float> { base + i * columns }

  /// The whole matrix as an array.
  func array() -> [Float] { Array(UnsafeBufferPointer(start: base, count: rows * columns)) }

}

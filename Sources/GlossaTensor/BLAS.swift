import GlossaLock

#if canImport(Accelerate)
  import Accelerate
#else
  import CBLAS
#endif

/// The small BLAS interface Glossa uses: OpenBLAS on Linux, Accelerate on Apple platforms.
///
/// All matrices are row-major `Float` buffers. Callers pass leading dimensions, so a
/// transposed operand is read in place, never copied.
public enum BLAS {
  /// C = alpha · op(A) · op(B) + beta · C, with op(X) = Xᵀ when the flag is set.
  /// `m × k` is the shape of op(A), `k × n` that of op(B).
  @inline(__always)
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    useThreads(for: m * n * k)
    if m == 1 {
      // One row: c = op(B)ᵀ a, a matrix–vector product that reads B once, where a GEMM would
      // first copy (pack) all of B: stepping a decoder one token at a time is this.
      cblas_sgemv(
        CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, blasInt(transposeB ? n : k),
        blasInt(transposeB ? k : n), alpha, b, blasInt(ldb), a, blasInt(transposeA ? lda : 1), beta, c, 1)
      return
    }
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
      transposeB ? CblasTrans : CblasNoTrans, blasInt(m), blasInt(n), blasInt(k),
      alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
  }

  /// y = alpha · op(A) · x + beta · y, for a `rows × columns` matrix A.
  @inline(__always)
  public static func gemv(
    transpose: Bool, rows: Int, columns: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
    beta: Float = 0, y: UnsafeMutablePointer<Float>
  ) {
    prepare()
    cblas_sgemv(
      CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, blasInt(rows), blasInt(columns),
      alpha, a, blasInt(lda), x, 1, beta, y, 1)
  }

  /// y += alpha · x over `count` elements.
  @inline(__always)
  public static func axpy(
    count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
  ) {
    prepare()
    cblas_saxpy(blasInt(count), alpha, x, 1, y, 1)
  }

  /// The dot product of two `count`-element vectors.
  @inline(__always)
  public static func dot(count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
    prepare()
    return cblas_sdot(blasInt(count), x, 1, y, 1)
  }

  /// The Euclidean norm of a `count`-element vector.
  @inline(__always)
  public static func nrm2(count: Int, x: UnsafePointer<Float>) -> Float {
    prepare()
    return cblas_snrm2(blasInt(count), x, 1)
  }

  /// Sets how many threads OpenBLAS may use for large products (no effect with
  /// Accelerate). Products below ``parallelThreshold`` multiply-adds always run on the
  /// calling thread: splitting them costs more than it saves (measured on 2 cores).
  public static func setThreads(_ count: Int) {
    #if !canImport(Accelerate)
      maximumThreads.withLock { $0 = max(count, 1) }
    #endif
  }

  /// The number of threads OpenBLAS may use for large products: 1 while any thread is inside
  /// ``withSingleThread(_:)``.
  public static var threads: Int {
    singleThreadedWork.withLock { $0 } > 0 ? 1 : configuredThreads
  }

  /// Runs `body` with OpenBLAS on one thread, for work that is itself split across threads.
  /// Calls may overlap (from several threads, or nested): BLAS is back to ``setThreads(_:)``'s
  /// count when the last one returns. (Saving and restoring the count instead had left it at 1
  /// when two calls overlapped.)
  public static func withSingleThread<R>(_ body: () throws -> R) rethrows -> R {
    singleThreadedWork.withLock { $0 += 1 }
    defer { singleThreadedWork.withLock { $0 -= 1 } }
    return try body()
  }

  /// The count ``setThreads(_:)`` gave (or OpenBLAS's own at start), whatever single-threaded
  /// work is under way.
  static var configuredThreads: Int { maximumThreads.withLock { $0 } }

  /// How many ``withSingleThread(_:)`` calls are under way.
  private static let singleThreadedWork = Locked(0)

  /// The smallest product (m · n · k multiply-adds) that OpenBLAS may split across threads.
  public static let parallelThreshold = 1 << 23

  #if canImport(Accelerate)
    private static let maximumThreads = Locked(1)
    @inline(__always) private static func useThreads(for work: Int) {}
    @inline(__always) private static func prepare() {}
  #else
    /// Whether OpenBLAS switched to better kernels than it chose by itself: its AVX-512 ones,
    /// or its AVX2 ones, which it does not choose on every processor that has them (see
    /// `glossa_openblas_choose_kernels`). Made once, before the first call into OpenBLAS:
    /// every entry point below reads it first, so no call is under way while the kernels change.
    static let kernelsChosen: Bool = glossa_openblas_choose_kernels() != 0

    /// The kernels OpenBLAS runs (its name for the processor: SkylakeX, Haswell, …).
    public static var coreName: String {
      _ = kernelsChosen
      return String(cString: openblas_get_corename())
    }

    @inline(__always) private static func prepare() { _ = kernelsChosen }

    /// Whether the processor has the AVX-512 instructions OpenBLAS's SkylakeX kernels use.
    static var processorHasAVX512: Bool { glossa_processor_has_avx512() != 0 }

    /// Whether the processor has the AVX2 and FMA instructions OpenBLAS's Haswell kernels use.
    static var processorHasAVX2: Bool { glossa_processor_has_avx2() != 0 }

    private static let maximumThreads = Locked(Int(openblas_get_num_threads()))

    /// Switches OpenBLAS between one thread and the maximum as the product's size asks.
    @inline(__always) private static func useThreads(for work: Int) {
      _ = kernelsChosen
      // The maximum is read first: it starts as OpenBLAS's own count, which must be taken
      // before a small product sets OpenBLAS to one thread (a lazily read maximum had then
      // become 1 for the rest of the process, unless --threads was given).
      let maximum = threads
      let wanted = work < parallelThreshold ? 1 : maximum
      if wanted != Int(openblas_get_num_threads()) { openblas_set_num_threads(Int32(wanted)) }
    }
  #endif

  @inline(__always)
  private static func blasInt(_ value: Int) -> Int32 { Int32(truncatingIfNeeded: value) }
}

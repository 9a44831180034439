import CGlossaKernels

/// A weight matrix W, `[outputs, inputs]`, copied once into panels of 16 outputs for products
/// x Wᵀ with a few rows of x, many times over: a language model's output layer for the streams
/// generated together (one row per stream), a recurrent layer's W_hh at every step.
///
/// A BLAS GEMM first copies (packs) all of W into its own blocked layout, on every call: for a
/// few rows of x that copy costs as much as the arithmetic. Here the copy is made once; each
/// product then reads every weight once per block of rows (twelve rows by two panels in
/// sixteen-lane AVX-512, six rows by one panel in eight-lane AVX2, the same bits either way),
/// in fused multiply-adds where the processor has them (tested against the plain loop and
/// against BLAS). The panels are a snapshot: a matrix changed afterwards needs a new
/// `PackedMatrix`.
public final class PackedMatrix: @unchecked Sendable {
  /// W's rows.
  public let outputs: Int
  /// W's columns.
  public let inputs: Int
  private let panels: UnsafeMutablePointer<Float>
  private let panelCount: Int

  /// Packs `weight` (`[outputs, inputs]`, row-major).
  public init(_ weight: UnsafePointer<Float>, outputs: Int, inputs: Int) {
    require(outputs > 0 && inputs > 0, "PackedMatrix: sizes \(outputs) × \(inputs) must be positive")
    self.outputs = outputs
    self.inputs = inputs
    panelCount = glossa_panel_count(outputs)
    panels = .allocate(capacity: panelCount * Int(GLOSSA_PANEL) * inputs)
    glossa_pack_panels(weight, outputs, inputs, panels)
  }

  /// Packs a `[outputs, inputs]` tensor.
  public convenience init(_ weight: Tensor) {
    require(weight.rank == 2, "PackedMatrix: a weight of shape \(weight.shape), expected [outputs, inputs]")
    self.init(weight.baseAddress, outputs: weight.shape[0], inputs: weight.shape[1])
  }

  deinit { panels.deallocate() }

  /// y += x Wᵀ for `rows` rows of x (`[rows, inputs]`) into y (`[rows, outputs]`), the panels
  /// split over `threads` (those BLAS may use, unless told) when the product is large enough;
  /// each output is the same however they are split.
  public func multiplyAdd(
    _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, threads: Int = BLAS.threads
  ) {
    multiplyAdd(x, rows: rows, into: y, threads: threads, kernel: Self.kernel)
  }

  /// The widest of the product's kernels that this processor runs.
  static let kernel = PanelKernel(rawValue: glossa_panel_kernel())!

  /// The product by one of its kernels, which tests compare.
  func multiplyAdd(
    _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, threads: Int = 1,
    kernel: PanelKernel
  ) {
    forEachRowRange(rows: panelCount, elementsPerRow: Int(GLOSSA_PANEL) * inputs * rows, threads: threads) {
      range in
      glossa_panel_product_with(
        kernel.rawValue, x, rows, inputs, panels, outputs, range.lowerBound, range.upperBound, y)
    }
  }
}

/// The kernels of ``PackedMatrix``'s product, plainest first.
enum PanelKernel: Int32, CaseIterable {
  /// The plain loop, what the others are tested against.
  case plain = 0
  /// Eight lanes (AVX2 and FMA): six rows times one panel at a time.
  case avx2 = 1
  /// Sixteen lanes (AVX-512): twelve rows times two panels at a time, the same bits as AVX2.
  case avx512 = 2
}

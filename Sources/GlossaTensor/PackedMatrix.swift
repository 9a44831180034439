import CGlossaKernels

/// A weight matrix W, `[outputs, inputs]`, copied once into panels of 16 outputs for products
/// x Wᵀ with a few rows of x: a language model's output layer for the streams generated
/// together, one row per stream.
///
/// A BLAS GEMM first copies (packs) all of W into its own blocked layout, on every call: for a
/// few rows of x that copy costs as much as the arithmetic. Here the copy is made once; each
/// product then reads every weight once, 16 outputs at a time for up to six rows of x,
/// in eight-lane fused multiply-adds where the processor has them (tested against the plain
/// loop and against BLAS). The panels are a snapshot: a matrix changed afterwards needs a new
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
    forEachRowRange(rows: panelCount, elementsPerRow: Int(GLOSSA_PANEL) * inputs * rows, threads: threads) {
      range in
      glossa_panel_product(x, rows, inputs, panels, outputs, range.lowerBound, range.upperBound, y)
    }
  }

  /// The same product by the plain loop, whatever the processor: what the vector version is
  /// tested against.
  func multiplyAddPlain(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
    glossa_panel_product_plain(x, rows, inputs, panels, outputs, 0, panelCount, y)
  }
}

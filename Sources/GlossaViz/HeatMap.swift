import Foundation

/// A matrix drawn as coloured cells, with its row and column labels: a confusion matrix, a
/// CRF's transition scores, or an attention map (which source word each output word read).
/// Larger values are darker; the colour scale runs from the matrix's smallest value to its
/// largest.
public struct HeatMap: Sendable {
  public var title: String
  /// The values, one array per row (rows of unequal length are padded with the smallest value).
  public var values: [[Double]]
  /// One label per row (drawn at the left) and per column (at the top).
  public var rowLabels: [String], columnLabels: [String]
  /// Whether each cell shows its value (readable up to about 15 columns).
  public var showsValues: Bool

  /// A heat map of `values`.
  public init(
    title: String, values: [[Double]], rowLabels: [String], columnLabels: [String], showsValues: Bool? = nil
  ) {
    self.title = title
    self.values = values
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.showsValues = showsValues ?? (values.map(\.count).max() ?? 0 <= 15)
  }

  /// The map as an SVG document, sized to its matrix.
  public var svg: String {
    let columns = max(values.map(\.count).max() ?? 0, columnLabels.count)
    let rows = max(values.count, rowLabels.count)
    let cell = Double(max(14, min(40, 640 / max(columns, 1))))
    let longest = { (labels: [String]) in Double(labels.map(\.count).max() ?? 0) }
    let (left, top) = (12 + 7 * longest(rowLabels), 60 + 5 * longest(columnLabels))
    let (width, height) = (left + cell * Double(columns) + 20, top + cell * Double(rows) + 20)
    let finite = values.joined().filter(\.isFinite)
    let (low, high) = (finite.min() ?? 0, finite.max() ?? 1)
    let span = high > low ? high - low : 1
    func f(_ x: Double) -> String { String(format: "%.1f", x) }
    var out = [
      #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(f(width))" height="\#(f(height))" font-family="sans-serif" font-size="11">"#,
      #"<rect width="\#(f(width))" height="\#(f(height))" fill="white"/>"#,
      #"<text x="\#(f(width / 2))" y="22" text-anchor="middle" font-size="15">\#(svgEscaped(title))</text>"#,
    ]
    for (j, label) in columnLabels.enumerated() {
      let x = left + cell * (Double(j) + 0.5)
      out.append(
        #"<text x="\#(f(x))" y="\#(f(top - 6))" transform="rotate(-60 \#(f(x)) \#(f(top - 6)))">\#(svgEscaped(label))</text>"#
      )
    }
    for (i, label) in rowLabels.enumerated() {
      let y = top + cell * (Double(i) + 0.5) + 4
      out.append(#"<text x="\#(f(left - 6))" y="\#(f(y))" text-anchor="end">\#(svgEscaped(label))</text>"#)
    }
    for i in 0..<rows {
      for j in 0..<columns {
        let value = i < values.count && j < values[i].count ? values[i][j] : low
        // White (low) to dark blue (high).
        let t = value.isFinite ? (value - low) / span : 0
        let (r, g, b) = (255 - 223 * t, 255 - 179 * t, 255 - 75 * t)
        let (x, y) = (left + cell * Double(j), top + cell * Double(i))
        out.append(
          ##"<rect x="\##(f(x))" y="\##(f(y))" width="\##(f(cell))" height="\##(f(cell))" fill="rgb(\##(Int(r)),\##(Int(g)),\##(Int(b)))" stroke="#ddd"/>"##
        )
        if showsValues {
          let text = abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.2g", value)
          out.append(
            #"<text x="\#(f(x + cell / 2))" y="\#(f(y + cell / 2 + 4))" text-anchor="middle" font-size="9" fill="\#(t > 0.55 ? "white" : "black")">\#(text)</text>"#
          )
        }
      }
    }
    out.append("</svg>")
    return out.joined(separator: "\n") + "\n"
  }
}

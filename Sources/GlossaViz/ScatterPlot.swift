import Foundation

/// A scatter plot written as SVG, each point with its label: the lecture's picture of word
/// embeddings projected to 2-D, where related words sit together.
public struct ScatterPlot: Sendable {
  /// One labelled point.
  public struct Point: Sendable {
    /// The horizontal coordinate.
    public let x: Double
    /// The vertical coordinate.
    public let y: Double
    /// The text drawn beside the point.
    public let label: String
    public init(x: Double, y: Double, label: String) {
      self.x = x
      self.y = y
      self.label = label
    }
  }

  public var title: String
  public private(set) var points: [Point] = []

  /// An empty plot.
  public init(title: String) { self.title = title }

  /// Adds a point (non-finite coordinates are skipped).
  public mutating func add(_ point: Point) {
    if point.x.isFinite && point.y.isFinite { points.append(point) }
  }

  /// The plot as an SVG document (800 × 600).
  public var svg: String {
    let (width, height, margin, top) = (800.0, 600.0, 40.0, 50.0)
    let xs = points.map(\.x)
    let ys = points.map(\.y)
    let (x0, x1, y0, y1) = (xs.min() ?? 0, xs.max() ?? 1, ys.min() ?? 0, ys.max() ?? 1)
    let (xSpan, ySpan) = (x1 > x0 ? x1 - x0 : 1, y1 > y0 ? y1 - y0 : 1)
    func px(_ x: Double) -> String {
      String(format: "%.1f", margin + (x - x0) / xSpan * (width - 2 * margin - 60))
    }
    func py(_ y: Double) -> String {
      String(format: "%.1f", height - margin - (y - y0) / ySpan * (height - margin - top))
    }
    var out = [
      #"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" font-family="sans-serif" font-size="11">"#,
      #"<rect width="800" height="600" fill="white"/>"#,
      #"<text x="400" y="28" text-anchor="middle" font-size="16">\#(svgEscaped(title))</text>"#,
    ]
    for point in points {
      let (x, y) = (px(point.x), py(point.y))
      out.append(##"<circle cx="\##(x)" cy="\##(y)" r="3" fill="#1f77b4"/>"##)
      out.append(#"<text x="\#(x)" y="\#(y)" dx="5" dy="-4">\#(svgEscaped(point.label))</text>"#)
    }
    out.append("</svg>")
    return out.joined(separator: "\n") + "\n"
  }
}

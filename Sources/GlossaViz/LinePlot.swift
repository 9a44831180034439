import Foundation

/// A line chart written as SVG: one polyline per series over shared axes, with a title,
/// axis labels, tick values and a legend. Enough to look at loss curves and fitted functions
/// without leaving Swift.
public struct LinePlot: Sendable {
  /// One named line.
  public struct Series: Sendable {
    public let name: String
    public let points: [(x: Double, y: Double)]
    /// A name and its points (non-finite points are skipped).
    public init(_ name: String, _ points: [(x: Double, y: Double)]) {
      self.name = name
      self.points = points.filter { $0.x.isFinite && $0.y.isFinite }
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  /// Whether the y axis is logarithmic (for losses spanning orders of magnitude).
  public var logarithmicY = false
  public private(set) var series: [Series] = []

  /// An empty chart.
  public init(title: String, xLabel: String, yLabel: String, logarithmicY: Bool = false) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.logarithmicY = logarithmicY
  }

  /// Adds a line.
  public mutating func add(_ series: Series) { self.series.append(series) }

  static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

  /// The chart as an SVG document (640 × 400).
  public var svg: String {
    let (width, height, left, right, top, bottom) = (640.0, 400.0, 80.0, 160.0, 40.0, 50.0)
    let points = series.flatMap(\.points).filter { !logarithmicY || $0.y > 0 }
    let transform: (Double) -> Double = { logarithmicY ? log10($0) : $0 }
    let xs = points.map(\.x)
    let ys = points.map { transform($0.y) }
    let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1)
    let (y0, y1) = (ys.min() ?? 0, ys.max() ?? 1)
    let (xSpan, ySpan) = (x1 > x0 ? x1 - x0 : 1, y1 > y0 ? y1 - y0 : 1)
    func px(_ x: Double) -> Double { left + (x - x0) / xSpan * (width - left - right) }
    func py(_ y: Double) -> Double { height - bottom - (transform(y) - y0) / ySpan * (height - top - bottom) }
    var out = [
      #"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" font-family="sans-serif" font-size="12">"#,
      #"<rect width="640" height="400" fill="white"/>"#,
      #"<text x="320" y="24" text-anchor="middle" font-size="15">\#(svgEscaped(title))</text>"#,
      #"<line x1="\#(left)" y1="\#(height - bottom)" x2="\#(width - right)" y2="\#(height - bottom)" stroke="black"/>"#,
      #"<line x1="\#(left)" y1="\#(top)" x2="\#(left)" y2="\#(height - bottom)" stroke="black"/>"#,
      #"<text x="\#((left + width - right) / 2)" y="\#(height - 12)" text-anchor="middle">\#(svgEscaped(xLabel))</text>"#,
      #"<text x="14" y="\#((top + height - bottom) / 2)" text-anchor="middle" transform="rotate(-90 14 \#((top + height - bottom) / 2))">\#(svgEscaped(yLabel))</text>"#,
    ]
    for k in 0...4 {
      let fx = x0 + xSpan * Double(k) / 4
      let fy = y0 + ySpan * Double(k) / 4
      let yValue = logarithmicY ? pow(10, fy) : fy
      out.append(
        #"<text x="\#(px(fx))" y="\#(height - bottom + 16)" text-anchor="middle">\#(format(fx))</text>"#)
      out.append(
        #"<text x="\#(left - 6)" y="\#(height - bottom - (fy - y0) / ySpan * (height - top - bottom) + 4)" text-anchor="end">\#(format(yValue))</text>"#
      )
    }
    for (i, line) in series.enumerated() {
      let color = Self.colors[i % Self.colors.count]
      let coordinates = line.points.filter { !logarithmicY || $0.y > 0 }
        .map { "\(format(px($0.x), 1)),\(format(py($0.y), 1))" }.joined(separator: " ")
      // A line of one point has no length: the point is drawn as a dot instead.
      if let point = line.points.first, !coordinates.contains(" ") {
        out.append(
          #"<circle cx="\#(format(px(point.x), 1))" cy="\#(format(py(point.y), 1))" r="3" fill="\#(color)"/>"#
        )
      } else {
        out.append(#"<polyline fill="none" stroke="\#(color)" stroke-width="2" points="\#(coordinates)"/>"#)
      }
      let ly = top + 10 + Double(i) * 18
      out.append(
        #"<line x1="\#(width - right + 12)" y1="\#(ly)" x2="\#(width - right + 32)" y2="\#(ly)" stroke="\#(color)" stroke-width="2"/>"#
      )
      out.append(#"<text x="\#(width - right + 38)" y="\#(ly + 4)">\#(svgEscaped(line.name))</text>"#)
    }
    out.append("</svg>")
    return out.joined(separator: "\n") + "\n"
  }

  private func format(_ value: Double, _ digits: Int = 3) -> String {
    let magnitude = Swift.abs(value)
    if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e5) {
      let exponent = Int(log10(magnitude).rounded(.down))
      return "\(format(value / pow(10, Double(exponent)), 2))e\(exponent)"
    }
    let scale = pow(10, Double(digits))
    let rounded = (value * scale).rounded() / scale
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }
}

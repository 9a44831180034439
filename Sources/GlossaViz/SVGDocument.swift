import Foundation

/// A picture that renders itself as a standalone SVG document.
public protocol SVGDocument {
  /// The SVG markup.
  var svg: String { get }
}

extension SVGDocument {
  /// Writes the SVG to `url`, through a temporary file renamed into place.
  public func write(to url: URL) throws { try Data(svg.utf8).write(to: url, options: .atomic) }
}

extension LinePlot: SVGDocument {}
extension ScatterPlot: SVGDocument {}
extension HeatMap: SVGDocument {}

import GlossaViz
import Testing

@Suite struct LinePlotTests {
  @Test func eachSeriesBecomesALineWithALegend() {
    var plot = LinePlot(title: "Loss <by> epoch", xLabel: "epoch", yLabel: "loss", logarithmicY: true)
    plot.add(.init("batch", (1...5).map { (Double($0), 1 / Double($0)) }))
    plot.add(.init("stochastic", [(1, 0.5), (2, .nan), (3, 0.01)]))
    let svg = plot.svg
    #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
    #expect(svg.components(separatedBy: "<polyline").count == 3)
    #expect(svg.contains(">batch</text>") && svg.contains(">stochastic</text>"))
    #expect(svg.contains("Loss &lt;by&gt; epoch"))  // escaped
    #expect(!svg.contains("nan"))  // non-finite points are skipped
    // The first series' five points, left to right.
    let line = svg.components(separatedBy: "<polyline")[1]
    let points = line.components(separatedBy: "points=\"")[1].components(separatedBy: "\"")[0].split(
      separator: " ")
    #expect(points.count == 5)
    let xs = points.map { Double($0.split(separator: ",")[0])! }
    #expect(xs == xs.sorted())
  }
}

@Suite struct ScatterPlotTests {
  @Test func eachPointIsACircleWithItsEscapedLabel() {
    var plot = ScatterPlot(title: "words & <vectors>")
    plot.add(.init(x: 0, y: 0, label: "king"))
    plot.add(.init(x: 1, y: 2, label: "\"queen\""))
    plot.add(.init(x: .nan, y: 1, label: "lost"))
    let svg = plot.svg
    #expect(plot.points.count == 2)
    #expect(svg.components(separatedBy: "<circle").count == 3)
    #expect(
      svg.contains(">king</text>") && svg.contains(">&quot;queen&quot;</text>") && !svg.contains("lost"))
    #expect(svg.contains("words &amp; &lt;vectors&gt;"))
  }
}

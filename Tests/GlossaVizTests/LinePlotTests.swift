import GlossaViz
import TestSupport
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

@Suite struct HeatMapTests {
  @Test func eachValueIsACellShadedByItsSize() throws {
    let map = HeatMap(
      title: "attention", values: [[0, 1, 2], [3, 4, 5]], rowLabels: ["a", "b"],
      columnLabels: ["x", "y", "<z>"])
    let outline = try SVGOutline(map.svg)
    #expect(outline.pictures.count == 1)
    #expect(outline.pictures[0]["rect"] == 7)  // the background and 2 × 3 cells
    #expect(map.svg.contains("fill=\"rgb(255,255,255)\"") && map.svg.contains("fill=\"rgb(32,76,180)\""))
    #expect(map.svg.contains(">&lt;z&gt;</text>"))
    #expect(map.showsValues && map.svg.contains(">4</text>"))
    #expect(
      !HeatMap(title: "", values: [Array(repeating: 0, count: 20)], rowLabels: [], columnLabels: [])
        .showsValues)
  }
}

@Suite struct HTMLReportTests {
  @Test func theReportIsOneWellFormedPageWithItsPicturesInline() throws {
    var report = HTMLReport(title: "Demo & <report>", subtitle: "2 cores")
    report.line("before any section")
    report.section("Losses")
    report.line("epoch 1 loss < 2")
    report.line("epoch 2 loss < 1")
    var plot = LinePlot(title: "loss", xLabel: "epoch", yLabel: "loss")
    plot.add(.init("train", [(1, 2), (2, 1)]))
    report.figure(plot, caption: "the loss")
    report.table(header: ["check", "result"], rows: [["XOR", "✓"]])
    report.section("Words")
    var scatter = ScatterPlot(title: "words")
    scatter.add(.init(x: 0, y: 1, label: "king"))
    report.figure(scatter, caption: "a projection")
    let html = report.html
    let outline = try SVGOutline(html)
    #expect(outline.pictures.count == 2)
    #expect(outline.pictures[0]["polyline"] == 1 && outline.pictures[1]["circle"] == 1)
    #expect(report.sections.map(\.title) == ["", "Losses", "Words"])
    // Consecutive lines share one block; text is escaped; nothing is loaded from elsewhere.
    #expect(html.contains("<pre>epoch 1 loss &lt; 2\nepoch 2 loss &lt; 1</pre>"))
    #expect(html.contains("<h1>Demo &amp; &lt;report&gt;</h1>"))
    #expect(
      !html.contains("<script") && !html.contains("http://www.w3.org/1999/xlink") && !html.contains("src="))
    #expect(html.contains("<td>✓</td>"))
  }
}

import Foundation
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
  @Test func aSeriesOfOnePointIsADot() throws {
    var plot = LinePlot(title: "one epoch", xLabel: "epoch", yLabel: "loss")
    plot.add(.init("training", [(1, 0.7)]))
    plot.add(.init("validation", [(1, 0.6), (2, 0.5)]))
    let picture = try #require(SVGOutline(plot.svg).pictures.first)
    #expect(picture["circle"] == 1 && picture["polyline"] == 1)
  }

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

  @Test func aBrowserDrawsEveryPictureAndItsMarks() throws {
    guard let browser = try HeadlessBrowser.required() else { return }
    var report = HTMLReport(title: "drawn")
    var plot = LinePlot(title: "loss", xLabel: "epoch", yLabel: "loss")
    plot.add(.init("train", [(1, 2), (2, 1), (3, 0.5)]))
    report.figure(plot, caption: "a line")
    var dot = LinePlot(title: "one epoch", xLabel: "epoch", yLabel: "loss")
    dot.add(.init("train", [(1, 2)]))
    report.figure(dot, caption: "a dot")
    let heat = HeatMap(
      title: "cells", values: [[1, 0], [0.5, 0.5]], rowLabels: ["a", "b"], columnLabels: ["a", "b"])
    report.figure(heat, caption: "four cells")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-report-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let page = folder.appendingPathComponent("index.html")
    try report.write(to: page)
    let drawn = try HeadlessBrowser.pictures(of: page, browser: browser)
    #expect(drawn.map(\.marks) == [1, 1, 4] && drawn.map(\.visibleMarks) == [1, 1, 4])
    #expect(drawn.allSatisfy { $0.width > 100 && $0.height > 100 })
    // A picture the page hides is measured as not drawn.
    let hidden = try String(contentsOf: page, encoding: .utf8).replacingOccurrences(
      of: "<figure>", with: #"<figure style="display: none">"#)
    try Data(hidden.utf8).write(to: page)
    #expect(
      try HeadlessBrowser.pictures(of: page, browser: browser).allSatisfy {
        $0.width == 0 && $0.visibleMarks == 0
      })
  }
}

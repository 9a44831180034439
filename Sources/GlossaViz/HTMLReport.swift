import Foundation

/// A page of results: sections of text, tables and SVG figures, written as one self-contained
/// HTML file (the pictures inline, no scripts, no fonts or styles from elsewhere), well-formed
/// XML too, so that a test can parse it.
public struct HTMLReport: Sendable {
  /// One piece of a section.
  public enum Block: Sendable {
    /// Lines shown as they are, in a fixed-width font (a program's output).
    case text([String])
    /// A table with a header row.
    case table(header: [String], rows: [[String]])
    /// A picture (its SVG markup) and its caption.
    case figure(svg: String, caption: String)
  }

  /// A titled part of the page.
  public struct Section: Sendable {
    public var title: String
    public var blocks: [Block] = []
  }

  public var title: String
  /// A line under the title (the command, the machine, the time it took).
  public var subtitle: String
  public private(set) var sections: [Section] = []

  /// An empty report.
  public init(title: String, subtitle: String = "") {
    self.title = title
    self.subtitle = subtitle
  }

  /// Starts a new section; what is added next goes into it.
  public mutating func section(_ title: String) { sections.append(Section(title: title)) }

  /// Adds a line of text to the current section (joining the text block it ends with).
  public mutating func line(_ text: String) {
    if sections.isEmpty { section("") }
    if case .text(let lines) = sections[sections.count - 1].blocks.last {
      sections[sections.count - 1].blocks[sections[sections.count - 1].blocks.count - 1] = .text(
        lines + [text])
    } else {
      sections[sections.count - 1].blocks.append(.text([text]))
    }
  }

  /// Adds a table to the current section.
  public mutating func table(header: [String], rows: [[String]]) {
    append(.table(header: header, rows: rows))
  }

  /// Adds a figure to the current section.
  public mutating func figure(_ picture: some SVGDocument, caption: String) {
    append(.figure(svg: picture.svg, caption: caption))
  }

  private mutating func append(_ block: Block) {
    if sections.isEmpty { section("") }
    sections[sections.count - 1].blocks.append(block)
  }

  /// The page.
  public var html: String {
    var out = [
      "<!DOCTYPE html>",
      #"<html xmlns="http://www.w3.org/1999/xhtml" lang="en">"#,
      #"<head><meta charset="utf-8"/><title>\#(svgEscaped(title))</title>"#,
      "<style>",
      "body { font-family: sans-serif; max-width: 900px; margin: 2em auto; padding: 0 1em; color: #222; }",
      "pre { background: #f6f6f6; padding: 0.6em; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; }",
      "figure { margin: 1em 0; } figcaption { color: #555; font-size: 14px; }",
      "svg { max-width: 100%; height: auto; border: 1px solid #eee; }",
      "table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }",
      "</style></head>",
      "<body>",
      "<h1>\(svgEscaped(title))</h1>",
    ]
    if !subtitle.isEmpty { out.append("<p>\(svgEscaped(subtitle))</p>") }
    for section in sections {
      if !section.title.isEmpty { out.append("<h2>\(svgEscaped(section.title))</h2>") }
      for block in section.blocks {
        switch block {
        case .text(let lines):
          out.append("<pre>" + lines.map(svgEscaped).joined(separator: "\n") + "</pre>")
        case .table(let header, let rows):
          out.append("<table>")
          out.append("<tr>" + header.map { "<th>\(svgEscaped($0))</th>" }.joined() + "</tr>")
          for row in rows { out.append("<tr>" + row.map { "<td>\(svgEscaped($0))</td>" }.joined() + "</tr>") }
          out.append("</table>")
        case .figure(let svg, let caption):
          out.append("<figure>")
          out.append(svg.trimmingCharacters(in: .newlines))
          out.append("<figcaption>\(svgEscaped(caption))</figcaption>")
          out.append("</figure>")
        }
      }
    }
    out += ["</body>", "</html>"]
    return out.joined(separator: "\n") + "\n"
  }

  /// Writes the page to `url`, through a temporary file renamed into place.
  public func write(to url: URL) throws { try Data(html.utf8).write(to: url, options: .atomic) }
}

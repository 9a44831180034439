import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// What a page's SVG pictures hold, read with an XML parser: for each `<svg>` element, how
/// many of each element it contains. Parsing fails (throws) when the page is not well-formed.
public struct SVGOutline {
  /// Per picture, element name → count (the `svg` element itself not counted).
  public private(set) var pictures: [[String: Int]] = []

  /// The outline of `markup` (an SVG document, or a page with SVGs inside).
  public init(_ markup: String) throws {
    let delegate = Delegate()
    let parser = XMLParser(data: Data(markup.utf8))
    parser.delegate = delegate
    guard parser.parse() else {
      throw OutlineError(
        message: "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): "
          + (parser.parserError.map { "\($0)" } ?? "unknown error"))
    }
    pictures = delegate.pictures
  }

  /// The error of markup that is not well-formed.
  public struct OutlineError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
  }

  /// Counts elements inside each `svg`.
  final class Delegate: NSObject, XMLParserDelegate {
    var pictures: [[String: Int]] = []
    var depth = 0
    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      if name == "svg" {
        if depth == 0 { pictures.append([:]) }
        depth += 1
      } else if depth > 0 {
        pictures[pictures.count - 1][name, default: 0] += 1
      }
    }
    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
    ) {
      if name == "svg" { depth -= 1 }
    }
  }
}

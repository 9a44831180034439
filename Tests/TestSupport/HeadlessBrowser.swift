import Foundation

/// A page laid out by a real browser: headless Chromium loads a copy of the page with a
/// script that measures every SVG picture after the page has loaded, and prints the DOM.
public enum HeadlessBrowser {
  /// How one `<svg>` came out on the page.
  public struct Picture: Equatable, Sendable {
    /// The rendered size in CSS pixels.
    public let width: Int
    public let height: Int
    /// How many marks (polylines, circles, paths, rectangles but the background) it holds,
    /// and how many of them the browser drew with a non-empty box.
    public let marks: Int
    public let visibleMarks: Int
  }

  /// The browser's executable: `GLOSSA_CHROMIUM`, else `chromium`, `chromium-browser` or
  /// `google-chrome` on the `PATH`; nil when there is none.
  public static var executable: URL? {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["GLOSSA_CHROMIUM"] { return URL(fileURLWithPath: path) }
    let folders = (environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
    for name in ["chromium", "chromium-browser", "google-chrome"] {
      for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
        return URL(fileURLWithPath: "\(folder)/\(name)")
      }
    }
    return nil
  }

  /// The browser, or nil (with a message on standard error) when there is none; under CI a
  /// missing browser is a failure (`scripts/setup.sh --browser` installs Debian's chromium).
  public static func required() throws -> URL? {
    if let executable { return executable }
    if Fixtures.isCI { throw BrowserError(message: "no chromium on the PATH (scripts/setup.sh --browser)") }
    FileHandle.standardError.write(Data("skipped: no chromium on the PATH for the browser check\n".utf8))
    return nil
  }

  /// The script added to the copy of the page: one `width x height x marks x visible` entry
  /// per picture, written into an element the dumped DOM then carries.
  static let measure = """
    <script>
    window.addEventListener("load", function () {
      var pictures = Array.prototype.map.call(document.querySelectorAll("svg"), function (svg) {
        var box = svg.getBoundingClientRect();
        var marks = Array.prototype.slice.call(svg.querySelectorAll("polyline, circle, path, rect"), 1);
        var visible = marks.filter(function (mark) {
          var r = mark.getBoundingClientRect();
          return r.width > 0 || r.height > 0;
        });
        return [Math.round(box.width), Math.round(box.height), marks.length, visible.length].join("x");
      });
      var out = document.createElement("pre");
      out.id = "glossa-layout";
      out.textContent = pictures.join(" ");
      document.body.appendChild(out);
    });
    </script>
    """

  /// Every picture of the page at `page` (a file) as the browser laid it out.
  public static func pictures(of page: URL, browser: URL) throws -> [Picture] {
    let copy = page.deletingLastPathComponent().appendingPathComponent(".measured-\(UUID()).html")
    defer { try? FileManager.default.removeItem(at: copy) }
    let markup = try String(contentsOf: page, encoding: .utf8)
    guard let end = markup.range(of: "</body>", options: .backwards) else {
      throw BrowserError(message: "\(page.path): no </body>")
    }
    try Data(markup.replacingCharacters(in: end, with: measure + "</body>").utf8).write(to: copy)
    let process = Process()
    process.executableURL = browser
    process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", copy.absoluteString]
    let (output, errors) = (Pipe(), Pipe())
    (process.standardOutput, process.standardError) = (output, errors)
    try process.run()
    let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    _ = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let start = dom.range(of: #"<pre id="glossa-layout">"#),
      let stop = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
    else {
      throw BrowserError(
        message: "\(browser.path) exited with \(process.terminationStatus) without measuring the page")
    }
    return try dom[start.upperBound..<stop.lowerBound].split(separator: " ").map { entry in
      let numbers = entry.split(separator: "x").compactMap { Int($0) }
      guard numbers.count == 4 else { throw BrowserError(message: "unreadable measurement '\(entry)'") }
      return Picture(width: numbers[0], height: numbers[1], marks: numbers[2], visibleMarks: numbers[3])
    }
  }

  /// Why a page could not be measured.
  public struct BrowserError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
  }
}

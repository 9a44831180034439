/// Collapses every run of whitespace into one space and trims both ends.
public struct CollapseWhitespace: Normalizer {
  public init() {}
  public func normalize(_ text: inout NormalizedText) {
    var keep: [Int] = []
    var previousSpace = true
    for (i, scalar) in text.scalars.enumerated() {
      let space = scalar.properties.isWhitespace
      if !(space && previousSpace) { keep.append(i) }
      previousSpace = space
    }
    if let last = keep.last, text.scalars[last].properties.isWhitespace { keep.removeLast() }
    text = NormalizedText(
      scalars: keep.map { text.scalars[$0].properties.isWhitespace ? " " : text.scalars[$0] },
      origins: keep.map { text.origins[$0] })
  }
}

extension CollapseWhitespace { public var json: [String: Any]? { nil } }

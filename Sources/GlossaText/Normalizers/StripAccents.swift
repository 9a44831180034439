/// Removes accents: decomposes (NFD) and drops the combining marks.
public struct StripAccents: Normalizer {
  public init() {}
  public func normalize(_ text: inout NormalizedText) {
    guard !text.isASCII else { return }  // no accents to strip
    UnicodeNormalization(.nfd).normalize(&text)
    text.mapScalars { $0.properties.generalCategory == .nonspacingMark ? [] : [$0] }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool { true }
}

extension StripAccents { public var json: [String: Any]? { ["type": "StripAccents"] } }

/// Lowercases every scalar (full Unicode case mapping).
public struct Lowercase: Normalizer {
  public init() {}
  public func normalize(_ text: inout NormalizedText) {
    text.mapScalars { scalar in
      scalar.properties.changesWhenLowercased
        ? Array(scalar.properties.lowercaseMapping.unicodeScalars) : [scalar]
    }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    !text.contains { $0 >= 0x41 && $0 <= 0x5A }
  }
}

extension Lowercase { public var json: [String: Any]? { ["type": "Lowercase"] } }

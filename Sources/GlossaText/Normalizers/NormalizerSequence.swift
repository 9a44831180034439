/// Normalizers applied one after another.
public struct NormalizerSequence: Normalizer {
  /// The normalizers, in order.
  public let normalizers: [any Normalizer]
  public init(_ normalizers: [any Normalizer]) { self.normalizers = normalizers }
  public func normalize(_ text: inout NormalizedText) {
    for normalizer in normalizers { normalizer.normalize(&text) }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    normalizers.allSatisfy { $0.leavesUnchanged(ascii: text) }
  }
}

extension NormalizerSequence {
  public var json: [String: Any]? {
    sequenceJSON("normalizers", normalizers.map(\.json))
  }
}

extension NormalizerSequence {
  init(reading node: JSONNode) throws {
    self.init(try node["normalizers"].array().compactMap { try $0.normalizer() })
  }
}

/// Puts `prefix` in front of a text that is not empty (sentencepiece's `▁`, as Llama-2 and
/// Mistral files prepend it); its scalars stand for the text's first scalar.
public struct Prepend: Normalizer {
  /// What goes in front.
  public let prefix: String
  public init(_ prefix: String) { self.prefix = prefix }
  public func normalize(_ text: inout NormalizedText) {
    guard let first = text.origins.first else { return }
    let added = Array(prefix.unicodeScalars)
    text.scalars.insert(contentsOf: added, at: 0)
    text.origins.insert(contentsOf: repeatElement(first, count: added.count), at: 0)
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool {
    text.isEmpty || prefix.isEmpty
  }
}

extension Prepend { public var json: [String: Any]? { ["type": "Prepend", "prepend": prefix] } }

extension Prepend {
  init(reading node: JSONNode) throws { self.init(try node["prepend"].string()) }
}

import Foundation

/// A Unicode normalization form.
public struct UnicodeNormalization: Normalizer {
  /// The four Unicode normalization forms.
  public enum Form: String, Sendable, CaseIterable { case nfc, nfd, nfkc, nfkd }
  /// The form applied.
  public let form: Form
  public init(_ form: Form) { self.form = form }

  public func normalize(_ text: inout NormalizedText) {
    // ASCII text is the same in every normalization form.
    guard !text.isASCII else { return }
    let form = self.form
    text.mapCharacters { Self.apply(form, to: $0) }
  }

  public func leavesUnchanged(ascii text: UnsafeBufferPointer<UInt8>) -> Bool { true }

  static func apply(_ form: Form, to string: String) -> String {
    let ns = string as NSString
    switch form {
    case .nfc: return ns.precomposedStringWithCanonicalMapping
    case .nfd: return ns.decomposedStringWithCanonicalMapping
    case .nfkc: return ns.precomposedStringWithCompatibilityMapping
    case .nfkd: return ns.decomposedStringWithCompatibilityMapping
    }
  }
}

extension UnicodeNormalization { public var json: [String: Any]? { ["type": form.rawValue.uppercased()] } }

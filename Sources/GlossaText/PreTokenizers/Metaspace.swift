/// When SentencePiece's `▁` is put in front of a text.
public enum MetaspacePrependScheme: String, Sendable, CaseIterable {
  /// In front of every piece handed to the pre-tokenizer.
  case always
  /// Only in front of the piece that starts the text (not after an added token that opens it,
  /// as Llama-2 and Mistral files without the legacy behaviour have it).
  case first
  /// Never.
  case never
}

/// SentencePiece's convention: spaces become `▁`, a `▁` is put in front of the text, and
/// each piece starts at a `▁`.
public struct Metaspace: PreTokenizer {
  /// The character that stands for a space.
  public let replacement: Unicode.Scalar
  /// When `▁` is put in front of the text.
  public let prependScheme: MetaspacePrependScheme
  /// Whether pieces are cut before each `▁`.
  public let splits: Bool
  public init(
    replacement: Unicode.Scalar = "▁", prependScheme: MetaspacePrependScheme = .always, splits: Bool = true
  ) {
    self.replacement = replacement
    self.prependScheme = prependScheme
    self.splits = splits
  }

  public func split(_ text: NormalizedText) -> [NormalizedText] {
    let text = prepare(text)
    guard splits else { return text.scalars.isEmpty ? [] : [text] }
    var pieces: [NormalizedText] = []
    var start = 0
    for (i, scalar) in text.scalars.enumerated() where scalar == replacement && i > start {
      pieces.append(text.slice(start..<i))
      start = i
    }
    if start < text.scalars.count { pieces.append(text.slice(start..<text.scalars.count)) }
    return pieces
  }

  /// The cuts ``split(_:)`` makes, before each space (or `▁`) that does not open the text,
  /// for a scheme under which a piece is written the same wherever it is (not `first`).
  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? {
    guard prependScheme != .first else { return nil }
    guard splits else { return scalars.isEmpty ? [] : [scalars.indices] }
    var ranges: [Range<Int>] = []
    var start = 0
    for (i, scalar) in scalars.enumerated() where (scalar == " " || scalar == replacement) && i > start {
      ranges.append(start..<i)
      start = i
    }
    if start < scalars.count { ranges.append(start..<scalars.count) }
    return ranges
  }

  /// Spaces written as `▁`, and `▁` put in front as the scheme says.
  public func prepare(_ piece: NormalizedText) -> NormalizedText {
    var text = piece
    text.mapScalars { $0 == " " ? [replacement] : [$0] }
    let prepends =
      switch prependScheme {
      case .always: true
      // Where the piece starts in the original text, as HuggingFace's `offsets_original`.
      case .first: text.origins.first?.lowerBound == 0
      case .never: false
      }
    if prepends, let first = text.scalars.first, first != replacement {
      text.scalars.insert(replacement, at: 0)
      text.origins.insert(text.origins[0], at: 0)  // the new mark stands for the first character
    }
    return text
  }
}

extension Metaspace {
  public var json: [String: Any]? {
    [
      "type": "Metaspace", "replacement": String(replacement),
      "prepend_scheme": prependScheme.rawValue,
      "split": splits,
    ]
  }
}

extension Metaspace {
  init(reading node: JSONNode) throws {
    let (replacement, scheme) = try node.metaspace()
    self.init(
      replacement: replacement, prependScheme: scheme, splits: try node["split"].optionalBool() ?? true)
  }
}

extension JSONNode {
  /// A `Metaspace` object's replacement (one character, required) and prepend scheme, read as
  /// HuggingFace reads them for the pre-tokenizer and the decoder alike: the older
  /// `add_prefix_space: false` stands only beside `prepend_scheme: never` (HF refuses it
  /// alone, the scheme's default being always).
  func metaspace() throws -> (Unicode.Scalar, MetaspacePrependScheme) {
    let replacement = try self["replacement"].string()
    guard let scalar = replacement.unicodeScalars.first, replacement.unicodeScalars.count == 1 else {
      throw self["replacement"].fail("expected one character")
    }
    var scheme = try self["prepend_scheme"].named(default: MetaspacePrependScheme.always)
    if try !self["add_prefix_space"].bool(default: true) {
      guard scheme == .never else {
        throw self["add_prefix_space"].fail("add_prefix_space false contradicts prepend_scheme \(scheme)")
      }
      scheme = .never
    }
    return (scalar, scheme)
  }
}

/// Text being normalized and split, which never forgets where each of its scalars came
/// from: `origins[i]` is the range of scalars of the original text that scalar `i` stands
/// for. Offsets reported to the user always point into the original text.
public struct NormalizedText: Sendable, Equatable {
  /// The current scalars.
  public var scalars: [Unicode.Scalar]
  /// Whether every scalar is ASCII (which no Unicode normalization changes).
  public var isASCII: Bool { scalars.allSatisfy(\.isASCII) }
  /// For each current scalar, the original scalars it came from.
  public var origins: [Range<Int>]

  /// The text as it is, each scalar its own origin.
  public init(_ text: String) { self.init(scalars: Array(text.unicodeScalars)) }

  /// These scalars as they are, each its own origin.
  init(scalars: [Unicode.Scalar]) {
    self.scalars = scalars
    origins = (0..<scalars.count).map { $0..<($0 + 1) }
  }

  init(scalars: [Unicode.Scalar], origins: [Range<Int>]) {
    self.scalars = scalars
    self.origins = origins
  }

  /// Whether it is still `original`: the same scalars, each its own origin.
  func isUnchanged(from original: [Unicode.Scalar]) -> Bool {
    scalars == original && origins.indices.allSatisfy { origins[$0] == $0..<($0 + 1) }
  }

  /// The current text.
  public var text: String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  /// The part of the original text that scalars `range` come from.
  public func originalRange(of range: Range<Int>) -> Range<Int> {
    guard !range.isEmpty else {
      let at =
        range.lowerBound < origins.count
        ? origins[range.lowerBound].lowerBound : (origins.last?.upperBound ?? 0)
      return at..<at
    }
    return origins[range.lowerBound].lowerBound..<origins[range.upperBound - 1].upperBound
  }

  /// Replaces each scalar by zero or more scalars, which inherit its origin.
  public mutating func mapScalars(_ transform: (Unicode.Scalar) -> [Unicode.Scalar]) {
    mapScalars { scalar, emit in
      for replacement in transform(scalar) { emit(replacement) }
    }
  }

  /// Replaces each scalar by the scalars `transform` gives to `emit` (none, one or more), which
  /// inherit its origin: no array is made per scalar.
  public mutating func mapScalars(
    _ transform: (Unicode.Scalar, _ emit: (Unicode.Scalar) -> Void) -> Void
  ) {
    var newScalars: [Unicode.Scalar] = []
    var newOrigins: [Range<Int>] = []
    newScalars.reserveCapacity(scalars.count)
    newOrigins.reserveCapacity(scalars.count)
    for (scalar, origin) in zip(scalars, origins) {
      transform(scalar) { replacement in
        newScalars.append(replacement)
        newOrigins.append(origin)
      }
    }
    scalars = newScalars
    origins = newOrigins
  }

  /// Replaces each user-perceived character (grapheme cluster) by `transform` of it. The
  /// k-th new scalar keeps the origin of the k-th old one (the last old one when there are
  /// more new ones), as HuggingFace aligns them: "é" composed from e + ◌́ stands for the
  /// e, each "." of "…" → "..." for the "…".
  public mutating func mapCharacters(_ transform: (String) -> String) {
    var newScalars: [Unicode.Scalar] = []
    var newOrigins: [Range<Int>] = []
    var i = 0
    for character in text {
      let count = character.unicodeScalars.count
      let replaced = Array(transform(String(character)).unicodeScalars)
      for k in replaced.indices { newOrigins.append(origins[i + min(k, count - 1)]) }
      newScalars += replaced
      i += count
    }
    scalars = newScalars
    origins = newOrigins
  }

  /// Rewrites the text as HuggingFace's `NormalizedString::transform` does: each new scalar with
  /// its change, 0 for one that replaces the next old scalar (taking its origin), +1 for one
  /// inserted (taking the origin of the old scalar before it), −k for one that replaces the
  /// next old scalar and removes the k after it. Old scalars left over at the end are removed.
  mutating func transform(_ changes: [(scalar: Unicode.Scalar, change: Int)]) {
    var newScalars: [Unicode.Scalar] = []
    var newOrigins: [Range<Int>] = []
    newScalars.reserveCapacity(changes.count)
    newOrigins.reserveCapacity(changes.count)
    // HF gives a scalar inserted before any old one the empty range at the text's start.
    let start = origins.first.map { $0.lowerBound..<$0.lowerBound } ?? 0..<0
    let end = origins.last.map { $0.upperBound..<$0.upperBound } ?? 0..<0
    var old = 0
    for (scalar, change) in changes {
      if change > 0 {
        newOrigins.append(old == 0 ? start : origins[min(old, origins.count) - 1])
      } else {
        newOrigins.append(old < origins.count ? origins[old] : end)
        old += 1 - change
      }
      newScalars.append(scalar)
    }
    scalars = newScalars
    origins = newOrigins
  }

  /// The scalars `range` as a piece of their own.
  public func slice(_ range: Range<Int>) -> NormalizedText {
    NormalizedText(scalars: Array(scalars[range]), origins: Array(origins[range]))
  }
}

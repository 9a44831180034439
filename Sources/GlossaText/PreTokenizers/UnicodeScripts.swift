/// HuggingFace's `UnicodeScripts` pre-tokenizer (sentencepiece's rule that a piece keeps to one
/// script): the text is cut wherever the script changes. Hiragana, Katakana and `ー` count as
/// Han; the space and code points HF knows no script for belong to the piece before them (and
/// are dropped before the first piece, as HF drops them). The scripts are HF's own, read from it
/// (`runs`, made by scripts/make_unicode_scripts.py).
public struct UnicodeScripts: PreTokenizer {
  public init() {}

  public func split(_ text: NormalizedText) -> [NormalizedText] { cuts(text.scalars).map(text.slice) }

  public func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>]? { cuts(scalars) }

  public var onlyCuts: Bool { true }

  public var json: [String: Any]? { ["type": "UnicodeScripts"] }

  /// The pieces: from each scalar whose script differs from the last script seen to the next.
  private func cuts(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
    var starts: [Int] = []
    var last: UInt8 = 0
    for (i, scalar) in scalars.enumerated() {
      let script = Self.script(of: scalar)
      guard script != 0 else { continue }
      if script != last { starts.append(i) }
      last = script
    }
    return starts.indices.map { k in starts[k]..<(k + 1 < starts.count ? starts[k + 1] : scalars.count) }
  }

  /// The script of a scalar as HuggingFace numbers them here (0: none).
  public static func script(of scalar: Unicode.Scalar) -> UInt8 {
    let (starts, scripts) = table
    // The last run that starts at or before the scalar.
    var low = 0
    var high = starts.count
    while high - low > 1 {
      let middle = (low + high) / 2
      if starts[middle] <= scalar.value { low = middle } else { high = middle }
    }
    return scripts[low]
  }

  /// `runs` read once: each run's first code point, and its script.
  private static let table: (starts: [UInt32], scripts: [UInt8]) = {
    var starts: [UInt32] = []
    var scripts: [UInt8] = []
    for entry in runs.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
      let parts = entry.split(separator: ":")
      starts.append(UInt32(parts[0], radix: 16)!)
      scripts.append(UInt8(parts[1])!)
    }
    return (starts, scripts)
  }()
}

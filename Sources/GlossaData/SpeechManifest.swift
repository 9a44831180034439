import Foundation

/// A clip and what is said in it: a line `path<TAB>transcript` of a speech manifest, the path
/// relative to the manifest's folder unless absolute.
public struct TranscribedClip: Sendable, Equatable {
  /// The audio file.
  public var audio: URL
  /// What is said.
  public var transcript: String

  public init(audio: URL, transcript: String) { (self.audio, self.transcript) = (audio, transcript) }

  /// The clips of a manifest, one per line (blank lines skipped). Errors name the file and
  /// line: no tab, an empty path or transcript, no clips. The audio files are not opened.
  public static func read(_ url: URL) throws -> [TranscribedClip] {
    let lines = try NumberedLines(url)
    let folder = url.deletingLastPathComponent()
    var clips: [TranscribedClip] = []
    for (number, line) in lines where !line.allSatisfy(\.isWhitespace) {
      let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
      guard fields.count == 2 else { throw lines.error(number, "expected path<TAB>transcript, found no tab") }
      let (path, transcript) = (String(fields[0]), String(fields[1]))
      guard !path.allSatisfy(\.isWhitespace) else {
        throw lines.error(number, "the path is empty", field: "path")
      }
      guard !transcript.allSatisfy(\.isWhitespace) else {
        throw lines.error(number, "the transcript is empty", field: "transcript")
      }
      let audio = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
      clips.append(TranscribedClip(audio: audio, transcript: transcript))
    }
    guard !clips.isEmpty else { throw lines.error(nil, "no clips (expected path<TAB>transcript lines)") }
    return clips
  }
}

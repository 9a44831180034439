import Foundation

/// Audio samples in memory: each channel's samples as floats in [−1, 1] at a sample rate.
public struct AudioClip: Sendable, Equatable {
  /// The samples of each channel, all of one length.
  public var channels: [[Float]]
  /// Samples per second.
  public var sampleRate: Int

  /// A clip of `channels` (of equal lengths) at `sampleRate`.
  public init(channels: [[Float]], sampleRate: Int) {
    precondition(sampleRate > 0, "AudioClip: a sample rate must be positive")
    precondition(Set(channels.map(\.count)).count <= 1, "AudioClip: channels of different lengths")
    (self.channels, self.sampleRate) = (channels, sampleRate)
  }

  /// A one-channel clip.
  public init(mono samples: [Float], sampleRate: Int) {
    self.init(channels: [samples], sampleRate: sampleRate)
  }

  /// Samples per channel.
  public var count: Int { channels.first?.count ?? 0 }
  /// Seconds.
  public var duration: Double { Double(count) / Double(sampleRate) }

  /// The one channel of a mono clip, or the mean of the channels when `mixDown` is set;
  /// otherwise a clip of several channels is an error (a recogniser hears one).
  public func monoSamples(mixDown: Bool = false, file: String = "<clip>") throws -> [Float] {
    if channels.count == 1 { return channels[0] }
    guard mixDown, !channels.isEmpty else {
      throw AudioFileError(
        file: file, offset: nil,
        message: "\(channels.count) channels, expected one (mix them down to read it as mono)")
    }
    let scale = 1 / Float(channels.count)
    return (0..<count).map { i in channels.reduce(0) { $0 + $1[i] } * scale }
  }
}

/// A WAV file that cannot be read: which file, at which byte offset, what was expected.
public struct AudioFileError: Error, CustomStringConvertible, Equatable {
  public let file: String
  public let offset: Int?
  public let message: String

  public var description: String { offset.map { "\(file): byte \($0): \(message)" } ?? "\(file): \(message)" }
}

/// RIFF WAVE files: 8-bit unsigned, 16-, 24- and 32-bit signed PCM and 32-bit float samples
/// (also in WAVE_FORMAT_EXTENSIBLE), any number of channels; written as 16-bit PCM or 32-bit
/// float, through a temporary file renamed into place.
public enum WAV {
  /// The clip in the WAV file at `url`.
  public static func read(_ url: URL) throws -> AudioClip {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw AudioFileError(file: url.path, offset: nil, message: "cannot be read")
    }
    return try decode(data, file: url.path)
  }

  /// The clip in WAV bytes; `file` names them in errors.
  public static func decode(_ data: Data, file: String = "<wav>") throws -> AudioClip {
    let bytes = [UInt8](data)
    func fail(_ offset: Int?, _ message: String) -> AudioFileError {
      AudioFileError(file: file, offset: offset, message: message)
    }
    func integer(_ offset: Int, _ size: Int) -> Int {
      (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
    guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8)
    else { throw fail(0, "not a RIFF WAVE file (expected 'RIFF', a size and 'WAVE')") }
    var format: Format?
    var offset = 12
    while offset + 8 <= bytes.count {
      let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
      let size = integer(offset + 4, 4)
      let body = offset + 8
      guard size <= bytes.count - body else {
        throw fail(offset + 4, "the '\(id)' chunk claims \(size) bytes, only \(bytes.count - body) are left")
      }
      if id == "fmt " {
        guard size >= 16 else {
          throw fail(offset + 4, "a 'fmt ' chunk of \(size) bytes, expected at least 16")
        }
        var code = integer(body, 2)
        if code == 0xFFFE {
          // WAVE_FORMAT_EXTENSIBLE: the format's code starts the sub-format GUID.
          guard size >= 40 else {
            throw fail(body, "an extensible 'fmt ' chunk of \(size) bytes, expected 40")
          }
          code = integer(body + 24, 2)
        }
        format = Format(
          code: code, channels: integer(body + 2, 2), rate: integer(body + 4, 4), bits: integer(body + 14, 2),
          offset: body)
      } else if id == "data" {
        guard let format else { throw fail(offset, "a 'data' chunk before the 'fmt ' chunk") }
        return try samples(bytes, body, size, format, fail)
      }
      offset = body + size + size % 2  // chunks are padded to an even size
    }
    throw fail(
      bytes.count,
      format == nil ? "the file ends without a 'fmt ' chunk" : "the file ends without a 'data' chunk")
  }

  /// What a 'fmt ' chunk says, and where its body starts (for errors).
  private struct Format {
    var code: Int, channels: Int, rate: Int, bits: Int, offset: Int
  }

  private static func samples(
    _ bytes: [UInt8], _ start: Int, _ size: Int, _ format: Format, _ fail: (Int?, String) -> AudioFileError
  ) throws -> AudioClip {
    let (code, channelCount, rate, bits) = (format.code, format.channels, format.rate, format.bits)
    guard channelCount > 0 else { throw fail(format.offset + 2, "a format of 0 channels") }
    guard rate > 0 else { throw fail(format.offset + 4, "a sample rate of 0") }
    let supported = (code == 1 && [8, 16, 24, 32].contains(bits)) || (code == 3 && bits == 32)
    guard supported else {
      throw fail(
        format.offset,
        "format \(code) with \(bits)-bit samples; expected PCM (1) of 8, 16, 24 or 32 bits, or float (3) of 32"
      )
    }
    let width = bits / 8
    let frames = size / (width * channelCount)
    var channels = [[Float]](repeating: [Float](repeating: 0, count: frames), count: channelCount)
    for frame in 0..<frames {
      for channel in 0..<channelCount {
        let at = start + (frame * channelCount + channel) * width
        var raw = 0
        for k in 0..<width { raw |= Int(bytes[at + k]) << (8 * k) }
        let value: Float
        switch (code, bits) {
        case (3, _): value = Float(bitPattern: UInt32(raw))
        case (_, 8): value = (Float(raw) - 128) / 128
        default:
          // Sign-extend the little-endian integer and scale by 2^(bits − 1).
          let signed = raw >= 1 << (bits - 1) ? raw - (1 << bits) : raw
          value = Float(Double(signed) / Double(1 << (bits - 1)))
        }
        guard value.isFinite else { throw fail(at, "a sample that is not a finite number") }
        channels[channel][frame] = value
      }
    }
    return AudioClip(channels: channels, sampleRate: rate)
  }

  /// The WAV bytes of `clip`: 16-bit PCM (samples clipped to [−1, 1]) or 32-bit float.
  public static func encode(_ clip: AudioClip, float: Bool = false) -> Data {
    let (channels, width) = (clip.channels.count, float ? 4 : 2)
    let size = clip.count * channels * width
    var data = Data()
    func append(_ value: Int, _ bytes: Int) {
      for k in 0..<bytes { data.append(UInt8((value >> (8 * k)) & 0xFF)) }
    }
    data.append(contentsOf: Array("RIFF".utf8))
    append(36 + size, 4)
    data.append(contentsOf: Array("WAVEfmt ".utf8))
    append(16, 4)
    append(float ? 3 : 1, 2)
    append(channels, 2)
    append(clip.sampleRate, 4)
    append(clip.sampleRate * channels * width, 4)
    append(channels * width, 2)
    append(width * 8, 2)
    data.append(contentsOf: Array("data".utf8))
    append(size, 4)
    data.reserveCapacity(data.count + size)
    for frame in 0..<clip.count {
      for channel in clip.channels {
        let sample = channel[frame]
        if float {
          append(Int(sample.bitPattern), 4)
        } else {
          // The reader's scale, 2¹⁵, so that a sample read from a 16-bit file writes back the same.
          append(Int(max(-32768, min(32767, (sample * 32768).rounded()))), 2)
        }
      }
    }
    return data
  }

  /// Writes `clip` to `url` through a temporary file renamed into place.
  public static func write(_ clip: AudioClip, to url: URL, float: Bool = false) throws {
    try encode(clip, float: float).write(to: url, options: .atomic)
  }
}

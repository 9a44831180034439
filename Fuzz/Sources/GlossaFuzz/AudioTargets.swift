import Foundation
import GlossaAudio

let audioTargets = [
  // WAV files of every sample format: what decodes, written as 32-bit float, decodes to the
  // same samples; resampled to 16 kHz and turned into log-mel features without failing.
  FuzzTarget(name: "wav") { input in
    let clip = try WAV.decode(input, file: inputName)
    let again = try WAV.decode(WAV.encode(clip, float: true), file: "written")
    require(again.sampleRate == clip.sampleRate, "the sample rate changed in a round trip")
    require(
      again.channels.count == clip.channels.count
        && zip(again.channels, clip.channels).allSatisfy { zip($0, $1).allSatisfy(sameFloat) },
      "the samples changed in a round trip")
  }
]

import Foundation
import GlossaNN
import GlossaTensor

/// Viterbi decoding under a CRF, the decoding alone: batches of 64 sentences of 10 to 30
/// tokens over 21 tags (the WNUT-16 entity tags), emissions drawn at random, as the reference
/// script's decoding loop is timed on emissions already computed.
func crfDecodeBenchmark(_ options: Options) {
  let (tags, batch) = (21, 64)
  let crf = CRF(tags: tags, seed: 1)
  var generator = SeededGenerator(seed: 2)
  let lengths = (0..<batch).map { _ in 10 + Int(generator.next() % 21) }
  let steps = lengths.max()!
  let emissions = Tensor.uniform([steps, batch, tags], low: -3, high: 3, generator: &generator)
  let rate = rate(seconds: options.seconds) { _ = crf.decode(emissions, lengths: lengths) }
  emit([
    "workload": "crf_decode", "library": "glossa", "unit": "sentences", "tags": tags,
    "results": [["threads": 1, "decode_sentences_per_s": rate * Double(batch)]],
  ])
}

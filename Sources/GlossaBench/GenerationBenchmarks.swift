import Foundation
import GlossaModels
import GlossaTensor

/// Generation from the peers' PTB-small two-layer LSTM language model (random weights, the
/// synthetic vocabulary of 10,000 words): a prompt of 20 tokens, then 100 tokens drawn one at
/// a time (temperature 1, no top-k or top-p). Reports the latency per token at batch 1 through
/// ``LanguageModel/generate(from:sampling:onToken:)`` (its one-token ``LanguageModel/Stepper``)
/// and, in the same run, through the model's whole-sequence call made one token long (what
/// generation did before the stepper); and tokens per second for 32 streams generated
/// together by ``GenerationBatch``. `benchmarks/torch_generation.py` is PyTorch's side.
func generationBenchmark(_ options: Options) {
  let (promptLength, tokens, streams) = (20, 100, 32)
  var results: [[String: Any]] = []
  for threads in options.threads {
    BLAS.setThreads(threads)
    let model = try! makeLanguageModel(kind: .lstm, layers: 2)
    model.eval()
    let prompt = (0..<promptLength).map { "t\(1 + ($0 * 379) % 9_999)" }.joined(separator: " ")
    var sampling = Sampling()
    sampling.maximumTokens = tokens
    var seed: UInt64 = 0
    let stepped = rate(seconds: options.seconds) {
      sampling.seed = seed
      seed += 1
      precondition(model.generate(from: prompt, sampling: sampling).ids.count == tokens)
    }
    let called = rate(seconds: options.seconds) {
      var generator = SeededGenerator(seed: seed)
      seed += 1
      var ids = [model.endID] + model.tokenizer.encode(prompt).ids
      var (logits, state) = withoutGradients { model(ids, steps: ids.count, batch: 1, state: nil) }
      let vocabulary = model.configuration.vocabularySize
      logits = logits.slice(axis: 0, range: (ids.count - 1)..<ids.count).reshaped([vocabulary])
      for _ in 0..<tokens {
        let next = sampling.choose(logits: logits.scalars, previous: ids, generator: &generator)
        ids.append(next)
        (logits, state) = withoutGradients { model([next], steps: 1, batch: 1, state: state) }
      }
    }
    let batched = rate(seconds: options.seconds) {
      let batch = GenerationBatch(model: model)
      for stream in 0..<streams {
        sampling.seed = UInt64(stream)
        batch.add(prompt: prompt, sampling: sampling)
      }
      while batch.count > 0 { _ = batch.step() }
    }
    results.append([
      "threads": threads, "batch1_ms_per_token": 1000 / (stepped * Double(tokens)),
      "batch1_whole_sequence_call_ms_per_token": 1000 / (called * Double(tokens)),
      "batch32_tokens_per_s": batched * Double(streams * tokens),
    ])
  }
  emit([
    "workload": "generate_lstm2", "library": "glossa", "prompt_tokens": promptLength, "tokens": tokens,
    "results": results,
  ])
}

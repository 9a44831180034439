import Foundation
import GlossaData
import GlossaModels
import GlossaNN
import GlossaTensor

/// Inference alone at batch 1 and batch 32, the sizes of a served model's requests: the
/// PTB-small two-layer LSTM language model over 35 steps (the state carried from call to
/// call; tokens/s) and the bidirectional-LSTM classifier over 200 tokens (sequences/s), both
/// with random weights and synthetic ids. `benchmarks/torch_inference.py` is PyTorch's side.
func inferenceBenchmark(_ options: Options) {
  let (steps, length, vocabulary) = (35, 200, 10_000)
  var results: [[String: Any]] = []
  for threads in options.threads {
    BLAS.setThreads(threads)
    let languageModel = try! makeLanguageModel(kind: .lstm, layers: 2)
    languageModel.eval()
    let classifier = try! makeClassifier()
    classifier.eval()
    var generator = SeededGenerator(seed: 1)
    var result: [String: Any] = ["threads": threads]
    for batch in [1, 32] {
      let ids = (0..<(steps * batch)).map { _ in Int(generator.next() % UInt64(vocabulary)) }
      var state: RecurrentState? = nil
      let tokens = rate(seconds: options.seconds) {
        withoutGradients {
          let (logits, next) = languageModel(ids, steps: steps, batch: batch, state: state)
          state = next
          precondition(logits.shape == [steps * batch, vocabulary])
        }
      }
      result["lstm2_b\(batch)_tokens_per_s"] = tokens * Double(steps * batch)
      let sequences = (0..<batch).map { _ in (0..<length).map { _ in Int(1 + generator.next() % 19_999) } }
      let x = PaddedBatch(sequences, paddingID: 0)
      let classified = rate(seconds: options.seconds) {
        withoutGradients { precondition(classifier.logits(x).argmax(axis: 1).count == batch) }
      }
      result["bilstm_cls_b\(batch)_sequences_per_s"] = classified * Double(batch)
    }
    results.append(result)
  }
  emit(["workload": "inference", "library": "glossa", "results": results])
}

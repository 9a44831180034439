import Foundation
import GlossaNN
import GlossaOptim
import GlossaTensor

/// The peers' word-level language model (PTB-small sizes): Embedding(10000, 200) →
/// recurrent layers (hidden 200) → Linear(200, 10000), batch 20, BPTT 35, the state carried
/// across batches detached, full softmax cross-entropy, SGD lr 1, gradient clipping 0.25,
/// all weights from U(−0.1, 0.1).
final class LanguageModel: Module {
  let embedding: Embedding
  let rnn: RecurrentNetwork
  let decoder: Linear

  init(kind: RecurrentKind, layers: Int, vocabulary: Int = 10_000, size: Int = 200) {
    embedding = Embedding(count: vocabulary, dimension: size)
    rnn = RecurrentNetwork(kind: kind, inputSize: size, hiddenSize: size, layers: layers)
    decoder = Linear(size, vocabulary)
    var generator = SeededGenerator(seed: 0)
    for p in parameters() {
      p.assign(Tensor.uniform(p.shape, low: -0.1, high: 0.1, generator: &generator))
    }
  }

  func callAsFunction(_ ids: [Int], steps: Int, batch: Int, state: RecurrentState?) -> (
    Tensor, RecurrentState
  ) {
    let out = rnn(embedding(ids, shape: [steps, batch]), state: state)
    return (decoder(out.output.reshaped([steps * batch, -1])), out.state)
  }
}

func languageModelBenchmark(_ options: Options) {
  let (kind, layers): (RecurrentKind, Int) =
    switch options.workload {
    case "lstm2": (.lstm, 2)
    case "lstm1": (.lstm, 1)
    case "gru1": (.gru, 1)
    default: (.rnnTanh, 1)
    }
  let (steps, batch, vocabulary) = (35, 20, 10_000)
  var results: [[String: Any]] = []
  for threads in options.threads {
    BLAS.setThreads(threads)
    let model = LanguageModel(kind: kind, layers: layers)
    let optimizer = SGD(model.parameters(), learningRate: 1)
    var generator = SeededGenerator(seed: 1)
    let data = (0..<(steps * 64 + 1) * batch).map { _ in Int(generator.next() % UInt64(vocabulary)) }
    var position = 0
    var state: RecurrentState? = nil
    func nextBatch() -> ([Int], [Int]) {
      let start = position * batch
      position = (position + steps) % (steps * 64)
      return (
        Array(data[start..<(start + steps * batch)]),
        Array(data[(start + batch)..<(start + batch + steps * batch)])
      )
    }
    model.train()
    let train = rate(seconds: options.seconds) {
      let (x, y) = nextBatch()
      optimizer.zeroGrad()
      let (logits, newState) = model(x, steps: steps, batch: batch, state: state?.detached())
      state = newState
      crossEntropy(logits, targets: y).backward()
      clipGradientNorm(model.parameters(), maxNorm: 0.25)
      optimizer.step()
    }
    model.eval()
    let infer = rate(seconds: options.seconds) {
      let (x, y) = nextBatch()
      withoutGradients {
        let (logits, newState) = model(x, steps: steps, batch: batch, state: state)
        state = newState
        _ = crossEntropy(logits, targets: y)
      }
    }
    results.append([
      "threads": threads, "train_tokens_per_s": train * Double(steps * batch),
      "infer_tokens_per_s": infer * Double(steps * batch),
    ])
  }
  emit(["workload": options.workload, "library": "glossa", "unit": "tokens", "results": results])
}

/// The peers' classifier: Embedding(20000, 100) → bidirectional LSTM (hidden 128,
/// batch-first) → the final forward and backward states concatenated → Linear(256, 2);
/// batch 64, length 200, cross-entropy, Adam lr 1e-3.
final class Classifier: Module {
  let embedding = Embedding(count: 20_000, dimension: 100)
  let rnn = LSTM(inputSize: 100, hiddenSize: 128, bidirectional: true, batchFirst: true)
  let output = Linear(256, 2)

  func callAsFunction(_ ids: [Int], batch: Int, length: Int) -> Tensor {
    let hidden = rnn(embedding(ids, shape: [batch, length])).state.hidden  // [2, batch, 128]
    return output(Tensor.concatenate(hidden.split(sizes: [1, 1], axis: 0), axis: 2).reshaped([batch, 256]))
  }
}

func classifierBenchmark(_ options: Options) {
  let (batch, length) = (64, 200)
  var results: [[String: Any]] = []
  for threads in options.threads {
    BLAS.setThreads(threads)
    let model = Classifier()
    let optimizer = Adam(model.parameters(), learningRate: 1e-3)
    var generator = SeededGenerator(seed: 1)
    let x = (0..<(batch * length)).map { _ in Int(generator.next() % 20_000) }
    let y = (0..<batch).map { _ in Int(generator.next() % 2) }
    let train = rate(seconds: options.seconds) {
      optimizer.zeroGrad()
      crossEntropy(model(x, batch: batch, length: length), targets: y).backward()
      optimizer.step()
    }
    let infer = rate(seconds: options.seconds) {
      withoutGradients { _ = model(x, batch: batch, length: length).argmax(axis: 1) }
    }
    results.append([
      "threads": threads, "train_sequences_per_s": train * Double(batch),
      "infer_sequences_per_s": infer * Double(batch),
    ])
  }
  emit(["workload": "bilstm_cls", "library": "glossa", "unit": "sequences", "results": results])
}

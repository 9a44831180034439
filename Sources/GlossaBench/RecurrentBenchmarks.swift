import Foundation
import GlossaData
import GlossaModels
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaText

/// A word-level tokenizer.json of `count` made-up tokens (`<eos>` among them): the benchmarks
/// feed synthetic ids, so only the vocabulary's size matters.
func syntheticTokenizer(_ count: Int) throws -> Data {
  var ids = ["<eos>": 0]
  for k in 1..<count { ids["t\(k)"] = k }
  return try TokenizerFile.data(for: WordLevelModel(vocabulary: ids, unknownToken: "t1"), lowercase: false)
}

/// The peers' word-level language model (PTB-small sizes), as Glossa's ``LanguageModel``:
/// Embedding(10000, 200) → recurrent layers (hidden 200) → Linear(200, 10000), batch 20,
/// BPTT 35, the state carried across batches detached, full softmax cross-entropy, SGD lr 1,
/// gradient clipping 0.25, no dropout.
func makeLanguageModel(kind: RecurrentKind, layers: Int, vocabulary: Int = 10_000, size: Int = 200) throws
  -> LanguageModel
{
  var configuration = LanguageModelConfiguration()
  (configuration.cell, configuration.layers, configuration.hidden) = (kind, layers, size)
  (configuration.embeddingDimension, configuration.dropout, configuration.vocabularySize) = (
    size, 0, vocabulary
  )
  return try LanguageModel(configuration: configuration, tokenizerFile: try syntheticTokenizer(vocabulary))
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
    let model = try! makeLanguageModel(kind: kind, layers: layers)
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

/// The peers' classifier, as Glossa's ``TextClassifier``: Embedding(20000, 100) → bidirectional
/// LSTM (hidden 128) → the final forward and backward states concatenated → Linear(256, 2);
/// batch 64, length 200, cross-entropy, Adam lr 1e-3, no dropout.
func makeClassifier() throws -> TextClassifier {
  var configuration = TextClassifierConfiguration(labels: ["neg", "pos"])
  (configuration.hidden, configuration.embeddingDimension, configuration.dropout) = (128, 100, 0)
  (configuration.vocabularySize, configuration.maximumLength, configuration.paddingID) = (20_000, 200, 0)
  return try TextClassifier(configuration: configuration, tokenizerFile: try syntheticTokenizer(20_000))
}

func classifierBenchmark(_ options: Options) {
  let (batch, length) = (64, 200)
  var results: [[String: Any]] = []
  for threads in options.threads {
    BLAS.setThreads(threads)
    let model = try! makeClassifier()
    let optimizer = Adam(model.parameters(), learningRate: 1e-3)
    var generator = SeededGenerator(seed: 1)
    let sequences = (0..<batch).map { _ in (0..<length).map { _ in Int(1 + generator.next() % 19_999) } }
    let x = PaddedBatch(sequences, paddingID: 0)
    let y = (0..<batch).map { _ in Int(generator.next() % 2) }
    let train = rate(seconds: options.seconds) {
      optimizer.zeroGrad()
      crossEntropy(model.logits(x), targets: y).backward()
      optimizer.step()
    }
    model.eval()
    let infer = rate(seconds: options.seconds) {
      withoutGradients { _ = model.logits(x).argmax(axis: 1) }
    }
    results.append([
      "threads": threads, "train_sequences_per_s": train * Double(batch),
      "infer_sequences_per_s": infer * Double(batch),
    ])
  }
  emit(["workload": "bilstm_cls", "library": "glossa", "unit": "sequences", "results": results])
}

// Glossa's benchmark program (build with `swift build -c release`, run
// `.build/release/GlossaBench matmul|mlp [--threads 1,2] [--seconds 4]`).
// Each workload prints one JSON line, in the same shape as ../shared/peers/*.py.
import Foundation
import GlossaNN
import GlossaOptim
import GlossaTensor

struct Options {
  var workload = "all"
  var threads = [1, 2]
  var seconds = 4.0
  var tokenizer: String?
  var corpus: String?
  var rounds = 5

  init(_ arguments: [String]) {
    var rest = arguments.makeIterator()
    while let argument = rest.next() {
      switch argument {
      case "--threads": threads = (rest.next() ?? "1").split(separator: ",").compactMap { Int($0) }
      case "--seconds": seconds = Double(rest.next() ?? "") ?? seconds
      case "--tokenizer": tokenizer = rest.next()
      case "--corpus": corpus = rest.next()
      case "--rounds": rounds = Int(rest.next() ?? "") ?? rounds
      default: workload = argument
      }
    }
  }
}

/// Runs `body` until `seconds` have passed (at least 3 times) and returns calls per second.
func rate(seconds: Double, _ body: () -> Void) -> Double {
  body()
  body()
  let start = DispatchTime.now().uptimeNanoseconds
  var calls = 0
  var elapsed = 0.0
  while elapsed < seconds || calls < 3 {
    body()
    calls += 1
    elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }
  return Double(calls) / elapsed
}

func emit(_ object: [String: Any]) {
  let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  print(String(decoding: data, as: UTF8.self))
}

/// `Tensor.matmul` (with its output allocation and graph bookkeeping) against a bare
/// sgemm into a preallocated buffer: the overhead of the tensor layer.
func matmulBenchmark(_ options: Options) {
  BLAS.setThreads(1)
  var results: [[String: Any]] = []
  for n in [64, 128, 256, 512, 1024] {
    var generator = SeededGenerator(seed: 1)
    let a = Tensor.uniform([n, n], generator: &generator)
    let b = Tensor.uniform([n, n], generator: &generator)
    let c = Tensor.zeros([n, n])
    // Alternate the two in short rounds and keep the medians: the machine may be shared.
    let seconds = options.seconds / 25
    var directRates: [Double] = []
    var tensorRates: [Double] = []
    for _ in 0..<5 {
      directRates.append(directRate(a, b, c, n, seconds))
      tensorRates.append(rate(seconds: seconds) { _ = Tensor.matmul(a, b) })
    }
    let direct = median(directRates)
    let viaTensor = median(tensorRates)
    let flops = 2 * Double(n * n * n)
    results.append([
      "n": n, "sgemm_gflops": direct * flops / 1e9, "tensor_gflops": viaTensor * flops / 1e9,
      "overhead_ratio": direct / viaTensor,
    ])
  }
  emit(["workload": "matmul_overhead", "library": "glossa", "threads": 1, "results": results])
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// sgemm calls per second for n × n operands, writing into `c`.
func directRate(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ n: Int, _ seconds: Double) -> Double {
  rate(seconds: seconds) {
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          BLAS.gemm(
            transposeA: false, transposeB: false, m: n, n: n, k: n, a: pa.baseAddress!, lda: n,
            b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n)
        }
      }
    }
  }
}

/// The peers' MLP workload: 784 → 256 (ReLU) → 10, batch 64, cross-entropy, SGD lr 0.1.
func mlpBenchmark(_ options: Options) {
  var results: [[String: Any]] = []
  for threads in options.threads {
    BLAS.setThreads(threads)
    let model = Sequential(Linear(784, 256, seed: 0), Activation(.relu), Linear(256, 10, seed: 1))
    let optimizer = SGD(model.parameters(), learningRate: 0.1)
    var generator = SeededGenerator(seed: 0)
    let x = Tensor.uniform([64, 784], generator: &generator)
    let y = (0..<64).map { _ in Int(generator.next() % 10) }
    let train = rate(seconds: options.seconds) {
      optimizer.zeroGrad()
      let loss = crossEntropy(model(x), targets: y)
      loss.backward()
      optimizer.step()
    }
    let infer = rate(seconds: options.seconds) { withoutGradients { _ = model(x) } }
    results.append([
      "threads": threads, "train_steps_per_s": train, "train_examples_per_s": train * 64,
      "inference_examples_per_s": infer * 64,
    ])
  }
  emit(["workload": "mlp_784_256_10_b64", "library": "glossa", "results": results])
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
switch options.workload {
case "matmul": matmulBenchmark(options)
case "mlp": mlpBenchmark(options)
case "lstm2", "lstm1", "gru1", "rnn1": languageModelBenchmark(options)
case "bilstm_cls": classifierBenchmark(options)
case "generate": generationBenchmark(options)
case "inference": inferenceBenchmark(options)
case "bpe_encode": tokenizerBenchmark(options)
case "word_tokenize": wordTokenizerBenchmark(options)
case "tfidf": tfidfBenchmark(options)
case "crf_decode": crfDecodeBenchmark(options)
case "ctc_loss": ctcBenchmark(options)
case "mel_spectrogram": melBenchmark(options)
case "embedding_scaling": embeddingScalingBenchmark(options)
case "all":
  matmulBenchmark(options)
  mlpBenchmark(options)
  for model in ["lstm2", "gru1", "rnn1"] {
    var modelOptions = options
    modelOptions.workload = model
    languageModelBenchmark(modelOptions)
  }
  classifierBenchmark(options)
default:
  FileHandle.standardError.write(
    Data(
      ("usage: GlossaBench matmul|mlp|lstm2|lstm1|gru1|rnn1|bilstm_cls|generate|inference|crf_decode|ctc_loss|mel_spectrogram|all [--threads 1,2] [--seconds S]\n"
        + "       GlossaBench bpe_encode --tokenizer FILE.json --corpus FILE.txt [--threads 1,2]\n"
        + "       GlossaBench word_tokenize|tfidf --corpus FILE.txt\n"
        + "       GlossaBench embedding_scaling --corpus FILE.txt [--rounds 5]\n").utf8))
  exit(2)
}

import Foundation
import GlossaData
import GlossaEmbeddings
import GlossaTensor
import Synchronization

/// What a second thread gives the embedding trainers, beside what it gives two probes that
/// share nothing with each other but the machine: a loop that never leaves the registers
/// (the cores' own speed, turbo and SMT included) and one that reads and writes random rows
/// of a 10 MB matrix, as the trainers do (the caches and memory), the threads' rows shared
/// or not. The trainers run two epochs (the second from the word ids the first kept) with
/// the benchmarks' settings. Each round runs every workload on one thread, then on two, so
/// each ratio compares runs a few seconds apart;
/// the rounds' median ratios and their ranges are printed, for the speed and for the CPU
/// seconds a unit of work takes (two threads ÷ one: above 1 when the threads slow each other
/// down, through shared cache lines or a busy core). A trainer that scales as far as the
/// probes do is limited by the machine, not by its own code.
func embeddingScalingBenchmark(_ options: Options) {
  guard let path = options.corpus else {
    FileHandle.standardError.write(Data("embedding_scaling needs --corpus FILE.txt\n".utf8))
    exit(2)
  }
  let corpus = Corpus(files: [URL(fileURLWithPath: path)], lowercase: true)
  guard let vocabulary = try? WordCounts(counting: corpus, minimumCount: 5) else {
    FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
    exit(1)
  }
  let words = Double(vocabulary.corpusWords)
  // Each workload: its speed (units per second) on the given threads.
  let workloads: [(name: String, unit: String, run: (Int) -> Double)] = [
    ("registers", "multiply-adds", registerProbe),
    ("shared_rows", "rows", { rowProbe(threads: $0, separate: false) }),
    ("private_rows", "rows", { rowProbe(threads: $0, separate: true) }),
    (
      "skipgram", "words",
      { threads in
        trainingRate {
          try Word2Vec(epochs: 2, threads: threads).train(corpus, vocabulary: vocabulary, progress: $0)
        }
      }
    ),
    (
      "cbow", "words",
      { threads in
        trainingRate {
          try Word2Vec(architecture: .cbow, epochs: 2, threads: threads).train(
            corpus, vocabulary: vocabulary, progress: $0)
        }
      }
    ),
    (
      "fasttext", "words",
      { threads in
        trainingRate {
          try FastText(sample: 1e-3, epochs: 2, threads: threads).train(
            corpus, vocabulary: vocabulary, progress: $0)
        }
      }
    ),
  ]
  let rounds = max(1, options.rounds)
  // Per workload and round: the speed on one and on two threads, and the CPU seconds on
  // two threads ÷ those on one.
  var rates = [[(one: Double, two: Double, cpu: Double)]](repeating: [], count: workloads.count)
  for round in 0..<rounds {
    for (k, workload) in workloads.enumerated() {
      // Every workload does the same work on one thread as on two.
      var (speed, cpu) = ([Double](), [Double]())
      for threads in [1, 2] {
        let cpuStart = processCPUSeconds()
        speed.append(workload.run(threads))
        cpu.append(processCPUSeconds() - cpuStart)
      }
      rates[k].append((speed[0], speed[1], cpu[1] / cpu[0]))
      FileHandle.standardError.write(
        Data(
          "round \(round + 1): \(workload.name), two threads ÷ one: speed \(speed[1] / speed[0]), CPU \(cpu[1] / cpu[0])\n"
            .utf8))
    }
  }
  var results: [[String: Any]] = []
  for (k, workload) in workloads.enumerated() {
    let ratios = rates[k].map { $0.two / $0.one }
    results.append([
      "workload": workload.name, "unit": workload.unit,
      "one_thread_per_s": median(rates[k].map(\.one)), "two_threads_per_s": median(rates[k].map(\.two)),
      "speed_ratio_median": median(ratios), "speed_ratio_min": ratios.min()!,
      "speed_ratio_max": ratios.max()!,
      "cpu_ratio_median": median(rates[k].map(\.cpu)),
    ])
  }
  emit([
    "workload": "embedding_scaling", "library": "glossa", "corpus": path, "corpus_words": Int(words),
    "rounds": rounds, "results": results,
  ])
}

/// Corpus words per second of one training run, timed as the trainers report it (the
/// training alone, not the set-up of its model; the CPU seconds count the whole call).
private func trainingRate(
  _ train: (@escaping @Sendable (TrainingProgress) -> Void) throws -> some Any
) -> Double {
  let last = Mutex<TrainingProgress?>(nil)
  _ = try! train { progress in last.withLock { $0 = progress } }
  return last.withLock { $0!.wordsPerSecond }
}

/// Runs `body` on `threads` threads at once; seconds until the last finishes.
private func timed(threads: Int, _ body: @Sendable (Int) -> Void) -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  DispatchQueue.concurrentPerform(iterations: threads, execute: body)
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Multiply-adds per second of all threads, each on eight independent vectors of eight
/// floats that never leave the registers; the threads share a fixed number of steps.
private func registerProbe(threads: Int) -> Double {
  let steps = 100_000_000 / threads
  let sums = Mutex<[Float]>([])
  let seconds = timed(threads: threads) { thread in
    var lanes = (0..<8).map { SIMD8<Float>(repeating: Float($0 + thread)) }
    var (a, b, c, d, e, f, g, h) = (
      lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5], lanes[6], lanes[7]
    )
    let (m, s) = (SIMD8<Float>(repeating: 0.999_9), SIMD8<Float>(repeating: 0.000_1))
    for _ in 0..<steps {
      (a, b, c, d) = (a * m + s, b * m + s, c * m + s, d * m + s)
      (e, f, g, h) = (e * m + s, f * m + s, g * m + s, h * m + s)
    }
    lanes = [a, b, c, d, e, f, g, h]
    sums.withLock { $0.append(lanes.reduce(0) { $0 + $1.sum() }) }
  }
  precondition(sums.withLock { $0.count } == threads)
  return Double(threads * steps * 64) / seconds
}

/// Rows per second of all threads, each taking random rows of a 24,480 × 104 matrix of
/// floats (10 MB, about the benchmark vocabulary's input and output rows), a dot product with
/// a vector of its own and the row moved along it, without locks: the trainers' memory
/// traffic without their arithmetic. The threads share a fixed number of rows; they take
/// them from the whole matrix, as the trainers do, or each from its own part of it, so that
/// no cache line is written by both.
private func rowProbe(threads: Int, separate: Bool) -> Double {
  let (rows, chunks, steps) = (24_480, 13, 8_000_000 / threads)
  let matrix = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: rows * chunks)
  matrix.initialize(repeating: SIMD8(repeating: 0.01), count: rows * chunks)
  defer { matrix.deallocate() }
  let base = UInt(bitPattern: matrix)
  let part = separate ? rows / threads : rows
  let seconds = timed(threads: threads) { thread in
    let matrix =
      UnsafeMutablePointer<SIMD8<Float>>(bitPattern: base)! + (separate ? thread * part * chunks : 0)
    var random = SeededGenerator(seed: UInt64(thread + 1))
    let vector = SIMD8<Float>(repeating: 0.001)
    for _ in 0..<steps {
      let row = matrix + Int(random.next() % UInt64(part)) * chunks
      var score = SIMD8<Float>()
      for j in 0..<chunks { score += row[j] * vector }
      let g = 0.01 * (1 - score.sum())
      for j in 0..<chunks { row[j] += g * vector }
    }
  }
  return Double(threads * steps) / seconds
}

import Foundation
import GlossaTensor
import GlossaText

/// Encoding throughput of a tokenizer.json over a corpus as the peers' script measures it:
/// every non-empty line, in batches of 10,000 lines, on 1 and 2 threads, each thread count
/// with a freshly loaded tokenizer (a cold memo). MB/s counts the lines' bytes; the CPU
/// seconds of all threads tell a slow machine from a slow encoder.
func tokenizerBenchmark(_ options: Options) {
  guard let path = options.tokenizer, let corpusPath = options.corpus,
    let text = try? String(contentsOfFile: corpusPath, encoding: .utf8)
  else {
    FileHandle.standardError.write(
      Data("bpe_encode needs --tokenizer FILE.json and --corpus FILE.txt\n".utf8))
    exit(2)
  }
  let lines = text.split(separator: "\n").map(String.init).filter {
    !$0.allSatisfy(\.isWhitespace)
  }
  let megabytes = Double(lines.reduce(0) { $0 + $1.utf8.count }) / 1e6
  let batches = stride(from: 0, to: lines.count, by: 10_000).map {
    Array(lines[$0..<min(lines.count, $0 + 10_000)])
  }
  var results: [[String: Any]] = []
  for threads in options.threads {
    guard let tokenizer = try? Tokenizer(contentsOf: URL(fileURLWithPath: path)) else { exit(2) }
    let (start, cpuStart) = (DispatchTime.now().uptimeNanoseconds, processCPUSeconds())
    let tokens = batches.reduce(0) { total, batch in
      tokenizer.encode(batch: batch, threads: threads).reduce(total) { $0 + $1.ids.count }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    results.append([
      "threads": threads, "mb_per_s": megabytes / seconds, "tokens_per_s": Double(tokens) / seconds,
      "tokens": tokens, "seconds": seconds, "cpu_s": processCPUSeconds() - cpuStart,
    ])
  }
  emit(["workload": "bpe_encode", "library": "glossa", "tokenizer": path, "results": results])
}

/// Word tokenization throughput over every non-empty line of a corpus: the regex
/// `\b\w+\b` scanner and NLTK's Treebank rules (MB/s, one thread).
func wordTokenizerBenchmark(_ options: Options) {
  guard let corpusPath = options.corpus, let text = try? String(contentsOfFile: corpusPath, encoding: .utf8)
  else {
    FileHandle.standardError.write(Data("word_tokenize needs --corpus FILE.txt\n".utf8))
    exit(2)
  }
  let lines = text.split(separator: "\n").map(String.init)
  let megabytes = Double(lines.reduce(0) { $0 + $1.utf8.count }) / 1e6
  var results: [[String: Any]] = []
  // The words as strings (what `re.findall` gives), and as tokens with offsets.
  let regex = RegexWordTokenizer()
  let treebank = TreebankTokenizer()
  let tokenizers: [(String, (String) -> Int)] = [
    ("regex", { regex.words($0).count }), ("regex-tokens", { regex.tokenize($0).count }),
    ("treebank", { treebank.words($0).count }),
  ]
  for (name, count) in tokenizers {
    // The median of three passes, as the peers' script reports.
    var tokens = 0
    let times = (0..<3).map { _ in
      let start = DispatchTime.now().uptimeNanoseconds
      tokens = lines.reduce(0) { $0 + count($1) }
      return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    let seconds = times.sorted()[1]
    results.append(["tokenizer": name, "mb_per_s": megabytes / seconds, "tokens": tokens, "seconds": seconds])
  }
  // The same words through `WordScanner`, which hands out byte buffers and makes no String.
  let scanner = WordScanner()
  var words = 0
  let times = (0..<3).map { _ in
    let start = DispatchTime.now().uptimeNanoseconds
    words = 0
    for var line in lines { line.withUTF8 { scanner.scan($0) { _ in words += 1 } } }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }
  let seconds = times.sorted()[1]
  results.append([
    "tokenizer": "regex-scanner", "mb_per_s": megabytes / seconds, "tokens": words, "seconds": seconds,
  ])
  emit(["workload": "word_tokenize", "library": "glossa", "results": results])
}

/// TF-IDF fit-transform over a corpus, one line = one document, with scikit-learn's
/// defaults (lowercase, `\b\w\w+\b`, smooth IDF, l2): seconds and documents/s.
func tfidfBenchmark(_ options: Options) {
  guard let corpusPath = options.corpus, let text = try? String(contentsOfFile: corpusPath, encoding: .utf8)
  else {
    FileHandle.standardError.write(Data("tfidf needs --corpus FILE.txt\n".utf8))
    exit(2)
  }
  let documents = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  let start = DispatchTime.now().uptimeNanoseconds
  var tfidf = TFIDFVectorizer(
    counter: CountVectorizer(analyzer: TermAnalyzer(pattern: .twoOrMoreWordCharacters, lowercase: true)))
  let matrix = try! tfidf.fitTransform(documents)
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  emit([
    "workload": "tfidf", "library": "glossa", "documents": documents.count, "seconds": seconds,
    "shape": [matrix.rows, matrix.columns], "nonzeros": matrix.nonZeros,
    "mb_per_s": Double(text.utf8.count) / 1e6 / seconds,
  ])
}

/// The CPU time this process's threads have used so far, in seconds (C's `clock`).
func processCPUSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }

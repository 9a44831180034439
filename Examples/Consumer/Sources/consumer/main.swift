// A short program that uses Glossa as a dependency: the lecture's BPE, Word2Vec on a small
// corpus, and a small LSTM learning a many-to-one task. It exits with a failure when a result
// is not what it should be, so that building and running it is a test.
import Foundation
import GlossaData
import GlossaEmbeddings
import GlossaModels
import GlossaNN
import GlossaOptim
import GlossaTensor
import GlossaText

var failures: [String] = []
@MainActor func check(_ passed: Bool, _ what: String) {
  print("\(passed ? "ok" : "FAILED"): \(what)")
  if !passed { failures.append(what) }
}

// The lecture's BPE walk-through: five merges, and a word with an unseen letter.
let lecture = "low low low low low lower lower newest newest newest newest newest newest widest widest widest"
let bpe = try BPETrainer(endOfWord: .symbol("_"), merges: 5).train(
  words: WhitespaceTokenizer().words(lecture))
let merges = bpe.merges.map { "(\($0.left),\($0.right))" }.joined(separator: " ")
check(merges == "(e,s) (es,t) (est,_) (l,o) (lo,w)", "BPE merges \(merges)")
check(bpe.encode("newest binded").contains("[UNK]"), "BPE: 'b' was never seen, so it is [UNK]")

// Word2Vec on two kinds of sentence: numbers are used alike, and so are animals.
var state: UInt64 = 7
@MainActor func pick(_ words: [String]) -> String {
  state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
  return words[Int(state >> 33) % words.count]
}
let (numbers, animals) = (["two", "three", "four", "five"], ["cat", "dog", "horse", "cow"])
let sentences = (0..<3000).map { i in
  i % 2 == 0
    ? "\(pick(numbers)) plus \(pick(numbers)) makes \(pick(numbers))"
    : "the \(pick(animals)) eats and the \(pick(animals)) sleeps"
}
let vectors = try Word2Vec(dimension: 16, window: 3, minimumCount: 1, epochs: 3).train(
  Corpus(sources: [.text(sentences.joined(separator: "\n"))]))
let (alike, unlike) = (try vectors.similarity("two", "three"), try vectors.similarity("two", "cat"))
check(alike > unlike + 0.2, "Word2Vec: cos(two, three) = \(alike), cos(two, cat) = \(unlike)")

// A small LSTM, many-to-one: is the sum of a sequence of ±1 positive?
let (steps, batch) = (8, 64)
let lstm = LSTM(inputSize: 1, hiddenSize: 16, seed: 1)
let head = Linear(16, 1, seed: 2)
let optimizer = Adam(lstm.parameters() + head.parameters(), learningRate: 0.02)
var losses: [Float] = []
for _ in 0..<150 {
  let signs = (0..<(steps * batch)).map { _ in pick(["+", "-"]) == "+" ? Float(1) : -1 }
  let targets = (0..<batch).map { b in
    (0..<steps).map { signs[$0 * batch + b] }.reduce(0, +) > 0 ? Float(1) : 0
  }
  let output = lstm(Tensor(signs, shape: [steps, batch, 1]))
  let loss = binaryCrossEntropyWithLogits(
    head(output.state.hidden.reshaped([batch, 16])), Tensor(targets, shape: [batch, 1]))
  optimizer.zeroGrad()
  loss.backward()
  optimizer.step()
  losses.append(loss.item)
}
let (first, last) = (losses.prefix(10).reduce(0, +) / 10, losses.suffix(10).reduce(0, +) / 10)
check(last < first / 3, "LSTM: the loss fell from \(first) to \(last)")

if !failures.isEmpty { exit(1) }

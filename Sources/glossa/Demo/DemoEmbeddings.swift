import Foundation
import GlossaData
import GlossaEmbeddings
import GlossaViz

/// Part 3: word embeddings, trained with skip-gram.
extension Demo {
  func embeddings(_ run: DemoRun) throws {
    run.part("3. Word embeddings")
    run.heading("Skip-gram (Word2Vec) on Pride and Prejudice and Sense and Sensibility")
    let corpus = Corpus(files: [run.file("austen.txt")], lowercase: true)
    // One thread: Hogwild updates from several threads would make the vectors differ run to run.
    let word2vec = Word2Vec(
      architecture: .skipGram, dimension: 100, window: 5, minimumCount: 5, epochs: 5, threads: 1,
      seed: seed + 1)
    let model = try word2vec.fit(corpus)
    let vectors = model.vectors
    run.keep("austen.vec") { try vectors.write(to: $0, format: .text) }
    run.say(
      "\(model.words.corpusWords) words of text, \(vectors.count) words seen 5+ times, 100 dimensions, 5 epochs "
        + "(\(run.stepSeconds.formatted(1)) s)")
    run.say("Words used in similar contexts get similar vectors (cosine similarity):")
    for word in ["elizabeth", "sister", "happy", "morning"] {
      let neighbours = try vectors.mostSimilar(positive: [word], top: 5)
      run.say(
        "  \(word.padded(10)) → \(neighbours.map { "\($0.word) \(Double($0.score).formatted(2))" }.joined(separator: ", "))"
      )
    }
    run.say("Analogies, b − a + c (the lecture's king − man + woman = queen):")
    var answered = 0
    let questions = [
      ("man", "woman", "he", "she"), ("himself", "herself", "he", "she"),
      ("gentleman", "lady", "man", "woman"),
    ]
    for (a, b, c, expected) in questions {
      let best = try vectors.analogy(positive: [b, c], negative: [a], top: 3)
      if best.first?.word == expected { answered += 1 }
      run.say(
        "  \(a) : \(b) :: \(c) : ?  → \(best.map { "\($0.word) \(Double($0.score).formatted(2))" }.joined(separator: ", "))"
      )
    }
    run.check(
      "an analogy answered", answered >= 2,
      "\(answered) of \(questions.count) answered first (man : woman :: he : she, …)")
    let words = [
      "elizabeth", "jane", "darcy", "bingley", "marianne", "elinor", "willoughby", "edward", "mother",
      "father",
      "sister", "brother", "daughter", "aunt", "uncle", "happy", "glad", "pleased", "sorry", "unhappy",
      "morning",
      "evening", "day", "week", "house", "room", "park", "letter", "money", "fortune",
    ].filter(vectors.contains)
    let projected = try vectors.project(words, method: .pca)
    var plot = ScatterPlot(title: "Austen's words in two dimensions (PCA of skip-gram vectors)")
    for point in projected { plot.add(.init(x: point.x, y: point.y, label: point.word)) }
    run.figure(
      "embeddings.svg", plot,
      caption:
        "30 words' 100-dimensional vectors projected on their two principal components: names, family, feelings and time each gather."
    )
  }
}

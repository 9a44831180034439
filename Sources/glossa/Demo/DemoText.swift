import Foundation
import GlossaData
import GlossaText

/// Part 2: text as numbers: one-hot, bag-of-words, TF-IDF, tokenization, BPE and token ids.
extension Demo {
  func textAsNumbers(_ run: DemoRun) throws {
    run.part("2. Text as numbers")
    oneHot(run)
    try bagOfWordsAndTFIDF(run)
    tokenization(run)
    try bytePairEncoding(run)
    tokenIDs(run)
  }

  /// Rows of numbers as a table with a label column.
  func table(_ run: DemoRun, header: [String], rows: [(String, [String])]) {
    let width = max(10, rows.map(\.0.count).max() ?? 0) + 2
    let column = max(7, (header.map(\.count).max() ?? 0) + 2)
    run.say("".padded(width) + header.map { $0.padded(column) }.joined())
    for (label, values) in rows { run.say(label.padded(width) + values.map { $0.padded(column) }.joined()) }
  }

  func oneHot(_ run: DemoRun) {
    run.heading("One-hot encoding: one dimension per vocabulary word")
    let words = ["Case", "Analysis", "Economics", "and", "Finance"]
    let vocabulary = Array(words.prefix(4))
    run.say("vocabulary: \(vocabulary); \"Finance\" is outside it, so its vector is all zeros")
    let vectors = OneHotEncoder(vocabulary: vocabulary).encode(words).dense
    for (word, vector) in zip(words, vectors) {
      run.say("\(word.padded(10)) [\(vector.map { String(Int($0)) }.joined(separator: " "))]")
    }
  }

  func bagOfWordsAndTFIDF(_ run: DemoRun) throws {
    run.heading("Bag-of-words and TF-IDF of the lecture's two reviews")
    let reviews = ["The movie was not good.", "The movie was good, not bad."]
    run.say("Review A: \"\(reviews[0])\"   Review B: \"\(reviews[1])\"")
    var counts = CountVectorizer(order: .firstAppearance)
    let bag = try counts.fitTransform(reviews).dense
    table(
      run, header: counts.terms,
      rows: zip(["Review A", "Review B"], bag).map { ($0, $1.map { String(Int($0)) }) })
    run.say("Word order is gone: A (\"not good\") and B (\"good, not bad\") differ only by \"bad\".")
    run.say("")
    run.say("TF(t, d) = count of t in d / terms in d;  IDF(t, D) = ln(N / (1 + documents containing t))")
    var lecture = TFIDFVectorizer(
      counter: CountVectorizer(order: .firstAppearance), weighting: .lecture, norm: .none)
    let weights = try lecture.fitTransform(reviews).dense
    table(run, header: lecture.counter.terms, rows: [("IDF", lecture.idf.map { $0.formatted(3) })])
    table(
      run, header: lecture.counter.terms,
      rows: zip(["TF-IDF A", "TF-IDF B"], weights).map { ($0, $1.map { $0.formatted(3) }) })
    run.say("With N = 2 the +1 makes every IDF zero or negative: ln(2/3) for words in both reviews,")
    run.say("ln(2/2) = 0 for \"bad\". scikit-learn's smooth IDF, ln((1+N)/(1+df)) + 1, stays positive:")
    var smooth = TFIDFVectorizer(
      counter: CountVectorizer(order: .firstAppearance), weighting: .smooth, norm: .l2)
    let smoothWeights = try smooth.fitTransform(reviews).dense
    table(
      run, header: smooth.counter.terms,
      rows: zip(["smooth A", "smooth B"], smoothWeights).map { ($0, $1.map { $0.formatted(3) }) })
    run.check(
      "bag-of-words as the lecture's table", bag == [[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]],
      "counts \(bag.map { $0.map { Int($0) } })")
  }

  func tokenization(_ run: DemoRun) {
    run.heading("Tokenization: words, Treebank words, characters")
    let sentence = "Hello, world! This is an example of word tokenization."
    run.say("text: \(sentence)")
    let treebank = TreebankTokenizer().words(sentence)
    run.say("Treebank (NLTK's word_tokenize): \(treebank)")
    run.say("regex \\b\\w+\\b (re.findall):     \(RegexWordTokenizer().words(sentence))")
    run.say("\"The cat sat on the mat.\" → \(RegexWordTokenizer().words("The cat sat on the mat."))")
    for name in ["Pikachu", "Charmander", "Bulbasaur", "Squirtle", "Jigglypuff"] {
      run.say("Original Name: \(name) -> Character Tokens: \(CharacterTokenizer().words(name))")
    }
    run.check(
      "Treebank tokens as NLTK's",
      treebank == [
        "Hello", ",", "world", "!", "This", "is", "an", "example", "of", "word", "tokenization", ".",
      ],
      "\(treebank.count) tokens")
  }

  func bytePairEncoding(_ run: DemoRun) throws {
    run.heading("Subword tokenization: the lecture's BPE, merge by merge")
    let corpus =
      "low low low low low lower lower newest newest newest newest newest newest widest widest widest"
    run.say("corpus: \"\(corpus)\"")
    let words = WhitespaceTokenizer().words(corpus)
    var steps: [BPETrainer.Step] = []
    let model = try BPETrainer(endOfWord: .symbol("_"), merges: 5).train(words: words) { steps.append($0) }
    for step in steps {
      run.say(
        "Merge \(step.number): (\(step.merge.left), \(step.merge.right)) → \(step.merge.result), "
          + "seen \(step.count) times; vocabulary \(step.vocabularySize)")
    }
    run.say("vocabulary: \(model.tokens.joined(separator: ", "))")
    let encoded = model.encode("newest binded lowers")
    run.say("\"newest binded lowers\" → \(encoded)")
    let lectureMerges = [("e", "s"), ("es", "t"), ("est", "_"), ("l", "o"), ("lo", "w")]
    run.check(
      "BPE merges as the lecture's",
      model.merges.map { "\($0.left) \($0.right)" } == lectureMerges.map { "\($0.0) \($0.1)" },
      steps.map { "(\($0.merge.left), \($0.merge.right))" }.joined(separator: " "))
    run.check(
      "BPE splits unseen words as the lecture does",
      encoded == ["n", "e", "w", "est_", "[UNK]", "i", "n", "d", "e", "d", "_", "low", "e", "r", "s", "_"],
      "'b' was never seen, so it is [UNK]")
    // The same algorithm on real text.
    let novel = try readLines(of: run.file("austen.txt")).prefix(run.quick ? 500 : 3000)
    let austen = try BPETrainer(vocabularySize: 2000).train(
      words: novel.flatMap { RegexWordTokenizer().words($0.lowercased()) })
    run.say("")
    run.say(
      "Trained on \(novel.count) paragraphs of Austen to 2,000 tokens, BPE splits rare words into known pieces:"
    )
    for word in ["unaffectedly", "superciliousness", "tokenization"] {
      run.say("  \(word) → \(austen.encode(word: word).joined(separator: " "))")
    }
  }

  func tokenIDs(_ run: DemoRun) {
    run.heading("Token ids: tokens to integers and back")
    let vocabulary = Vocabulary(["hello", "world", "this", "is", "a", "test", "<unk>"])
    let tokens = ["hello", "this", "is", "unknown_word"]
    let ids = vocabulary.encode(tokens)
    run.say("Tokens: \(tokens)")
    run.say("Encoded Token IDs: \(ids)")
    run.say("Decoded Tokens: \(vocabulary.decode(ids))")
    run.check("token ids as the lecture's", ids == [0, 2, 3, 6], "\(ids)")
  }
}

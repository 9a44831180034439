import Foundation
import GlossaData
import GlossaModels
import GlossaNN
import GlossaText
import GlossaViz

/// Part 5: the lecture's applications, each trained on its data and scored on a part it never saw.
extension Demo {
  func applications(_ run: DemoRun) throws {
    run.part("5. Applications")
    try sentiment(run)
    try languageModel(run)
    try tagging(run)
    try forecasting(run)
    try translation(run)
    try speech(run)
  }

  /// Settings every demo training shares: quiet on a pipe, a progress bar on a terminal.
  func trainerSettings(_ defaults: TrainerSettings, epochs: Int) -> TrainerSettings {
    var settings = defaults
    settings.epochs = epochs
    settings.seed = seed
    settings.showsProgress = isatty(2) != 0
    return settings
  }

  /// `items` in a seeded shuffle: 90% to train on, 10% held out.
  func heldOut<Item>(_ items: [Item]) -> (train: [Item], validation: [Item]) {
    let split = DataSplit.shuffled(count: items.count, validation: 0.1, seed: seed)
    return (split.train.map { items[$0] }, split.validation.map { items[$0] })
  }

  /// Many-to-one: a bidirectional LSTM reads a review and says positive or negative.
  func sentiment(_ run: DemoRun) throws {
    run.heading("Sentiment: a bidirectional LSTM classifies film reviews (many-to-one)")
    let examples = try LabeledText.read(run.file("reviews.tsv"))
    let (train, validation) = heldOut(examples)
    var training = TextClassifierTraining()
    training.tokenizer = .words(minimumFrequency: 2, lowercase: true)
    training.architecture.embeddingDimension = 64
    training.architecture.hidden = 64
    training.architecture.maximumLength = 60
    training.seed = seed
    training.trainer = trainerSettings(training.trainer, epochs: 4)
    let (model, report) = try training.train(train, validation: validation)
    run.keep("sentiment", save: model.save(to:))
    let majority =
      Dictionary(grouping: validation, by: \.label).values.map(\.count).max()! * 100 / validation.count
    run.say(
      "\(train.count) Rotten Tomatoes snippets to train on, \(validation.count) held out; "
        + "\(report.result.epochs.count) epochs in \(run.stepSeconds.formatted(1)) s")
    run.say(
      "held-out accuracy \((report.validation.accuracy * 100).formatted(1))%, macro-F1 "
        + "\(report.validation.macroF1.formatted(3)); always answering the commoner class: \(majority)%")
    let reviews = [
      "a gorgeous, moving and wonderfully acted film", "a dull, lifeless mess that wastes its cast",
      "not bad at all", "it tries hard but never works",
    ]
    for (review, prediction) in zip(reviews, model.predict(reviews)) {
      run.say(
        "  \"\(review)\" → \(prediction.label) (\((Double(prediction.probability) * 100).formatted(0))%)")
    }
    run.lossFigure(
      "sentiment-loss.svg", report.result, title: "Sentiment classifier: loss by epoch",
      caption: "The sentiment classifier's training and validation loss by epoch.")
    run.check(
      "sentiment above chance", report.validation.accuracy * 100 > Double(majority) + 2,
      "\((report.validation.accuracy * 100).formatted(1))% against \(majority)% for the commoner class")
  }

  /// Many-to-many, one step ahead: an LSTM language model of Austen, then text from it.
  func languageModel(_ run: DemoRun) throws {
    run.heading("Language modelling: an LSTM learns to continue Austen, then writes")
    let lines = try readLines(of: run.file("austen.txt"))
    // Every tenth paragraph is held out.
    var train = lines.indices.filter { $0 % 10 != 0 }.map { lines[$0] }
    let validation = lines.indices.filter { $0 % 10 == 0 }.map { lines[$0] }
    if run.quick { train = Array(train.prefix(train.count / 4)) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-demo-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (trainFile, validationFile) = (
      folder.appendingPathComponent("train.txt"), folder.appendingPathComponent("valid.txt")
    )
    try Data((train.joined(separator: "\n") + "\n").utf8).write(to: trainFile, options: .atomic)
    try Data((validation.joined(separator: "\n") + "\n").utf8).write(to: validationFile)
    var training = LanguageModelTraining()
    training.tokenizer = .words(minimumFrequency: 2, vocabularySize: 6000, lowercase: true)
    training.architecture.layers = 1
    training.architecture.hidden = 128
    training.architecture.embeddingDimension = 128
    training.architecture.tieWeights = true
    training.seed = seed
    training.trainer = trainerSettings(training.trainer, epochs: run.quick ? 1 : 3)
    let (model, result) = try training.train([trainFile], validation: [validationFile])
    run.keep("austen-lm", save: model.save(to:))
    let perplexity = result.bestValue
    let unigram = unigramPerplexity(model, train: train, validation: validation)
    run.say(
      "\(train.count) paragraphs to train on, \(validation.count) held out; 1 layer of 128 LSTM units, "
        + "\(result.epochs.count) epoch\(result.epochs.count == 1 ? "" : "s") in \(run.stepSeconds.formatted(1)) s"
    )
    run.say(
      "held-out perplexity \(perplexity.formatted(1)) (a model of word frequencies alone: \(unigram.formatted(1)); "
        + "vocabulary \(model.configuration.vocabularySize))")
    var sampling = Sampling()
    (sampling.seed, sampling.topK, sampling.maximumTokens) = (seed, 40, 40)
    sampling.suppressedTokens = [model.tokenizer.model.id(of: "<unk>")].compactMap { $0 }
    for prompt in ["it is a truth universally", "elizabeth"] {
      let generation = model.generate(from: prompt, sampling: sampling)
      run.say("  \(prompt) … \(generation.text.replacingOccurrences(of: "\n", with: " / "))")
    }
    run.lossFigure(
      "language-model-loss.svg", result, title: "Language model: loss by epoch",
      caption: "The language model's loss (nats per token) by epoch.")
    run.check(
      "the language model beats word frequencies", perplexity < unigram,
      "perplexity \(perplexity.formatted(1)) against \(unigram.formatted(1)) for the unigram model")
  }

  /// The perplexity of a unigram model (add-one smoothed counts of the training tokens) on the
  /// validation text, with the language model's own tokens.
  func unigramPerplexity(_ model: LanguageModel, train: [String], validation: [String]) -> Double {
    var counts = [Double](repeating: 1, count: model.configuration.vocabularySize)
    for line in train { for id in model.ids(line: line) { counts[id] += 1 } }
    let total = counts.reduce(0, +)
    var (logLikelihood, tokens) = (0.0, 0)
    for line in validation {
      for id in model.ids(line: line) {
        logLikelihood += Foundation.log(counts[id] / total)
        tokens += 1
      }
    }
    return Foundation.exp(-logLikelihood / Double(max(tokens, 1)))
  }

  /// Many-to-many: a bidirectional LSTM tags each word with its part of speech.
  func tagging(_ run: DemoRun) throws {
    run.heading("Part-of-speech tagging: a bidirectional LSTM tags every word (many-to-many)")
    let sentences = try TaggedSentence.read(run.file("tagged.tsv"))
    let (train, validation) = heldOut(sentences)
    var training = SequenceTaggerTraining()
    training.architecture.embeddingDimension = 64
    training.architecture.hidden = 64
    training.architecture.characterFeatures = true
    training.seed = seed
    training.learningRate = 5e-3
    training.trainer = trainerSettings(training.trainer, epochs: 6)
    let (model, metrics, result) = try training.train(train, validation: validation)
    run.keep("pos", save: model.save(to:))
    // Two baselines: the commonest tag everywhere, and each word's commonest training tag.
    let tagCounts = Dictionary(grouping: train.flatMap(\.tags), by: { $0 }).mapValues(\.count)
    let commonest = tagCounts.max { $0.value < $1.value }!.key
    var byWord: [String: [String: Int]] = [:]
    for sentence in train {
      for (word, tag) in zip(sentence.tokens, sentence.tags) {
        byWord[word.lowercased(), default: [:]][tag, default: 0] += 1
      }
    }
    let (actual, words) = (validation.flatMap(\.tags), validation.flatMap(\.tokens))
    let majority = Double(actual.filter { $0 == commonest }.count) / Double(actual.count)
    let perWord =
      Double(
        zip(words, actual).filter { word, tag in
          (byWord[word.lowercased()]?.max { $0.value < $1.value }?.key ?? commonest) == tag
        }.count) / Double(actual.count)
    run.say(
      "\(train.count) sentences of the Open American National Corpus to train on (\(train.flatMap(\.tokens).count) words), "
        + "\(validation.count) held out; \(result.epochs.count) epochs in \(run.stepSeconds.formatted(1)) s, "
        + "with a character BiLSTM for rare and unseen words")
    run.say(
      "held-out accuracy \((metrics.accuracy * 100).formatted(1))%; the commonest tag (\(commonest)) everywhere: "
        + "\((majority * 100).formatted(1))%; each word's commonest tag: \((perWord * 100).formatted(1))%")
    let sentence = ["The", "young", "lady", "walked", "quickly", "to", "the", "old", "house", "."]
    let tags = model.tag([sentence])[0]
    run.say("  " + zip(sentence, tags).map { "\($0)/\($1)" }.joined(separator: " "))
    // The confusion between the ten commonest tags, row-normalised.
    let top = tagCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10).map(\.key)
    let predicted = model.tag(validation.map(\.tokens)).flatMap { $0 }
    var confusion = [[Double]](repeating: [Double](repeating: 0, count: top.count), count: top.count)
    for (truth, guess) in zip(actual, predicted) {
      if let i = top.firstIndex(of: truth), let j = top.firstIndex(of: guess) { confusion[i][j] += 1 }
    }
    let shares = confusion.map { row in row.map { $0 / max(row.reduce(0, +), 1) } }
    run.figure(
      "tagging-confusion.svg",
      HeatMap(
        title: "Tagger: true tag (rows) against predicted (columns)", values: shares, rowLabels: top,
        columnLabels: top),
      caption: "Each row: where the held-out words of one tag went, as shares; the diagonal is right.")
    run.check(
      "the tagger beats each word's commonest tag", metrics.accuracy > perWord,
      "\((metrics.accuracy * 100).formatted(1))% against \((perWord * 100).formatted(1))%"
    )
  }

  /// Many-to-one over time: an LSTM forecasts Apple's next adjusted close.
  func forecasting(_ run: DemoRun) throws {
    run.heading("Stock-price forecasting: an LSTM reads 30 days of Apple's price, forecasts the next")
    let series = try TimeSeries(
      CSVTable(contentsOf: run.file("aapl.csv")), date: "Date", columns: ["Adj Close"])
    var training = ForecasterTraining(
      architecture: ForecasterConfiguration(features: ["Adj Close"], target: "Adj Close"))
    training.seed = seed
    training.trainer = trainerSettings(training.trainer, epochs: run.quick ? 5 : 20)
    let (model, report) = try training.train(series)
    run.keep("aapl", save: model.save(to:))
    run.say(
      "\(series.count) trading days, \(series.dates.first!) to \(series.dates.last!): the first 70% to train on, "
        + "the last 15% (\(report.split.test.count) days) to test; \(report.result.epochs.count) epochs in "
        + "\(run.stepSeconds.formatted(1)) s")
    for line in ForecastCommand.table(report).split(separator: "\n") { run.say(String(line)) }
    run.say("A price is close to a random walk: tomorrow's best guess is nearly today's. The network earns")
    run.say(
      "its keep by matching the naive forecast and the linear autoregression, not by beating them by much.")
    let plot = ForecasterTraining.plot(report, training.architecture, lastWindows: 60)
    run.figure(
      "forecast.svg", plot,
      caption:
        "Apple's adjusted close over the last 60 days of the test period: actual, the network's forecast and the naive one (yesterday's price)."
    )
    run.check(
      "the forecast within 5% of the naive one", report.model.mae < 1.05 * report.naive.mae,
      "MAE \(report.model.mae.formatted(3)) against \(report.naive.mae.formatted(3)) for next = last")
  }

  /// Many-to-many, unaligned: an encoder-decoder translates English verses into Spanish, with
  /// attention and without, scored by BLEU on verses it never saw.
  func translation(_ run: DemoRun) throws {
    run.heading("Machine translation: an encoder-decoder with attention, English to Spanish")
    var pairs = try ParallelPair.read(run.file("bible-en-es.tsv"))
    if run.quick { pairs = Array(pairs.prefix(pairs.count / 2)) }
    let (train, validation) = heldOut(pairs)
    func trained(_ attention: AttentionKind?) throws -> (Seq2Seq, TranslationEvaluation) {
      var training = Seq2SeqTraining()
      training.architecture.hidden = 128
      training.architecture.embeddingDimension = 128
      training.architecture.attention = attention
      training.learningRate = 2e-3
      training.seed = seed
      training.trainer = trainerSettings(training.trainer, epochs: run.quick ? 6 : 12)
      let (model, evaluation, _) = try training.train(train, validation: validation)
      return (model, evaluation)
    }
    let (model, withAttention) = try trained(.bahdanau)
    run.keep("en-es", save: model.save(to:))
    let (_, without) = try trained(nil)
    run.say(
      "\(train.count) verse pairs of the King James and Reina-Valera Bibles to train on, \(validation.count) held out; "
        + "a bidirectional GRU encoder and a GRU decoder of 128 units, trained twice in \(run.stepSeconds.formatted(1)) s"
    )
    run.say("held-out BLEU (sacreBLEU's default, greedy decoding):")
    run.say(
      "  with Bahdanau attention \(withAttention.bleu.score.formatted(1)), chrF \(withAttention.chrf.score.formatted(1))"
    )
    run.say(
      "  without attention (the final state alone) \(without.bleu.score.formatted(1)), chrF \(without.chrf.score.formatted(1))"
    )
    var options = DecodingOptions()
    options.keepsAttention = true
    let shown = Array(validation.prefix(3))
    let translations = try model.translate(shown.map(\.source), options: options)
    for (pair, translation) in zip(shown, translations) {
      run.say("  \(pair.source)")
      run.say("    → \(translation.text)   (the Reina-Valera: \(pair.target))")
    }
    run.figure(
      "translation-attention.svg", Translate.heatMap(translations[0]),
      caption:
        "Beam search's translation of the first held-out verse: each row is where the decoder looked while writing that word."
    )
    run.check(
      "attention helps the translator", withAttention.bleu.score > without.bleu.score,
      "BLEU \(withAttention.bleu.score.formatted(1)) with attention against \(without.bleu.score.formatted(1)) without"
    )
  }
}

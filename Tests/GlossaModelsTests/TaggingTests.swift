import Foundation
import GlossaData
import GlossaTensor
import Testing

@testable import GlossaModels

/// The entity scorer on hand-made cases (the answers conlleval and seqeval's default mode give),
/// and the tagger trained end to end on real part-of-speech and entity data.
@Suite struct TaggingTests {
  @Test func entitiesAreChunkedByConllevalsRules() {
    #expect(
      TaggingMetrics.entities(["B-PER", "I-PER", "O", "B-LOC"]) == [
        .init(type: "PER", start: 0, end: 1), .init(type: "LOC", start: 3, end: 3),
      ])
    // An I- after O opens an entity; a change of type starts another.
    #expect(TaggingMetrics.entities(["O", "I-PER", "I-PER"]) == [.init(type: "PER", start: 1, end: 2)])
    #expect(
      TaggingMetrics.entities(["B-LOC", "I-PER"]) == [
        .init(type: "LOC", start: 0, end: 0), .init(type: "PER", start: 1, end: 1),
      ])
    // Adjacent entities of one type, and BIOES.
    #expect(
      TaggingMetrics.entities(["B-PER", "B-PER"]) == [
        .init(type: "PER", start: 0, end: 0), .init(type: "PER", start: 1, end: 1),
      ])
    #expect(
      TaggingMetrics.entities(["S-ORG", "B-ORG", "E-ORG", "O"]) == [
        .init(type: "ORG", start: 0, end: 0), .init(type: "ORG", start: 1, end: 2),
      ])
  }

  @Test func anEntityCountsOnlyWhenItsTypeAndBothEndsMatch() {
    let actual = [["B-PER", "I-PER", "O"], ["B-PER"], ["B-PER", "B-PER"], ["O", "B-LOC", "I-LOC"]]
    let predicted = [["B-PER", "O", "O"], ["B-LOC"], ["B-PER", "I-PER"], ["O", "I-LOC", "I-LOC"]]
    let m = TaggingMetrics(actual: actual, predicted: predicted)
    // Found: PER(0,0), LOC, PER(0,1), LOC(1,2) → 4; wanted: PER(0,1), PER, PER, PER, LOC(1,2) → 5; right: LOC only.
    #expect(abs(m.entityPrecision - 1.0 / 4) < 1e-12 && abs(m.entityRecall - 1.0 / 5) < 1e-12)
    #expect(abs(m.entityF1 - 2 * (0.25 * 0.2) / 0.45) < 1e-12)
    let per = m.perType.first { $0.name == "PER" }!
    #expect(per.support == 4 && per.precision == 0 && per.recall == 0)
    let loc = m.perType.first { $0.name == "LOC" }!
    #expect(loc.support == 1 && loc.precision == 0.5 && loc.recall == 1)
    #expect(abs(m.accuracy - 5.0 / 9) < 1e-12)  // token by token
  }

  /// 300 random tag sequences (BIO, BIOES, well and badly formed) against seqeval's entities,
  /// and the micro scores of 150 perturbed predictions (Fixtures/make_seqeval_cases.py).
  @Test func entitiesAndScoresMatchSeqeval() throws {
    struct Case: Decodable {
      let tags: [String]
      let entities: [[Entry]]
    }
    enum Entry: Decodable {
      case text(String), number(Int)
      init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Int.self) {
          self = .number(number)
        } else {
          self = .text(try c.decode(String.self))
        }
      }
    }
    struct Fixture: Decodable {
      let cases: [Case]
      let actual: [[String]], predicted: [[String]]
      let precision: Double, recall: Double, f1: Double
    }
    let data = try Data(contentsOf: ModelFixtures.folder.appendingPathComponent("seqeval_cases.json"))
    let fixture = try JSONDecoder().decode(Fixture.self, from: data)
    for c in fixture.cases {
      let expected = c.entities.map { e -> Entity in
        guard case .text(let type) = e[0], case .number(let start) = e[1], case .number(let end) = e[2] else {
          fatalError("malformed fixture")
        }
        return Entity(type: type, start: start, end: end)
      }
      #expect(TaggingMetrics.entities(c.tags) == expected, "\(c.tags)")
    }
    let m = TaggingMetrics(actual: fixture.actual, predicted: fixture.predicted)
    #expect(
      abs(m.entityPrecision - fixture.precision) < 1e-12 && abs(m.entityRecall - fixture.recall) < 1e-12)
    #expect(abs(m.entityF1 - fixture.f1) < 1e-12)
  }

  func split(_ name: String) throws -> (train: [TaggedSentence], validation: [TaggedSentence]) {
    let sentences = try TaggedSentence.read(ModelFixtures.folder.appendingPathComponent(name))
    let split = DataSplit.shuffled(count: sentences.count, validation: 0.15, seed: 2)
    return (split.train.map { sentences[$0] }, split.validation.map { sentences[$0] })
  }

  func settings(crf: Bool, characters: Bool) -> SequenceTaggerTraining {
    var training = SequenceTaggerTraining()
    (training.architecture.hidden, training.architecture.embeddingDimension) = (24, 24)
    (training.architecture.crf, training.architecture.characterFeatures) = (crf, characters)
    (training.architecture.characterDimension, training.architecture.characterHidden) = (8, 8)
    training.learningRate = 0.01
    training.trainer.epochs = 3
    training.trainer.showsProgress = false
    training.seed = 4
    return training
  }

  @Test(arguments: [(false, false), (false, true), (true, false)])
  func aTaggerLearnsPartOfSpeechAndReloads(_ options: (crf: Bool, characters: Bool)) throws {
    let (train, validation) = try split("pos.tsv")
    let output = ModelFixtures.temporary("pos")
    defer { try? FileManager.default.removeItem(at: output) }
    let (tagger, metrics, result) = try settings(crf: options.crf, characters: options.characters)
      .train(train, validation: validation, output: output)
    let losses = result.epochs.map(\.trainLoss)
    #expect(losses[2] < losses[0], "\(losses)")
    // Better than tagging every token with the most frequent tag.
    let tags = validation.flatMap(\.tags)
    let majority = Dictionary(grouping: tags, by: { $0 }).values.map(\.count).max()!
    #expect(metrics.accuracy > 1.5 * Double(majority) / Double(tags.count), "\(metrics.summary)")
    #expect(metrics.unseenAccuracy != nil)
    let loaded = try SequenceTagger(contentsOf: output)
    let sentences = validation.prefix(10).map(\.tokens)
    #expect(loaded.tag(sentences) == tagger.tag(sentences))
    #expect(try loaded.evaluate(validation).accuracy == metrics.accuracy)
    #expect(loaded.tag([[]]) == [[]])
  }

  @Test func entityTagsAreScoredAsEntities() throws {
    let (train, validation) = try split("ner.tsv")
    let (_, metrics, result) = try settings(crf: true, characters: false).train(train, validation: validation)
    #expect(result.epochs.allSatisfy { $0.validation?["entity_f1"] != nil })
    #expect(!metrics.perType.isEmpty && metrics.accuracy > 0.8)
  }

  @Test func aTagTheModelNeverSawIsNamed() throws {
    let (train, validation) = try split("pos.tsv")
    var odd = validation
    odd[0].tags[0] = "XYZ"
    #expect(throws: TrainingDataError.self) {
      try settings(crf: false, characters: false).train(train, validation: odd)
    }
  }
}

/// The forecaster on a slice of AAPL's daily prices.
@Suite struct ForecastingTests {
  func series() throws -> TimeSeries {
    try TimeSeries(
      CSVTable(contentsOf: ModelFixtures.folder.appendingPathComponent("stocks.csv")), date: "Date",
      columns: ["Adj Close", "Volume"], filter: ("Ticker", "AAPL"))
  }

  func settings(_ predict: ForecastTarget = .value) -> ForecasterTraining {
    var architecture = ForecasterConfiguration(features: ["Adj Close", "Volume"], target: "Adj Close")
    (architecture.window, architecture.hidden, architecture.predict) = (10, 8, predict)
    var training = ForecasterTraining(architecture: architecture)
    training.trainer.epochs = 4
    training.trainer.showsProgress = false
    training.learningRate = 0.01
    training.seed = 1
    return training
  }

  @Test func theSeriesIsFilteredAndSorted() throws {
    let s = try series()
    #expect(s.count == 700 && s.dates == s.dates.sorted() && s.columns == ["Adj Close", "Volume"])
    #expect(throws: DataFileError.self) {
      try TimeSeries(
        CSVTable(contentsOf: ModelFixtures.folder.appendingPathComponent("stocks.csv")), date: "Date",
        columns: ["Close"], filter: ("Ticker", "MSFT"))
    }
  }

  @Test func theForecasterTrainsReloadsAndReportsItsBaselines() throws {
    let output = ModelFixtures.temporary("forecast")
    defer { try? FileManager.default.removeItem(at: output) }
    let s = try series()
    let (model, report) = try settings().train(s, output: output)
    #expect(report.result.epochs.count == 4)
    #expect(report.naive.mase != nil && report.model.mae > 0 && report.autoregression.rmse > 0)
    let loaded = try Forecaster(contentsOf: output)
    #expect(loaded.forecast(s, ends: report.split.test) == model.forecast(s, ends: report.split.test))
    let csv = try String(contentsOf: output.appendingPathComponent("predictions.csv"), encoding: .utf8)
    #expect(
      csv.hasPrefix("date,actual,forecast,naive,autoregression\n")
        && csv.split(separator: "\n").count == report.split.test.count + 1)
    #expect(
      try String(contentsOf: output.appendingPathComponent("forecast.svg"), encoding: .utf8).contains(
        "<polyline"))
    // The plot of the last five windows: each line from the test period's fifth-last window on.
    let tail = ForecasterTraining.plot(report, settings().architecture, lastWindows: 5)
    let count = report.predictions.count
    #expect(tail.series.map(\.name) == ["actual", "forecast", "naive"])
    #expect(tail.series.allSatisfy { $0.points.map(\.x) == (count - 5..<count).map(Double.init) })
    #expect(tail.series[0].points.map(\.y) == report.predictions.suffix(5).map(\.actual))
    #expect(tail.title.hasSuffix("last 5 test windows"))
  }

  @Test func theFutureCannotChangeTheTraining() throws {
    var s = try series()
    let split = try ForecastSplit(rows: s.count, window: 10, horizon: 1, validation: 0.15, test: 0.15)
    let (a, b) = (ModelFixtures.temporary("future-a"), ModelFixtures.temporary("future-b"))
    defer { for url in [a, b] { try? FileManager.default.removeItem(at: url) } }
    let (first, _) = try settings().train(s, output: a)
    // Shuffle every row after the training period: what training saw must not change.
    var generator = SeededGenerator(seed: 3)
    let later = Array((split.lastTrainingRow + 1)..<s.count)
    for i in stride(from: later.count - 1, to: 0, by: -1) {
      s.values.swapAt(later[i], later[Int(generator.next() % UInt64(i + 1))])
    }
    let (second, _) = try settings().train(s, output: b)
    #expect(first.configuration.scale == second.configuration.scale)
    // The last epoch's weights (the checkpoint's; the best epoch is chosen on the validation period).
    let (x, y) = (try TrainerTestSupport.checkpointWeights(a), try TrainerTestSupport.checkpointWeights(b))
    for (name, tensor) in x { #expect(tensor.scalars == y[name]?.scalars, "\(name) moved") }
  }

  @Test func aWindowLongerThanTheSeriesIsRefused() throws {
    var training = settings()
    training.architecture.window = 800
    #expect(throws: TrainingDataError.self) { try training.train(try series()) }
  }
}

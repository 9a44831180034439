import Foundation
import GlossaAudio
import GlossaModels
import GlossaServer
import GlossaText
import Logging
import TestSupport

/// A folder with one model of every kind (small, untrained but for their sizes: the tests
/// check what the server does with them, not what they know), made once.
enum ServedFixtures {
  static let corpus = """
    the old man the boats . the cat sat on the mat . a wonderful film and a dull one .
    she was happy and he was not . the king and the queen walked to the castle .
    """

  /// The vectors: `king − man + woman` lands on `queen`.
  static let vectors: [(String, [Float])] = [
    ("man", [1, 0, 0, 0]), ("woman", [1, 1, 0, 0]), ("king", [1, 0, 1, 0]), ("queen", [1, 1, 1, 0]),
    ("castle", [0, 0, 1, 1]), ("boat", [0, 0, 0, 1]), ("cat", [0.1, 0.2, 0, 0.9]),
  ]

  static let folder: URL = {
    do { return try make() } catch { fatalError("server fixtures: \(error)") }
  }()

  static func make() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "glossa-served-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var training = TokenizerTraining(kind: .wordLevel)
    training.specialTokens = ["<pad>", "<unk>", "<s>", "</s>", "<eos>"]
    training.unknownToken = "<unk>"
    let words = try TokenizerFile.data(
      for: training.train([corpus]), lowercase: true, specialTokens: training.specialTokens)
    try words.write(to: folder.appendingPathComponent("words.tokenizer.json"))
    let vocabulary = try Tokenizer(json: words).model.vocabularySize

    var lm = LanguageModelConfiguration()
    (lm.layers, lm.hidden, lm.embeddingDimension, lm.vocabularySize) = (1, 64, 32, vocabulary)
    try LanguageModel(configuration: lm, tokenizerFile: words, seed: 1).save(
      to: folder.appendingPathComponent("lm"))

    var classifier = TextClassifierConfiguration(labels: ["negative", "positive"])
    (classifier.hidden, classifier.embeddingDimension, classifier.vocabularySize) = (16, 16, vocabulary)
    try TextClassifier(configuration: classifier, tokenizerFile: words, seed: 2).save(
      to: folder.appendingPathComponent("sentiment"))

    var tagger = SequenceTaggerConfiguration(tags: ["DET", "NOUN", "VERB", "."])
    (tagger.hidden, tagger.embeddingDimension) = (16, 16)
    try SequenceTagger(configuration: tagger, tokenizerFile: words, seed: 3).save(
      to: folder.appendingPathComponent("pos"))

    var translator = Seq2SeqConfiguration()
    (translator.hidden, translator.embeddingDimension, translator.maximumSourceLength) = (16, 16, 30)
    try Seq2Seq(configuration: translator, sourceTokenizer: words, targetTokenizer: words, seed: 4).save(
      to: folder.appendingPathComponent("en-es"))

    var forecaster = ForecasterConfiguration(features: ["Close", "Volume"], target: "Close")
    (forecaster.window, forecaster.hidden, forecaster.scale) = (5, 8, [0.02, 0.3])
    try Forecaster(configuration: forecaster, seed: 5).save(to: folder.appendingPathComponent("stocks"))

    var speech = SpeechRecognizerConfiguration()
    (speech.hidden, speech.layers, speech.alphabet) = (16, 1, ["a", "b", "c", "d", " "])
    try SpeechRecognizer(configuration: speech, seed: 6).save(to: folder.appendingPathComponent("tones"))

    let text = vectors.map { word, vector in ([word] + vector.map { String($0) }).joined(separator: " ") }
    try ("\(vectors.count) 4\n" + text.joined(separator: "\n") + "\n").write(
      to: folder.appendingPathComponent("toy.vec"), atomically: true, encoding: .utf8)
    // Files the server leaves alone.
    try "notes".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    return folder
  }

  /// A WAV file of the tone alphabet.
  static func wav(_ text: String) -> Data { WAV.encode(ToneSpeech.clip(text, seed: 1)) }
}

/// Threads of the server tests' own. `swift test` runs the other suites' long synchronous tests
/// on Swift's cooperative threads (as many as the cores); a server in the test process whose
/// handlers waited for those threads would stall for minutes, as no real server does. The
/// server and its client run here instead (Dispatch threads, outside the cooperative pool).
final class ServerTestExecutor: TaskExecutor, @unchecked Sendable {
  static let shared = ServerTestExecutor()
  private let queue = DispatchQueue(label: "glossa-server-tests", attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}

/// A server on a free loopback port for the length of `body`, and a client, both on
/// ``ServerTestExecutor``.
func withServer<T: Sendable>(
  _ configuration: ServerConfiguration = ServerConfiguration(),
  _ body: (_ base: String, _ client: TestClient, _ server: GlossaServer) async throws -> T
) async throws -> T {
  try await withTaskExecutorPreference(ServerTestExecutor.shared) {
    try await runServer(configuration, body)
  }
}

private func runServer<T: Sendable>(
  _ configuration: ServerConfiguration = ServerConfiguration(),
  _ body: (_ base: String, _ client: TestClient, _ server: GlossaServer) async throws -> T
) async throws -> T {
  var settings = configuration
  settings.port = 0
  settings.threads = 2
  let server = GlossaServer(models: try ServedModels(folder: ServedFixtures.folder), configuration: settings)
  let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
  // Quiet: cancelling the server at the end logs the connections it cut.
  var logger = Logger(label: "glossa-server-test")
  logger.logLevel = .critical
  let application = server.application(logger: logger) { continuation.yield($0) }
  let running = Task(executorPreference: ServerTestExecutor.shared) { try await application.run() }
  var iterator = ports.makeAsyncIterator()
  guard let port = await iterator.next() else { fatalError("the server did not start") }
  let client = TestClient()
  do {
    let result = try await body("http://127.0.0.1:\(port)", client, server)
    running.cancel()
    _ = try? await running.value
    try await server.shutdown()
    return result
  } catch {
    running.cancel()
    _ = try? await running.value
    try? await server.shutdown()
    throw error
  }
}

/// A response's status and body.
struct Answer: Sendable {
  let status: Int
  let headers: [(String, String)]
  let body: Data

  /// The body as a JSON object.
  var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
  var text: String { String(decoding: body, as: UTF8.self) }

  /// The error object of an error answer: status, message, field.
  var error: (status: Int, message: String, field: String?)? {
    guard let error = json["error"] as? [String: Any], let status = error["status"] as? Int,
      let message = error["message"] as? String
    else { return nil }
    return (status, message, error["field"] as? String)
  }
}

/// The JSON text of a value.
func jsonText(_ value: Any) -> String {
  String(decoding: try! JSONSerialization.data(withJSONObject: value), as: UTF8.self)
}

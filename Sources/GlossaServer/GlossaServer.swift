import Foundation
import GlossaModels
import GlossaTensor
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The settings of a ``GlossaServer``.
public struct ServerConfiguration: Sendable {
  /// The address to listen on: the loopback interface unless told otherwise.
  public var host = "127.0.0.1"
  /// The port (0: any free port; the server reports the one it got).
  public var port = 8080
  /// A bearer token every `/v1` and `/metrics` request must carry (nil: none needed).
  public var token: String?
  /// The largest request body, in bytes; a larger one is refused with 413 before it is read.
  public var maximumBodyBytes = 10 << 20
  /// Threads that run the models (requests beyond them wait).
  public var threads = ProcessInfo.processInfo.activeProcessorCount
  /// The most texts, words or sentences in one request.
  public var maximumItems = 1024
  /// The longest text, in characters.
  public var maximumTextLength = 100_000
  /// The most tokens one generation may ask for.
  public var maximumGeneratedTokens = 2048
  /// The most generation streams in one batch (more wait their turn).
  public var maximumStreams = 64
  /// The longest audio one transcription may last, in seconds. The body limit alone does not
  /// bound it: a small file that declares a low sample rate lasts hours once resampled.
  public var maximumAudioSeconds = 600.0

  /// The defaults.
  public init() {}
}

/// Glossa's HTTP server: every model under a folder, served as JSON under `/v1`, with
/// streaming generation, Prometheus metrics, an OpenAPI document and a playground page.
///
/// One instance holds the models, a pool of threads that run them, and a generation
/// scheduler per language model; ``application(logger:onServerRunning:)`` assembles the Hummingbird
/// application over them. Call ``shutdown()`` when the application has stopped.
public final class GlossaServer: Sendable {
  /// What is served.
  public let models: ServedModels
  /// The settings.
  public let configuration: ServerConfiguration
  let pool: NIOThreadPool
  let metrics: ServerMetrics
  let schedulers: [String: GenerationScheduler]

  /// A server for `models`; starts its threads.
  public init(models: ServedModels, configuration: ServerConfiguration = ServerConfiguration()) {
    self.models = models
    self.configuration = configuration
    // Requests run side by side on the pool's threads; each product runs on one BLAS thread.
    BLAS.setThreads(1)
    pool = NIOThreadPool(numberOfThreads: max(1, configuration.threads))
    pool.start()
    let metrics = ServerMetrics()
    self.metrics = metrics
    var schedulers: [String: GenerationScheduler] = [:]
    for name in models.names {
      guard case .model(.languageModel(let model)) = models[name]!.content else { continue }
      schedulers[name] = GenerationScheduler(model: model, maximumStreams: configuration.maximumStreams) {
        metrics.tokensGenerated(model: name, count: $0)
      }
    }
    self.schedulers = schedulers
  }

  /// Stops the generation threads and the pool.
  public func shutdown() async throws {
    for scheduler in schedulers.values { scheduler.stop() }
    try await pool.shutdownGracefully()
  }

  /// The Hummingbird application serving the models; `onServerRunning` hears the port it bound.
  public func application(
    logger: Logger = Logger(label: "glossa-server"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    Application(
      router: router(),
      configuration: .init(
        address: .hostname(configuration.host, port: configuration.port), serverName: "glossa"),
      onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
      logger: logger)
  }

  /// The routes, behind the metrics, error and token middleware.
  func router() -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: JSONErrorMiddleware())
    router.add(middleware: BearerTokenMiddleware(token: configuration.token))
    router.get("/") { _, _ in try Self.publicFile("playground.html", type: "text/html; charset=utf-8") }
    router.get("/openapi.json") { _, _ in try Self.publicFile("openapi.json", type: "application/json") }
    router.get("/health") { _, _ in self.json(["status": "ok"]) }
    router.get("/metrics") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.exposition())))
    }
    router.get("/v1/models") { _, _ in self.json(ModelList(self.models)) }
    router.post("/v1/tokenize") { request, _ in try await self.tokenize(request) }
    router.post("/v1/embeddings") { request, _ in try await self.embeddings(request) }
    router.post("/v1/similar") { request, _ in try await self.similar(request) }
    router.post("/v1/analogy") { request, _ in try await self.analogy(request) }
    router.post("/v1/classify") { request, _ in try await self.classify(request) }
    router.post("/v1/generate") { request, _ in try await self.generate(request) }
    router.post("/v1/next") { request, _ in try await self.next(request) }
    router.post("/v1/tag") { request, _ in try await self.tag(request) }
    router.post("/v1/translate") { request, _ in try await self.translate(request) }
    router.post("/v1/transcribe") { request, _ in try await self.transcribe(request) }
    router.post("/v1/forecast") { request, _ in try await self.forecast(request) }
    return router
  }

  // MARK: Helpers shared by the endpoints

  /// The request body, refused with 413 when its declared length or what arrives exceeds the limit.
  func body(_ request: Request) async throws -> ByteBuffer {
    let limit = configuration.maximumBodyBytes
    let tooLarge = APIError(.contentTooLarge, "the body is larger than the server's limit of \(limit) bytes")
    if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
    do {
      return try await request.body.collect(upTo: limit)
    } catch let error as HTTPError where error.status == .contentTooLarge {
      throw tooLarge
    }
  }

  /// The body decoded as `type`; a decoding error names the field (400).
  func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
    let buffer = try await body(request)
    do {
      return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
    } catch {
      throw APIError(decoding: error)
    }
  }

  /// What `kind` takes from the model named `name` (its tokenizer, its classifier, …), if the
  /// model serves `endpoint`: a 404 naming the models that do otherwise.
  func model<Model>(_ name: String, for endpoint: String, _ kind: (ServedModel) -> Model?) throws -> Model {
    guard let served = models[name], served.endpoints.contains(endpoint), let model = kind(served) else {
      throw APIError.unknownModel(name, models, endpoint: endpoint)
    }
    return model
  }

  /// Checks a list of texts against the limits: not empty, not too many, none too long (422).
  func check(_ texts: [String], field: String) throws {
    guard !texts.isEmpty else { throw APIError.unprocessable("give at least one", field: field) }
    guard texts.count <= configuration.maximumItems else {
      throw APIError.unprocessable(
        "\(texts.count) items, more than the server's limit of \(configuration.maximumItems)", field: field)
    }
    // A text has no more characters than UTF-8 bytes: only a long one is counted character by character.
    let limit = configuration.maximumTextLength
    if let i = texts.firstIndex(where: { $0.utf8.count > limit && $0.count > limit }) {
      throw APIError.unprocessable(
        "\(texts[i].count) characters, more than the server's limit of \(limit)",
        field: "\(field)[\(i)]")
    }
  }

  /// Runs work on `model` on the pool's threads. A served model is only read once loaded
  /// (see ``ServedModel``), so that threads share it without copying it.
  func compute<Model, T: Sendable>(_ model: Model, _ body: @escaping @Sendable (Model) throws -> T)
    async throws -> T
  {
    let shared = SharedModel(model)
    return try await pool.runIfActive { try body(shared.model) }
  }

  /// A JSON response.
  func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return json(bytes: Array((try? encoder.encode(value)) ?? Data("{}".utf8)), status: status)
  }

  /// A JSON response from its bytes.
  func json(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  /// A file of the `Public` folder (the playground, the OpenAPI document).
  static func publicFile(_ name: String, type: String) throws -> Response {
    guard let url = Bundle.module.url(forResource: "Public/\(name)", withExtension: nil) else {
      throw APIError(.internalServerError, "the server was built without its \(name)")
    }
    let data = try Data(contentsOf: url)
    return Response(
      status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

/// `GET /v1/models`: what is served.
struct ModelList: Encodable {
  struct Entry: Encodable {
    var name: String
    var kind: String
    var endpoints: [String]
  }
  var models: [Entry]

  init(_ models: ServedModels) {
    self.models = models.names.map {
      Entry(name: $0, kind: models[$0]!.kind, endpoints: models[$0]!.endpoints)
    }
  }
}

/// A loaded model passed to a pool thread: read-only once served (see ``ServedModel``).
struct SharedModel<Model>: @unchecked Sendable {
  let model: Model
  init(_ model: Model) { self.model = model }
}

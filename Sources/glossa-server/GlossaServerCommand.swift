import ArgumentParser
import Foundation
import GlossaServer
import Hummingbird
import Logging
import ServiceLifecycle

/// `glossa-server`: serves every model under a folder over HTTP.
@main
struct GlossaServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "glossa-server",
    abstract: "Serve Glossa models over HTTP: JSON under /v1, streaming generation, a playground at /.",
    discussion: """
      Serves every model directory, tokenizer.json (named NAME.tokenizer.json or \
      tokenizer.json) and vector file (.vec, .txt, .bin, .safetensors) at the top of --models, \
      each by its name without extensions. The API is described at /openapi.json; GET / is a \
      playground page; GET /metrics gives Prometheus metrics. SIGTERM or SIGINT stops \
      accepting connections and finishes the requests in flight (for at most 30 seconds).

      Examples:
        glossa-server --models models/
        glossa-server --models models/ --host 0.0.0.0 --port 9000 --token "$SECRET"
      """)

  @Option(help: "The folder of models to serve.")
  var models: String
  @Option(help: "The address to listen on (0.0.0.0: every interface).")
  var host = "127.0.0.1"
  @Option(help: "The port (0: any free port).")
  var port = 8080
  @Option(help: "A bearer token every /v1 and /metrics request must carry.")
  var token: String?
  @Option(help: "The largest request body: bytes, or with a unit (KB, MB).")
  var maxBody = "10MB"
  @Option(help: "Threads that run the models (default: the cores).")
  var threads: Int?

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    guard Self.bytes(maxBody) != nil else {
      throw ValidationError("--max-body must be like 512KB, 10MB or 1000000")
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
    if let token, token.isEmpty { throw ValidationError("--token must not be empty") }
  }

  /// A size such as `10MB`, `512KB` or `1000`, in bytes.
  static func bytes(_ text: String) -> Int? {
    let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
    let upper = text.uppercased()
    for (unit, scale) in units where upper.hasSuffix(unit) {
      return Int(upper.dropLast(unit.count)).flatMap { $0 > 0 ? $0 * scale : nil }
    }
    return Int(upper).flatMap { $0 > 0 ? $0 : nil }
  }

  func run() async throws {
    var settings = ServerConfiguration()
    (settings.host, settings.port, settings.token) = (host, port, token)
    settings.maximumBodyBytes = Self.bytes(maxBody)!
    if let threads { settings.threads = threads }
    let logger = Logger(label: "glossa-server")
    // A folder that cannot be served stops the server with the file and the reason (exit 1).
    let served = try ServedModels(folder: URL(fileURLWithPath: models)) { logger.info("\($0)") }
    if served.names.isEmpty { logger.warning("nothing to serve in \(models)") }
    let server = GlossaServer(models: served, configuration: settings)
    let application = server.application(logger: logger) { port in
      logger.info("serving \(served.names.count) models on http://\(host):\(port)")
    }
    var group = ServiceGroupConfiguration(
      services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    group.maximumGracefulShutdownDuration = .seconds(30)
    try await ServiceGroup(configuration: group).run()
    try await server.shutdown()
  }
}

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The server tests' HTTP/1.1 client: one connection per request over NIO (which the server
/// already builds on), the answer's body handed over piece by piece as it arrives, so that a test
/// can watch a stream and hang up in the middle of it.
struct TestClient: Sendable {
  /// What went wrong on the client's side.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Sends a request and reads the whole answer.
  func call(
    _ method: HTTPMethod, _ url: String, json: String? = nil, body: Data? = nil,
    headers: [(String, String)] = []
  ) async throws -> Answer {
    var received = Data()
    let head = try await stream(method, url, json: json, body: body, headers: headers) { piece in
      received.append(contentsOf: piece.readableBytesView)
      return true
    }
    return Answer(
      status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: received)
  }

  /// Sends a request and hands each piece of the answer's body to `read` as it arrives; `read`
  /// returns false to hang up before the end. Gives the answer's head; a connection that is not
  /// answered in full within `timeout` seconds is closed and reported.
  @discardableResult
  func stream(
    _ method: HTTPMethod, _ url: String, json: String? = nil, body: Data? = nil,
    headers: [(String, String)] = [], timeout: Int64 = 120,
    read: (ByteBuffer) async throws -> Bool
  ) async throws -> HTTPResponseHead {
    guard let address = URL(string: url), let host = address.host, let port = address.port else {
      throw Failure(description: "not an http://host:port/ address: \(url)")
    }
    let target = address.path.isEmpty ? "/" : address.path + (address.query.map { "?" + $0 } ?? "")
    let (connection, deadline) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .connect(host: host, port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHTTPClientHandlers()
          let deadline = channel.eventLoop.scheduleTask(in: .seconds(timeout)) {
            channel.close(promise: nil)
          }
          let connection = try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
            wrappingChannelSynchronously: channel)
          return (connection, deadline)
        }
      }
    defer { deadline.cancel() }
    let payload = json.map { ByteBuffer(string: $0) } ?? body.map { ByteBuffer(bytes: $0) }
    var request = HTTPRequestHead(version: .http1_1, method: method, uri: target)
    request.headers.add(name: "Host", value: "\(host):\(port)")
    request.headers.add(name: "Connection", value: "close")
    if json != nil { request.headers.add(name: "Content-Type", value: "application/json") }
    if let payload { request.headers.add(name: "Content-Length", value: "\(payload.readableBytes)") }
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    return try await connection.executeThenClose { inbound, outbound in
      // A server may answer (a refusal) and close before the whole request is written, as
      // HTTP allows: the answer still counts, so a failed write is reported only without one.
      var unsent: (any Error)?
      do {
        try await outbound.write(.head(request))
        if let payload { try await outbound.write(.body(.byteBuffer(payload))) }
        try await outbound.write(.end(nil))
      } catch {
        unsent = error
      }
      var answer: HTTPResponseHead?
      for try await part in inbound {
        switch part {
        case .head(let head): answer = head
        case .body(let piece): if try await !read(piece), let answer { return answer }
        case .end: if let answer { return answer }
        }
      }
      throw Failure(
        description: "\(method) \(url): the connection closed before the answer ended"
          + (unsent.map { " (writing the request: \($0))" } ?? ""))
    }
  }
}

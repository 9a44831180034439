import Foundation
import Hummingbird

/// An error answered as JSON, `{"error": {"status": 404, "message": "…", "field": "model"}}`:
/// the HTTP status, what is wrong, and the request field at fault when there is one.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
  /// The HTTP status.
  public let status: HTTPResponse.Status
  /// What is wrong.
  public let message: String
  /// The request field at fault (`texts[2]`, `model`), when there is one.
  public let field: String?
  /// Headers to send with it (`WWW-Authenticate` for a 401).
  public var headers: HTTPFields = [:]

  /// An error of `status`.
  public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
    (self.status, self.message, self.field) = (status, message, field)
  }

  public var description: String { "\(status.code) \(message)" + (field.map { " (\($0))" } ?? "") }

  /// The JSON body.
  struct Body: Codable {
    struct Detail: Codable {
      var status: Int
      var message: String
      var field: String?
    }
    var error: Detail
  }

  public func response(from request: Request, context: some RequestContext) throws -> Response {
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    let body = Body(error: .init(status: status.code, message: message, field: field))
    let data = try JSONEncoder().encode(body)
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  // The statuses the endpoints answer, one constructor each.

  /// 400: the body is not the JSON the endpoint expects.
  static func badRequest(_ message: String, field: String? = nil) -> APIError {
    APIError(.badRequest, message, field: field)
  }
  /// 404: no model of that name, or not one this endpoint serves.
  static func unknownModel(_ name: String, _ models: ServedModels, endpoint: String) -> APIError {
    let suitable = models.names.filter { models[$0]!.endpoints.contains(endpoint) }
    return APIError(
      .notFound,
      "no model '\(name)' for \(endpoint); served here: "
        + (suitable.isEmpty ? "none" : suitable.joined(separator: ", ")), field: "model")
  }
  /// 422: well-formed, but beyond what the model accepts.
  static func unprocessable(_ message: String, field: String) -> APIError {
    APIError(.unprocessableContent, message, field: field)
  }
}

extension APIError {
  /// A decoding error of the request body, with the path of the field at fault
  /// (`texts[2]`), as a 400.
  init(decoding error: any Error) {
    guard let error = error as? DecodingError else {
      self.init(.badRequest, "the body is not valid JSON: \(error)")
      return
    }
    func path(_ codingPath: [any CodingKey]) -> String? {
      let text = codingPath.reduce("") { text, key in
        if let index = key.intValue { return text + "[\(index)]" }
        return text.isEmpty ? key.stringValue : text + "." + key.stringValue
      }
      return text.isEmpty ? nil : text
    }
    switch error {
    case .typeMismatch(let type, let context):
      self.init(.badRequest, "expected \(Self.describe(type))", field: path(context.codingPath))
    case .valueNotFound(let type, let context):
      self.init(.badRequest, "expected \(Self.describe(type)), found null", field: path(context.codingPath))
    case .keyNotFound(let key, let context):
      self.init(.badRequest, "the field is missing", field: path(context.codingPath + [key]))
    case .dataCorrupted(let context):
      let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
      self.init(
        .badRequest,
        context.codingPath.isEmpty
          ? "the body is not valid JSON" + (underlying.map { ": \($0)" } ?? "")
          : context.debugDescription, field: path(context.codingPath))
    @unknown default:
      self.init(.badRequest, "the body is not the JSON expected: \(error)")
    }
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type, is UInt64.Type: "an integer"
    case is Double.Type, is Float.Type: "a number"
    case is Bool.Type: "true or false"
    default: String(describing: type).hasPrefix("Array") ? "a list" : "an object"
    }
  }
}

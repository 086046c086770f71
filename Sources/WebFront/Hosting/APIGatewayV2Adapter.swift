import FoundationEssentials
import HTTPTypes
import Hummingbird
import Logging

/// Feeds API Gateway HTTP API events (payload format 2.0) through the same router `gas-web` serves,
/// without a server: the event becomes a `Request`, the router's answer becomes the response JSON.
public struct APIGatewayV2Adapter: Sendable {
    /// The request fields of payload format 2.0 that a router needs.
    struct Event: Decodable {
        struct Context: Decodable {
            struct HTTP: Decodable {
                var method: String
                var sourceIp: String?
            }
            var http: HTTP
            var requestId: String?
            var stage: String?
            var domainName: String?
        }
        var rawPath: String
        var rawQueryString: String?
        var cookies: [String]?
        var headers: [String: String]?
        var body: String?
        var isBase64Encoded: Bool?
        var requestContext: Context
    }

    /// The response API Gateway expects; `statusCode` is always set.
    struct Answer: Encodable {
        var statusCode: Int
        var headers: [String: String]
        var cookies: [String]
        var body: String
        var isBase64Encoded: Bool
    }

    let responder: RouterResponder<WebContext>

    /// Serves `router`; build it once per process (at the Lambda's init).
    public init(router: Router<WebContext>) { responder = router.buildResponder() }

    /// Whether `event` is an HTTP API event (rather than a scheduled one).
    public static func isHTTPEvent(_ event: [UInt8]) -> Bool {
        struct Probe: Decodable {
            struct Context: Decodable { var http: [String: String]? }
            var requestContext: Context?
        }
        return (try? JSONDecoder().decode(Probe.self, from: Data(event)))?.requestContext?.http != nil
    }

    /// Answers one event; never throws (a failure is a 500 page, as the server would answer).
    public func handle(_ event: [UInt8], requestID: String, logger: Logger) async -> [UInt8] {
        var logger = logger
        logger[metadataKey: "hb.request.id"] = .string(requestID)
        let answer: Answer
        do {
            let decoded = try JSONDecoder().decode(Event.self, from: Data(event))
            answer = try await respond(to: decoded, logger: logger)
        } catch {
            logger.error("web event failed", metadata: ["error": "\(error)"])
            answer = Answer(statusCode: 500, headers: ["content-type": "text/plain; charset=utf-8"], cookies: [], body: "Server error", isBase64Encoded: false)
        }
        return Array((try? JSONEncoder().encode(answer)) ?? Data(#"{"statusCode":500}"#.utf8))
    }

    func respond(to event: Event, logger: Logger) async throws -> Answer {
        var path = event.rawPath
        // A named stage prefixes the path; the router's paths do not have it.
        if let stage = event.requestContext.stage, stage != "$default", path == "/" + stage || path.hasPrefix("/" + stage + "/") {
            path = String(path.dropFirst(stage.count + 1))
            if path.isEmpty { path = "/" }
        }
        if let query = event.rawQueryString, !query.isEmpty { path += "?" + query }
        var fields = HTTPFields()
        var authority = event.requestContext.domainName
        for (name, value) in event.headers ?? [:] {
            if name.lowercased() == "host" {
                authority = value
            } else if name.lowercased() != "cookie", let field = HTTPField.Name(name) {
                fields.append(HTTPField(name: field, value: value))
            }
        }
        if let cookies = event.cookies, !cookies.isEmpty {
            fields.append(HTTPField(name: .cookie, value: cookies.joined(separator: "; ")))
        } else if let cookie = event.headers?.first(where: { $0.key.lowercased() == "cookie" })?.value {
            fields.append(HTTPField(name: .cookie, value: cookie))
        }
        var body = ByteBuffer()
        if let text = event.body {
            if event.isBase64Encoded == true {
                guard let bytes = Data(base64Encoded: text) else { throw HTTPError(.badRequest, message: "the body is not valid base64") }
                body = ByteBuffer(bytes: bytes)
            } else {
                body = ByteBuffer(string: text)
            }
        }
        let head = HTTPRequest(method: HTTPRequest.Method(event.requestContext.http.method) ?? .get, scheme: "https", authority: authority, path: path, headerFields: fields)
        let context = WebContext(logger: logger)
        let response: Response
        do {
            response = try await responder.respond(to: Request(head: head, body: RequestBody(buffer: body)), context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: Request(head: head, body: RequestBody(buffer: ByteBuffer())), context: context)
        }
        return try await Self.answer(response)
    }

    /// The response as API Gateway wants it: cookies apart, other repeated headers joined, text
    /// bodies as text and everything else base64.
    static func answer(_ response: Response) async throws -> Answer {
        let collector = BodyCollector()
        try await response.body.write(collector)
        var headers: [String: String] = [:]
        var cookies: [String] = []
        for field in response.headers {
            if field.name == .setCookie {
                cookies.append(field.value)
            } else if let existing = headers[field.name.canonicalName] {
                headers[field.name.canonicalName] = existing + ", " + field.value
            } else {
                headers[field.name.canonicalName] = field.value
            }
        }
        let bytes = collector.bytes
        let type = response.headers[.contentType]?.lowercased() ?? ""
        let textual = type.hasPrefix("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript") || bytes.isEmpty
        if textual, let text = String(validating: bytes, as: UTF8.self) {
            return Answer(statusCode: Int(response.status.code), headers: headers, cookies: cookies, body: text, isBase64Encoded: false)
        }
        return Answer(
            statusCode: Int(response.status.code), headers: headers, cookies: cookies, body: Data(bytes).base64EncodedString(), isBase64Encoded: true)
    }

    /// Collects a response body (the writer is consumed, so the bytes live in a reference).
    final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
        var bytes: [UInt8] = []
        func write(_ buffer: ByteBuffer) async throws { bytes += buffer.readableBytesView }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

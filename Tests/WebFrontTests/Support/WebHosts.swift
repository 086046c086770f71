import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

@testable import WebFront

/// One exchange with the front, as either host answered it.
struct Answer: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    var setCookies: [String] { headers.filter { $0.name.lowercased() == "set-cookie" }.map(\.value) }
    var location: String? { header("location") }
}

/// The two hosts of the one router: the HTTP server (`gas-web`, through HummingbirdTesting's
/// router framework) and the Lambda (`WebHandler`, API Gateway HTTP API payload 2.0 events).
enum WebHost: String, CaseIterable, Sendable, CustomStringConvertible {
    case server, lambda

    var description: String { rawValue }

    /// Runs `body` with a browser talking to `router` through this host.
    func run(_ fixture: WebFixture, _ body: @escaping @Sendable (Browser) async throws -> Void) async throws {
        switch self {
        case .server:
            let app = Application(router: fixture.router, logger: fixture.logger)
            try await app.test(.router) { client in
                try await body(Browser(fixture: fixture, send: { method, target, headers, bytes in
                    var fields = HTTPFields()
                    for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
                    let response = try await client.execute(
                        uri: target, method: HTTPRequest.Method(method)!, headers: fields, body: bytes.isEmpty ? nil : ByteBuffer(bytes: bytes))
                    return Answer(
                        status: Int(response.status.code), headers: response.headers.map { ($0.name.canonicalName, $0.value) },
                        body: Array(buffer: response.body))
                }))
            }
        case .lambda:
            let adapter = APIGatewayV2Adapter(router: fixture.router)
            let host = URL(string: fixture.configuration.publicBaseURL)?.host ?? "gas.example.org"
            try await body(Browser(fixture: fixture, send: { method, target, headers, bytes in
                let event = LambdaEvent.http(method: method, target: target, host: host, headers: headers, body: bytes)
                return try LambdaEvent.answer(await adapter.handle(event, requestID: UUID().uuidString, logger: fixture.logger))
            }))
        }
    }
}

/// API Gateway HTTP API events (payload format 2.0) as API Gateway builds them.
enum LambdaEvent {
    /// Cookies go into `cookies` (API Gateway splits the header), the query into `rawQueryString`,
    /// and a form body is base64 (`isBase64Encoded`), as API Gateway sends non-text bodies.
    static func http(method: String, target: String, host: String, headers: [(String, String)], body: [UInt8], stage: String = "$default") -> [UInt8] {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var lowered: [String: String] = ["host": host, "user-agent": "route-tests", "x-forwarded-proto": "https"]
        var cookies: [String] = []
        for (name, value) in headers {
            if name.lowercased() == "cookie" {
                cookies += value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            } else {
                lowered[name.lowercased()] = lowered[name.lowercased()].map { $0 + "," + value } ?? value
            }
        }
        var event: [String: Any] = [
            "version": "2.0", "routeKey": "$default", "rawPath": (stage == "$default" ? "" : "/" + stage) + String(parts[0]),
            "rawQueryString": parts.count > 1 ? String(parts[1]) : "", "headers": lowered,
            "requestContext": [
                "accountId": "123456789012", "apiId": "api", "domainName": host, "domainPrefix": "gas", "requestId": UUID().uuidString,
                "routeKey": "$default", "stage": stage, "time": "02/Dec/2026:13:00:00 +0000", "timeEpoch": 1_796_216_400_000,
                "http": ["method": method, "path": String(parts[0]), "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "route-tests"],
            ],
            "isBase64Encoded": !body.isEmpty,
        ]
        if !cookies.isEmpty { event["cookies"] = cookies }
        if !body.isEmpty { event["body"] = Data(body).base64EncodedString() }
        return Array(try! JSONSerialization.data(withJSONObject: event))
    }

    /// The function's answer as API Gateway reads it.
    static func answer(_ bytes: [UInt8]) throws -> Answer {
        struct Output: Decodable {
            var statusCode: Int
            var headers: [String: String]?
            var cookies: [String]?
            var body: String?
            var isBase64Encoded: Bool?
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(bytes))
        var headers = (output.headers ?? [:]).map { (name: $0.key, value: $0.value) }
        headers += (output.cookies ?? []).map { (name: "set-cookie", value: $0) }
        let body = output.isBase64Encoded == true ? Array(Data(base64Encoded: output.body ?? "") ?? Data()) : Array((output.body ?? "").utf8)
        return Answer(status: output.statusCode, headers: headers, body: body)
    }
}

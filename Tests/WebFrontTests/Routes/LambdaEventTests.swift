import Foundation
import Testing

@testable import WebFront

/// What only the Lambda host sees: API Gateway's event shapes.
@Suite struct LambdaEventTests {
    @Test func cookiesInTheHeaderAStagePrefixAPlainBodyAndBadBase64AreAllHandled() async throws {
        let fixture = try await WebFixture.start()
        let adapter = APIGatewayV2Adapter(router: fixture.router)
        func send(_ event: [UInt8]) async throws -> Answer {
            try LambdaEvent.answer(await adapter.handle(event, requestID: "req-1", logger: fixture.logger))
        }
        func mutate(_ event: [UInt8], _ change: (inout [String: Any]) -> Void) -> [UInt8] {
            var object = try! JSONSerialization.jsonObject(with: Data(event)) as! [String: Any]
            change(&object)
            return Array(try! JSONSerialization.data(withJSONObject: object))
        }
        // A named stage prefixes rawPath; the router's paths do not have it.
        let staged = try await send(LambdaEvent.http(method: "GET", target: "/login?next=%2Fannotations", host: "gas.example.org", headers: [], body: [], stage: "prod"))
        #expect(staged.status == 303 && staged.location?.hasPrefix(fixture.issuer.url + "/authorize?") == true)
        let cookie = try #require(staged.setCookies.first?.split(separator: ";").first.map(String.init))

        // The cookie sent as a header (payload 1.0 habits, or a proxy in front) is read too.
        let withHeader = mutate(LambdaEvent.http(method: "GET", target: "/login", host: "gas.example.org", headers: [], body: [])) {
            var headers = $0["headers"] as! [String: String]
            headers["cookie"] = cookie
            $0["headers"] = headers
        }
        #expect(try await send(withHeader).setCookies.isEmpty, "the same session: no new cookie")

        // A form body sent as text (not base64) reaches the CSRF check intact.
        let plain = mutate(LambdaEvent.http(method: "POST", target: "/logout", host: "gas.example.org", headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie)], body: Array("csrf_token=wrong".utf8))) {
            $0["isBase64Encoded"] = false
            $0["body"] = "csrf_token=wrong"
        }
        let refused = try await send(plain)
        #expect(refused.status == 400 && refused.text.contains("Cross-Site Request Forgery error detected"))

        let badBase64 = mutate(plain) {
            $0["isBase64Encoded"] = true
            $0["body"] = "%%%not base64"
        }
        let bad = try await send(badBase64)
        #expect(bad.status == 400 || bad.status == 500)
        #expect(!bad.text.contains("Swift") && !bad.text.contains("DecodingError"))

        // Not an HTTP event at all: a clear 500 answer, never a crash.
        #expect(try await send(Array(#"{"version":"2.0"}"#.utf8)).status == 500)
        #expect(APIGatewayV2Adapter.isHTTPEvent(LambdaEvent.http(method: "GET", target: "/", host: "h", headers: [], body: [])))
        #expect(!APIGatewayV2Adapter.isHTTPEvent(Array(#"{"source":"aws.events","detail-type":"Scheduled Event"}"#.utf8)))
    }

    @Test func binaryAndTextAnswersAreEncodedAsAPIGatewayExpects() async throws {
        let fixture = try await WebFixture.start()
        let adapter = APIGatewayV2Adapter(router: fixture.router)
        let raw = await adapter.handle(LambdaEvent.http(method: "GET", target: "/static/gas.css", host: "gas.example.org", headers: [], body: []), requestID: "r", logger: fixture.logger)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any])
        #expect(object["statusCode"] as? Int == 200 && object["isBase64Encoded"] as? Bool == false)
        #expect((object["body"] as? String)?.contains("box-sizing") == true)
        #expect((object["headers"] as? [String: String])?["Content-Type"]?.hasPrefix("text/css") == true
            || (object["headers"] as? [String: String])?["content-type"]?.hasPrefix("text/css") == true)
    }
}

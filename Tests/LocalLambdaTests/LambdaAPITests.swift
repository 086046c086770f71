import Foundation
import HTTPTransport
import LocalLambda
import Testing

extension FunctionHostTests {
    /// The rest of the Lambda API the AWS CLI uses against the local endpoint.
    @Test func theLambdaAPIListsDescribesLimitsRetriesAndTails() async throws {
        let endpoint = try AWSEndpoint()
        let echo = try FunctionHost(
            .init(name: "echo", executable: Self.echo, environment: ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256", "GREETING": "hi"], timeout: 30), log: { _ in })
        let broken = try FunctionHost(.init(name: "broken", executable: Self.archive, environment: ["PATH": "/usr/bin:/bin"]), log: { _ in })
        defer {
            echo.stop()
            broken.stop()
        }
        endpoint.host(echo)
        endpoint.host(broken)
        endpoint.retryEvents(after: [0.05, 0.05])
        let http = CurlHTTPClient()
        func send(_ method: String, _ path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) async throws -> HTTPResponse {
            try await http.send(HTTPRequest(method: method, url: endpoint.url + path, headers: headers, body: .bytes(body)))
        }
        func object(_ response: HTTPResponse) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        }

        let listed = try object(try await send("GET", "/2015-03-31/functions/"))
        #expect((listed["Functions"] as? [[String: Any]])?.compactMap { $0["FunctionName"] as? String } == ["broken", "echo"])
        let described = try object(try await send("GET", "/2015-03-31/functions/echo"))
        let configuration = try #require(described["Configuration"] as? [String: Any])
        #expect(configuration["FunctionArn"] as? String == "arn:aws:lambda:us-east-1:123456789012:function:echo")
        #expect(configuration["Runtime"] as? String == "provided.al2023" && configuration["MemorySize"] as? Int == 256)
        #expect(configuration["Timeout"] as? Int == 30)
        #expect((configuration["Environment"] as? [String: Any])?["Variables"] as? [String: String] == ["GREETING": "hi"])
        let unknown = try await send("GET", "/2015-03-31/functions/nope")
        #expect(unknown.status == 404 && unknown.header("x-amzn-ErrorType") == "ResourceNotFoundException")

        let tooBig = try await send("POST", "/2015-03-31/functions/echo/invocations", body: Array(repeating: 0x20, count: 6_291_457))
        #expect(tooBig.status == 413 && tooBig.header("x-amzn-ErrorType") == "RequestEntityTooLargeException")
        let tooBigEvent = try await send(
            "POST", "/2015-03-31/functions/echo/invocations", headers: [("X-Amz-Invocation-Type", "Event")], body: Array(repeating: 0x20, count: 1_048_577))
        #expect(tooBigEvent.status == 413)
        #expect(String(decoding: tooBigEvent.body, as: UTF8.self).contains("Request must be smaller than 1048576 bytes for the InvokeFunction operation"))
        #expect(echo.invocations == 0, "a refused request never reaches the function")

        let tailed = try await send(
            "POST", "/2015-03-31/functions/echo/invocations", headers: [("X-Amz-Log-Type", "Tail")], body: Array(#"{"x":1}"#.utf8))
        let tail = String(decoding: Data(base64Encoded: try #require(tailed.header("X-Amz-Log-Result"))) ?? Data(), as: UTF8.self)
        #expect(tail.hasPrefix("START RequestId: ") && tail.contains("\nEND RequestId: ") && tail.contains("Memory Size: 256 MB"))

        // A failed Event invocation is tried twice more, then dropped.
        let event = try await send("POST", "/2015-03-31/functions/broken/invocations", headers: [("X-Amz-Invocation-Type", "Event")], body: Array("{}".utf8))
        #expect(event.status == 202)
        var waited = 0
        while broken.invocations < 3 && waited < 100 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(broken.invocations == 3)
    }
}

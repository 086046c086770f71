import Foundation
import HTTPTransport
import LocalLambda
import TestSupport
import Testing

extension FunctionHostTests {
    /// The Invoke API as `aws lambda invoke --endpoint-url` and moto's Step Functions speak it.
    @Test func theInvokeAPIAnswersLikeLambda() async throws {
        let endpoint = try AWSEndpoint()
        let echo = try FunctionHost(.init(name: "echo", executable: Self.echo, environment: [:]), log: { _ in })
        let broken = try FunctionHost(.init(name: "broken", executable: Self.archive, environment: ["PATH": "/usr/bin:/bin"]), log: { _ in })
        defer {
            echo.stop()
            broken.stop()
        }
        endpoint.host(echo)
        endpoint.host(broken)
        let http = CurlHTTPClient()
        func invoke(_ function: String, type: String? = nil) async throws -> HTTPResponse {
            let headers: [(name: String, value: String)] = type.map { [("X-Amz-Invocation-Type", $0)] } ?? []
            return try await http.send(
                HTTPRequest(method: "POST", url: endpoint.url + "/2015-03-31/functions/\(function)/invocations", headers: headers, body: .bytes(Array(#"{"x":1}"#.utf8))))
        }
        let direct = try await invoke("echo")
        #expect(direct.status == 200)
        #expect(direct.body == Array(#"{"x":1}"#.utf8))
        #expect(direct.header("X-Amz-Function-Error") == nil)
        let byARN = try await invoke("arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho")
        #expect(byARN.body == Array(#"{"x":1}"#.utf8))
        #expect(try await invoke("echo", type: "Event").status == 202)
        let failed = try await invoke("broken")
        #expect(failed.status == 200)
        #expect(failed.header("X-Amz-Function-Error") == "Unhandled")
        #expect(String(decoding: failed.body, as: UTF8.self).contains("Runtime.ConfigInvalid"))
        let missing = try await invoke("nope")
        #expect(missing.status == 404)
        #expect(missing.header("x-amzn-ErrorType") == "ResourceNotFoundException")
        #expect(endpoint.invocations(of: "echo") >= 2)
    }
}

import Foundation
import LambdaCodable
@testable import LambdaRuntime
import LocalServer
import Synchronization
import Testing

/// The runtime against a Runtime API that answers what a broken or hostile peer would (issue 10, item 13).
@Suite struct RuntimeAPIHardeningTests {
    /// A Runtime API whose `/next` answers are scripted, raw bytes where needed; every POST answers 202.
    final class ScriptedAPI: Sendable {
        final class State: Sendable {
            let script: Mutex<[LocalHTTPServer.Response]>
            let posts = Mutex<[LocalHTTPServer.Request]>([])
            init(_ answers: [LocalHTTPServer.Response]) { script = Mutex(answers) }
        }

        let server: LocalHTTPServer
        private let state: State

        init(_ answers: [LocalHTTPServer.Response], post: @escaping @Sendable (LocalHTTPServer.Request) -> LocalHTTPServer.Response? = { _ in nil }) throws {
            let state = State(answers)
            self.state = state
            server = try LocalHTTPServer { request in
                if request.method == "POST" {
                    state.posts.withLock { $0.append(request) }
                    return post(request) ?? .init(status: 202, text: #"{"status":"OK"}"#)
                }
                return state.script.withLock { $0.isEmpty ? .init(status: 500, text: "script ended") : $0.removeFirst() }
            }
        }

        var endpoint: String { String(server.url.dropFirst("http://".count)) }
        var posted: [LocalHTTPServer.Request] { state.posts.withLock { $0 } }
    }

    static func raw(_ text: String) -> LocalHTTPServer.Response {
        var response = LocalHTTPServer.Response(status: 200)
        response.raw = Array(text.utf8)
        return response
    }

    static func event(_ id: String, _ body: String) -> LocalHTTPServer.Response {
        .init(status: 200, headers: [("Lambda-Runtime-Aws-Request-Id", id), ("Lambda-Runtime-Deadline-Ms", "\(Int64(Date().timeIntervalSince1970 * 1000) + 60_000)")], text: body)
    }

    private func run(_ api: ScriptedAPI, invocations: Int, endpoint: String? = nil) async -> (LambdaRuntime.Exit, [String], LogCapture) {
        let seen = Mutex<[String]>([])
        let logs = LogCapture()
        let runtime = LambdaRuntime(environment: ["AWS_LAMBDA_RUNTIME_API": endpoint ?? api.endpoint], logWriter: logs.writer)
        let exit = await runtime.run(maxInvocations: invocations) { _ in
            ClosureRawLambdaHandler { event, _ in
                seen.withLock { $0.append(String(decoding: event, as: UTF8.self)) }
                return event
            }
        }
        return (exit, seen.withLock { $0 }, logs)
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: big\r\nContent-Length: 1000000000000\r\n\r\n{}",
        "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: big\r\nTransfer-Encoding: chunked\r\n\r\nE8D4A51000\r\n{}",
    ])
    func aHugeEventIsRefusedForThatInvocationWithoutAllocatingIt(_ answer: String) async throws {
        let api = try ScriptedAPI([Self.raw(answer), Self.event("r2", "next one")])
        let (exit, seen, _) = await run(api, invocations: 1)
        #expect(exit == .finished)
        #expect(seen == ["next one"])
        let refusal = try #require(api.posted.first)
        #expect(refusal.path == "/2018-06-01/runtime/invocation/big/error")
        #expect(refusal.headers["lambda-runtime-function-error-type"] == "Runtime.EventTooLarge")
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nContent-Length: twelve\r\n\r\n{\"a\":1}",
        "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nContent-Length: 7\r\nContent-Length: 2\r\n\r\n{\"a\":1}",
        "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nX-Padding: <1 MiB>\r\nContent-Length: 2\r\n\r\n{}",
    ])
    func aBrokenAnswerEndsTheRuntimeInsteadOfRunningTheHandlerOnNothing(_ answer: String) async throws {
        let api = try ScriptedAPI([Self.raw(answer.replacingOccurrences(of: "<1 MiB>", with: String(repeating: "p", count: 1 << 20)))])
        let started = ContinuousClock.now
        let (exit, seen, logs) = await run(api, invocations: 1)
        guard case .runtimeAPIFailed(let reason) = exit else {
            Issue.record("expected the runtime to stop, got \(exit)")
            return
        }
        #expect(reason.contains("Runtime API protocol"), "\(reason)")
        #expect(seen.isEmpty)
        #expect(logs.all.contains { $0.contains("Runtime API failed") })
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func anEventWithoutALengthRunsToTheEndOfTheConnection() async throws {
        let api = try ScriptedAPI([Self.raw("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nConnection: close\r\n\r\n{\"whole\":true}")])
        let (exit, seen, _) = await run(api, invocations: 1)
        #expect(exit == .finished)
        #expect(seen == [#"{"whole":true}"#])
        #expect(api.posted.first?.body == Array(#"{"whole":true}"#.utf8))
    }

    @Test func theRequestIDIsOnePathSegment() async throws {
        let api = try ScriptedAPI([Self.event("a/b c?d", "x")])
        _ = await run(api, invocations: 1)
        #expect(api.posted.first?.path == "/2018-06-01/runtime/invocation/a%2Fb%20c%3Fd/response")
    }

    @Test func aFullyWrittenResponseIsNeverSentTwice() async throws {
        let api = try ScriptedAPI([Self.event("r1", "once"), Self.event("r2", "unused")]) { _ in
            var dropped = LocalHTTPServer.Response(status: 202)
            dropped.raw = []  // the server took the POST, then the connection broke before its answer
            return dropped
        }
        let (exit, _, _) = await run(api, invocations: 2)
        guard case .runtimeAPIFailed = exit else {
            Issue.record("expected the runtime to stop, got \(exit)")
            return
        }
        #expect(api.posted.count == 1)
    }

    @Test(arguments: ["localhost", ":9001", "127.0.0.1:http", "127.0.0.1:70000"])
    func anEndpointThatIsNotHostAndPortIsNamedInTheLog(_ endpoint: String) async throws {
        let api = try ScriptedAPI([])
        let (exit, _, logs) = await run(api, invocations: 1, endpoint: endpoint)
        #expect(exit == .runtimeAPIFailed("AWS_LAMBDA_RUNTIME_API: expected host:port, got \(endpoint)"))
        #expect(logs.all.contains { $0.contains("expected host:port") })
    }
}

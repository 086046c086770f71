import Foundation
import LambdaCodable
@testable import LambdaRuntime
import Logging
import TestSupport
import Testing

/// The runtime loop against a real Runtime API server over HTTP.
@Suite(.serialized) struct LambdaRuntimeTests {
    struct Upgraded: LambdaErrorType {
        var errorType: String { "Archive.UserUpgraded" }
        var errorMessage: String { "user u1 is premium now" }
    }

    struct Boom: Error {}

    private func run(
        _ api: FakeRuntimeAPI, invocations: Int, environment: [String: String] = [:], logs: LogCapture = LogCapture(),
        handler: @escaping @Sendable ([UInt8], LambdaContext) async throws -> [UInt8]
    ) async -> LambdaRuntime.Exit {
        let runtime = LambdaRuntime(
            environment: environment.merging(["AWS_LAMBDA_RUNTIME_API": api.endpoint, "AWS_LAMBDA_FUNCTION_NAME": "archive"]) { $1 },
            logWriter: logs.writer)
        return await runtime.run(maxInvocations: invocations) { _ in ClosureRawLambdaHandler(handler) }
    }

    @Test func echoesEventsOverOneConnection() async throws {
        let api = try FakeRuntimeAPI()
        let big = String(repeating: "x", count: 300_000)
        api.enqueue(.init(requestID: "r1", body: #"{"a":1}"#))
        api.enqueue(.init(requestID: "r2", body: big))
        api.enqueue(.init(requestID: "r3", body: ""))
        let exit = await run(api, invocations: 3) { event, _ in event }
        #expect(exit == .finished)
        #expect(api.response("r1") == #"{"a":1}"#)
        #expect(api.response("r2") == big)
        #expect(api.response("r3") == "")
        #expect(api.posts.allSatisfy { $0.headers["user-agent"]?.hasPrefix("gas-lambda-runtime") == true })
    }

    @Test func contextCarriesEveryHeaderAndTheTraceVariable() async throws {
        let api = try FakeRuntimeAPI()
        let deadline = LambdaContext.nowMilliseconds() + 60_000
        api.enqueue(.init(requestID: "r1", body: "{}", headers: [
            ("Lambda-Runtime-Deadline-Ms", String(deadline)), ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:1:function:archive:live"),
            ("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1"), ("Lambda-Runtime-Client-Context", #"{"c":1}"#),
            ("Lambda-Runtime-Cognito-Identity", #"{"cognitoIdentityId":"id"}"#), ("Lambda-Runtime-Aws-Tenant-Id", "tenant-7"),
        ]))
        api.enqueue(.init(requestID: "r2", body: "{}"))
        let exit = await run(api, invocations: 2) { _, context in
            let trace = ProcessInfo.processInfo.environment["_X_AMZN_TRACE_ID"] ?? "unset"
            let remaining = context.remainingTime.components.seconds
            return Array("\(context.requestID)|\(context.deadlineMilliseconds)|\(context.invokedFunctionARN)|\(trace)|\(context.clientContext ?? "-")|\(context.cognitoIdentity ?? "-")|\(context.tenantID ?? "-")|\(context.function.name)|\(remaining > 50)".utf8)
        }
        #expect(exit == .finished)
        #expect(api.response("r1") == "r1|\(deadline)|arn:aws:lambda:eu-west-1:1:function:archive:live|Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1|{\"c\":1}|{\"cognitoIdentityId\":\"id\"}|tenant-7|archive|true")
        #expect(api.response("r2")?.contains("|unset|-|-|-|archive|") == true)
    }

    @Test func handlerErrorsCarryAStableErrorType() async throws {
        let api = try FakeRuntimeAPI()
        api.enqueue(.init(requestID: "typed", body: "{}"))
        api.enqueue(.init(requestID: "plain", body: "{}"))
        api.enqueue(.init(requestID: "after", body: "ok"))
        let exit = await run(api, invocations: 3) { event, context in
            switch context.requestID {
            case "typed": throw Upgraded()
            case "plain": throw Boom()
            default: return event
            }
        }
        #expect(exit == .finished)
        let typed = try #require(api.error("typed"))
        #expect(typed.headers["lambda-runtime-function-error-type"] == "Archive.UserUpgraded")
        let document = try JSONSerialization.jsonObject(with: Data(typed.body.utf8)) as? [String: Any]
        #expect(document?["errorType"] as? String == "Archive.UserUpgraded")
        #expect(document?["errorMessage"] as? String == "user u1 is premium now")
        #expect(document?["stackTrace"] as? [String] == [])
        #expect(api.error("plain")?.headers["lambda-runtime-function-error-type"] == "Unhandled")
        #expect(api.error("plain")?.body.contains("Boom") == true)
        #expect(api.response("after") == "ok")
    }

    @Test func malformedEventsNameTheField() async throws {
        struct Job: Decodable, Sendable { var job_id: String; var retention: Int }
        let api = try FakeRuntimeAPI()
        api.enqueue(.init(requestID: "missing", body: #"{"retention": 300}"#))
        api.enqueue(.init(requestID: "mistyped", body: #"{"job_id": "j1", "retention": "soon"}"#))
        api.enqueue(.init(requestID: "garbage", body: "not json"))
        api.enqueue(.init(requestID: "good", body: #"{"job_id": "j1", "retention": 300}"#))
        let runtime = LambdaRuntime(environment: ["AWS_LAMBDA_RUNTIME_API": api.endpoint], logWriter: LogCapture().writer)
        let exit = await runtime.run(maxInvocations: 4) { _ in
            CodableLambdaAdapter(ClosureLambdaHandler<Job, [String: Int]> { job, _ in [job.job_id: job.retention] })
        }
        #expect(exit == .finished)
        #expect(api.error("missing")?.headers["lambda-runtime-function-error-type"] == "InvalidEvent")
        #expect(api.error("missing")?.body.contains("field job_id is missing") == true)
        #expect(api.error("mistyped")?.body.contains("field retention is not Int") == true)
        #expect(api.error("garbage")?.headers["lambda-runtime-function-error-type"] == "InvalidEvent")
        #expect(api.response("good") == #"{"j1":300}"#)
    }

    @Test func initFailureIsReportedAndEndsTheProcess() async throws {
        let api = try FakeRuntimeAPI()
        let runtime = LambdaRuntime(environment: ["AWS_LAMBDA_RUNTIME_API": api.endpoint], logWriter: LogCapture().writer)
        struct MissingConfig: LambdaErrorType {
            var errorType: String { "Runtime.ConfigInvalid" }
            var errorMessage: String { "missing RESULTS_BUCKET, ANNOTATIONS_TABLE" }
        }
        let exit = await runtime.run(maxInvocations: 1) { _ in throw MissingConfig() }
        #expect(exit == .initFailed)
        let post = try #require(api.posts.first)
        #expect(post.path == "/2018-06-01/runtime/init/error")
        #expect(post.headers["lambda-runtime-function-error-type"] == "Runtime.ConfigInvalid")
        #expect(post.body.contains("RESULTS_BUCKET"))
    }

    @Test func oversizedResponseBecomesAnErrorForThatInvocation() async throws {
        let api = try FakeRuntimeAPI()
        api.enqueue(.init(requestID: "huge", body: "{}", responseStatus: 413))
        api.enqueue(.init(requestID: "next", body: "fine"))
        let exit = await run(api, invocations: 2) { event, _ in event }
        #expect(exit == .finished)
        #expect(api.error("huge")?.headers["lambda-runtime-function-error-type"] == "Function.ResponseSizeTooLarge")
        #expect(api.response("next") == "fine")
    }

    @Test func staleRequestIDIsLoggedAndTheLoopGoesOn() async throws {
        let api = try FakeRuntimeAPI()
        let logs = LogCapture()
        api.enqueue(.init(requestID: "stale", body: "{}", responseStatus: 400))
        api.enqueue(.init(requestID: "fresh", body: "ok"))
        let exit = await run(api, invocations: 2, logs: logs) { event, _ in event }
        #expect(exit == .finished)
        #expect(api.response("fresh") == "ok")
        #expect(logs.all.contains { $0.contains("refused") && $0.contains("400") })
    }

    @Test func runtimeAPIFailureEndsTheLoop() async throws {
        let api = try FakeRuntimeAPI()
        api.failNext(status: 500)
        let exit = await run(api, invocations: 5) { event, _ in event }
        guard case .runtimeAPIFailed(let message) = exit else {
            Issue.record("expected runtimeAPIFailed, got \(exit)")
            return
        }
        #expect(message.contains("500"))
        let unreachable = LambdaRuntime(environment: ["AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9"], logWriter: LogCapture().writer)
        let exit2 = await unreachable.run(maxInvocations: 1) { _ in ClosureRawLambdaHandler { event, _ in event } }
        #expect(exit2 != .finished)
    }

    @Test func chunkedEventsAndClosedConnectionsAreHandled() async throws {
        let api = try FakeRuntimeAPI()
        api.enqueue(.init(requestID: "c1", body: "a chunked event body", chunkedAndClose: true))
        api.enqueue(.init(requestID: "c2", body: "again", chunkedAndClose: true))
        let exit = await run(api, invocations: 2) { event, _ in event }
        #expect(exit == .finished)
        #expect(api.response("c1") == "a chunked event body")
        #expect(api.response("c2") == "again")
    }
}

extension LambdaRuntimeTests {
    /// Nested so it runs serialised with the loop tests: both touch the process environment.
    @Suite struct TraceEnvironmentTests {
        @Test func rewritesOneBufferAndRemovesTheVariable() {
            let trace = TraceEnvironment()
            func current() -> String? { getenv("_X_AMZN_TRACE_ID").map { String(cString: $0) } }
            trace.set("Root=1-a")
            #expect(current() == "Root=1-a")
            let long = "Root=1-" + String(repeating: "b", count: 400)
            trace.set(long)
            #expect(current() == long)
            trace.set("Root=1-c")
            #expect(current() == "Root=1-c")
            trace.set(nil)
            #expect(current() == nil)
            trace.set("Root=1-d")
            #expect(current() == "Root=1-d")
            trace.set(nil)
        }
    }
}

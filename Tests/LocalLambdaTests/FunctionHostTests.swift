import Foundation
import LocalLambda
import Synchronization
import TestSupport
import Testing

/// The local Lambda host running real binaries against its Runtime API.
@Suite struct FunctionHostTests {
    final class Lines: Sendable {
        private let list = Mutex<[String]>([])
        func add(_ line: String) { list.withLock { $0.append(line) } }
        var all: [String] { list.withLock { $0 } }
    }

    static var echo: String { Vectors.packageRoot.appendingPathComponent(".build/debug/EchoLambda").path }
    static var archive: String { Vectors.packageRoot.appendingPathComponent(".build/debug/ArchiveHandler").path }

    @Test func invokesTheRealBinaryOneEventAtATime() async throws {
        let host = try FunctionHost(.init(name: "echo", executable: Self.echo, environment: [:]), log: { _ in })
        defer { host.stop() }
        let results = await withTaskGroup(of: FunctionHost.Result.self) { group in
            for index in 0..<20 { group.addTask { await host.invoke(Array(#"{"n":\#(index)}"#.utf8)) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 20)
        #expect(results.allSatisfy { $0.errorType == nil })
        #expect(Set(results.map { String(decoding: $0.body, as: UTF8.self) }) == Set((0..<20).map { #"{"n":\#($0)}"# }))
        #expect(host.restarts == 0)
    }

    @Test func anInitFailureAnswersEveryInvocationWithItsError() async throws {
        let lines = Lines()
        // ArchiveHandler without its configuration posts /runtime/init/error and exits 1.
        let host = try FunctionHost(.init(name: "archive", executable: Self.archive, environment: ["PATH": "/usr/bin:/bin"]), log: lines.add)
        defer { host.stop() }
        let result = await host.invoke(Array(#"{"job_id":"j"}"#.utf8))
        #expect(result.errorType == "Runtime.ConfigInvalid")
        #expect(String(decoding: result.body, as: UTF8.self).contains("ANNOTATIONS_TABLE"))
        #expect(lines.all.contains { $0.hasPrefix("[archive]") })
    }

    @Test func theThawFunctionOnTheVaultBackendRefusesToStartWithoutTheRetrievalTopic() async throws {
        // Without the topic its vault retrievals would start and never complete (issue 10, item 9).
        let thaw = Vectors.packageRoot.appendingPathComponent(".build/debug/ThawHandler").path
        let environment = [
            "PATH": "/usr/bin:/bin", "ANNOTATIONS_TABLE": "a", "USERS_TABLE": "u", "RESULTS_BUCKET": "r", "COLD_STORE": "glacier-vault",
            "GLACIER_VAULT": "gas", "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y",
        ]
        let host = try FunctionHost(.init(name: "thaw", executable: thaw, environment: environment), log: { _ in })
        defer { host.stop() }
        let result = await host.invoke(Array(#"{"Records":[]}"#.utf8))
        #expect(result.errorType == "Runtime.ConfigInvalid")
        #expect(String(decoding: result.body, as: UTF8.self).contains("RETRIEVAL_TOPIC_ARN is required with COLD_STORE=glacier-vault"))
        // The other backend does not need it.
        let s3 = try FunctionHost(.init(name: "thaw-s3", executable: thaw, environment: environment.merging(["COLD_STORE": "s3-glacier"]) { $1 }), log: { _ in })
        defer { s3.stop() }
        #expect(await s3.invoke(Array(#"{"Records":[]}"#.utf8)).errorType == nil)
    }

    @Test func aCrashFailsTheInvocationAndTheProcessIsRestarted() async throws {
        let lines = Lines()
        let host = try FunctionHost(.init(name: "crash", executable: "/bin/sh", arguments: ["-c", "exit 3"], environment: [:]), log: lines.add)
        defer { host.stop() }
        let deadline = Date().addingTimeInterval(10)
        while host.restarts < 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(host.restarts >= 2)
        #expect(lines.all.contains { $0.contains("exited with status 3") })
    }

    @Test func aHungInvocationTimesOutAndTheEnvironmentIsReplaced() async throws {
        // The "function" takes the event and never answers.
        let script = "exec 3<>/dev/tcp/${AWS_LAMBDA_RUNTIME_API%:*}/${AWS_LAMBDA_RUNTIME_API#*:}; printf 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' >&3; sleep 30"
        let host = try FunctionHost(.init(name: "hang", executable: "/bin/bash", arguments: ["-c", script], environment: [:], timeout: 1), log: { _ in })
        defer { host.stop() }
        let result = await host.invoke(Array("{}".utf8))
        #expect(result.errorType == "Sandbox.Timedout")
        let deadline = Date().addingTimeInterval(10)
        while host.restarts < 1 && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(host.restarts >= 1)
    }
}

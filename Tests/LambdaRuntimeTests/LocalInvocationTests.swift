import Foundation
@testable import LambdaRuntime
import TestSupport
import Testing

@Suite struct LocalInvocationTests {
    struct Failed: LambdaErrorType {
        var errorType: String { "Thaw.NoSuchUser" }
    }

    private func invoke(_ arguments: [String], handler: @escaping @Sendable ([UInt8], LambdaContext) async throws -> [UInt8]) async -> (Int32, String) {
        let output = LogCapture()
        let local = LocalInvocation(environment: [:], arguments: arguments, output: output.writer)
        let code = await local.run { _ in ClosureRawLambdaHandler(handler) }
        return (code, output.all.joined())
    }

    @Test func runsOnceWithTheEventFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("event-\(UUID()).json")
        try #"{"job_id":"j1"}"#.write(to: file, atomically: true, encoding: .utf8)
        let (code, output) = await invoke(["--event", file.path]) { event, context in
            #expect(context.requestID.hasPrefix("local-"))
            return event
        }
        #expect(code == 0)
        #expect(output == "{\"job_id\":\"j1\"}\n")
    }

    @Test func failuresPrintTheErrorDocumentAndExitNonZero() async {
        let (code, output) = await invoke(["--event", "/dev/null"]) { _, _ in throw Failed() }
        #expect(code == 1)
        #expect(output.contains(#""errorType":"Thaw.NoSuchUser""#))
        let (badCode, badOutput) = await invoke(["--event", "/nonexistent/e.json"]) { event, _ in event }
        #expect(badCode == 2)
        #expect(badOutput.contains("cannot open"))
    }

    @Test func theEchoBinaryReadsStandardInput() throws {
        let binary = Vectors.packageRoot.appendingPathComponent(".build/debug/EchoLambda")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("build EchoLambda first (scripts/test.sh builds every product)")
            return
        }
        let process = Process()
        process.executableURL = binary
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_LAMBDA_RUNTIME_API"] = nil
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(#"{"echo":true}"#.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "{\"echo\":true}\n")
    }
}

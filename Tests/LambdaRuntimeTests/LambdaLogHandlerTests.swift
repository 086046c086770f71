import Foundation
@testable import LambdaRuntime
import Logging
import TestSupport
import Testing

@Suite struct LambdaLogHandlerTests {
    @Test func jsonLinesCarryTheInvocationsContextAndMetadata() async throws {
        let api = try FakeRuntimeAPI()
        let logs = LogCapture()
        let trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        api.enqueue(.init(requestID: "r-json", body: "{}", headers: [("Lambda-Runtime-Trace-Id", trace)]))
        api.enqueue(.init(requestID: "r-warm", body: "{}"))
        let runtime = LambdaRuntime(
            environment: [
                "AWS_LAMBDA_RUNTIME_API": api.endpoint, "AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "WARN",
                "AWS_LAMBDA_FUNCTION_NAME": "gas-ArchiveFunction",
            ], logWriter: logs.writer)
        _ = await runtime.run(maxInvocations: 2) { _ in
            ClosureRawLambdaHandler { event, context in
                context.logger.info("hidden below WARN")
                context.logger.warning("archiving \"quoted\"\nline", metadata: ["job.id": "j1"])
                return event
            }
        }
        let lines = logs.all.filter { $0.contains("archiving") }
        #expect(lines.count == 2)
        #expect(!logs.all.contains { $0.contains("hidden") })
        let cold = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(cold["level"] as? String == "WARN")
        #expect(cold["requestId"] as? String == "r-json")
        #expect(cold["function"] as? String == "gas-ArchiveFunction")
        #expect(cold["traceId"] as? String == trace)
        #expect(cold["coldStart"] as? Bool == true)
        #expect(cold["message"] as? String == "archiving \"quoted\"\nline")
        #expect(cold["job.id"] as? String == "j1")
        #expect((cold["timestamp"] as? String)?.hasSuffix("Z") == true)
        #expect(lines[0].hasSuffix("}\n"))
        let warm = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(warm["requestId"] as? String == "r-warm")
        #expect(warm["coldStart"] as? Bool == false)
        #expect(warm["traceId"] == nil)
    }

    @Test func textFormatIsTheDefault() {
        let logs = LogCapture()
        var logger = Logger(label: "t") { LambdaLogHandler(label: $0, environment: [:], writer: logs.writer) }
        logger[metadataKey: "requestId"] = "r-text"
        logger.debug("not at INFO")
        logger.error("failed", metadata: ["errorType": "X"])
        #expect(logs.all.count == 1)
        let fields = logs.all[0].split(separator: "\t")
        #expect(fields.count == 4)
        #expect(fields[1] == "r-text")
        #expect(fields[2] == "ERROR")
        #expect(fields[3] == "failed errorType=X\n")
    }

    @Test(arguments: [("TRACE", Logger.Level.trace), ("debug", .debug), ("WARN", .warning), ("FATAL", .critical), ("bogus", .info)])
    func levelsFollowLambdaNames(_ name: String, _ level: Logger.Level) {
        #expect(LambdaLogHandler(label: "t", environment: ["AWS_LAMBDA_LOG_LEVEL": name]).logLevel == level)
    }
}

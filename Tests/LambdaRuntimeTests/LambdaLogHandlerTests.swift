import Foundation
@testable import LambdaRuntime
import Logging
import TestSupport
import Testing

@Suite struct LambdaLogHandlerTests {
    @Test func jsonLinesCarryLevelRequestIdAndMetadata() async throws {
        let api = try FakeRuntimeAPI()
        let logs = LogCapture()
        api.enqueue(.init(requestID: "r-json", body: "{}"))
        let runtime = LambdaRuntime(
            environment: ["AWS_LAMBDA_RUNTIME_API": api.endpoint, "AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "WARN"], logWriter: logs.writer)
        _ = await runtime.run(maxInvocations: 1) { _ in
            ClosureRawLambdaHandler { event, context in
                context.logger.info("hidden below WARN")
                context.logger.warning("archiving \"quoted\"\nline", metadata: ["job.id": "j1"])
                return event
            }
        }
        let lines = logs.all.filter { $0.contains("archiving") }
        #expect(lines.count == 1)
        #expect(!logs.all.contains { $0.contains("hidden") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(object["level"] == "WARN")
        #expect(object["requestId"] == "r-json")
        #expect(object["message"] == "archiving \"quoted\"\nline")
        #expect(object["job.id"] == "j1")
        #expect(object["timestamp"]?.hasSuffix("Z") == true)
        #expect(lines[0].hasSuffix("}\n"))
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

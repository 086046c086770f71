import FoundationEssentials
import GASHandlers
import LambdaEvents
import LambdaRuntime
import Logging
import Testing
import Workflows

/// How failures become `errorType`s and how one bad record stays one failed record (issue 10, item 14).
@Suite struct HandlerFailureTests {
    @Test func aPayloadThatCanNeverDecodeIsPermanentAndNamesTheField() throws {
        struct Upgrade: Decodable { var user_id: String }
        for (body, expected) in [(#"{"user":"u1"}"#, "user_id: missing"), (#"{"user_id":7}"#, "user_id: expected String"), ("not json", "the payload")] {
            let error = #expect(throws: DecodingError.self) { try JSONDecoder().decode(Upgrade.self, from: Data(body.utf8)) }
            let failure = HandlerFailure(try #require(error))
            #expect(failure.errorType == "GAS.Permanent.BadRecord", "\(body)")
            #expect(failure.errorMessage.hasPrefix(expected), "\(failure.errorMessage)")
            #expect(!failure.retryable)
        }
    }

    @Test func aHugeIdIsNotEchoedWhole() {
        let failure = HandlerFailure(WorkflowError.jobNotFound(String(repeating: "j", count: 5_000_000)))
        #expect(failure.errorType == "GAS.Permanent.JobNotFound")
        #expect(failure.errorMessage.utf8.count <= 1024)
        #expect(failure.errorMessage.hasSuffix("(5000007 bytes in all)"))
    }

    @Test func oneMalformedRecordFailsAloneNotTheBatch() async throws {
        let batch = #"""
            {"Records":[
              {"messageId":"m0","receiptHandle":"h0","body":"fine","attributes":{"ApproximateReceiveCount":"1"}},
              {"messageId":"m1","body":"no receipt handle"},
              {"messageId":"m2","receiptHandle":"h2","body":{"not":"a string"}},
              {"messageId":"m3","receiptHandle":"h3","body":"fine too","attributes":{"ApproximateReceiveCount":2}}
            ]}
            """#
        let event = try JSONDecoder().decode(SQSEvent.self, from: Data(batch.utf8))
        #expect(event.records.map(\.problem) == [nil, "receiptHandle: missing, expected a string", "body: expected a string", "attributes: expected an object of strings"])
        var processed: [String] = []
        let response = await event.process(context: Self.context(seconds: 60)) { record in processed.append(record.body) }
        #expect(processed == ["fine"])
        #expect(response.batchItemFailures.map(\.itemIdentifier) == ["m1", "m2", "m3"])
    }

    @Test func aBatchOutOfTimeReportsTheRecordsItDidNotStart() async throws {
        // The deadline was never consulted: the timeout returned every record, finished or not (issue 10, item 13).
        let bodies = (0..<3).map { #"{"messageId":"m\#($0)","receiptHandle":"h","body":"b\#($0)"}"# }.joined(separator: ",")
        let event = try JSONDecoder().decode(SQSEvent.self, from: Data(#"{"Records":[\#(bodies)]}"#.utf8))
        var processed = 0
        let late = await event.process(context: Self.context(seconds: 1)) { _ in processed += 1 }
        #expect(processed == 0)
        #expect(late.batchItemFailures.map(\.itemIdentifier) == ["m0", "m1", "m2"])
        let inTime = await event.process(context: Self.context(seconds: 60)) { _ in processed += 1 }
        #expect(processed == 3)
        #expect(inTime.batchItemFailures.isEmpty)
    }

    static func context(seconds: Int64) -> LambdaContext {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return LambdaContext(requestID: "r", deadlineMilliseconds: LambdaContext.nowMilliseconds() + seconds * 1000, logger: logger)
    }
}

import LambdaEvents
import LambdaRuntime
import Logging

extension SQSEvent {
    /// Least time kept in hand when deciding whether another record fits before the deadline.
    public static let minimumReserve: Duration = .seconds(2)

    /// Runs `body` for every record; answers the partial batch response naming the failed ones
    /// (each logged with its reason), so SQS retries only those and dead-letters them in the end.
    ///
    /// A record starts only while the invocation has time for it (twice the longest record so
    /// far, at least `minimumReserve`): the rest are reported failed, so a batch that runs out of
    /// time still reports the records it finished instead of the timeout returning all of them.
    public func process(context: LambdaContext, _ body: (Record) async throws -> Void) async -> SQSBatchResponse {
        let logger = context.logger
        var failed: [String] = []
        var longest: Duration = .zero
        let clock = ContinuousClock()
        for (index, record) in records.enumerated() {
            let reserve = max(Self.minimumReserve, longest * 2)
            if context.remainingTime < reserve {
                let unstarted = records[index...].map(\.messageID)
                logger.warning(
                    "invocation nearly out of time; records left for redelivery",
                    metadata: ["sqs.unstarted": "\(unstarted.count)", "remaining_ms": "\(context.deadlineMilliseconds - LambdaContext.nowMilliseconds())"])
                failed += unstarted
                break
            }
            let started = clock.now
            do {
                if let problem = record.problem { throw HandlerFailure(permanent: "BadRecord", "SQS record \(record.messageID): \(problem)") }
                try await body(record)
            } catch {
                let failure = HandlerFailure(error)
                logger.error(
                    "record failed",
                    metadata: [
                        "sqs.message_id": "\(record.messageID)", "errorType": "\(failure.errorType)", "errorMessage": "\(failure.errorMessage)",
                        "sqs.receive_count": "\(record.receiveCount ?? 0)",
                    ])
                failed.append(record.messageID)
            }
            longest = max(longest, clock.now - started)
        }
        // Retries: records SQS delivered again (a failure or a timeout before), and the ones failing now.
        let retried = records.filter { ($0.receiveCount ?? 1) > 1 }.count
        MetricLine.write(["RecordsRetried": retried, "RecordsFailed": failed.count], context: context)
        return SQSBatchResponse(failedMessageIDs: failed)
    }
}

import LambdaEvents
import LambdaRuntime
import Logging

extension SQSEvent {
    /// Runs `body` for every record; answers the partial batch response naming the failed ones
    /// (each logged with its reason), so SQS retries only those and dead-letters them in the end.
    public func process(logger: Logger, _ body: (Record) async throws -> Void) async -> SQSBatchResponse {
        var failed: [String] = []
        for record in records {
            do {
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
        }
        return SQSBatchResponse(failedMessageIDs: failed)
    }
}

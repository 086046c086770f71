import AWSCore
import AWSSQS
import Foundation
import Synchronization

/// An SQS event source mapping: long-polls a queue, invokes the function with batches, deletes
/// what succeeded and leaves the failed records (the whole batch on a function error, or the
/// `batchItemFailures`) hidden for `visibilityTimeout` seconds from their receive, as SQS does
/// (a receive whose answer was lost hides its messages just as long); moto's redrive policy moves
/// a message to its dead-letter queue after `maxReceiveCount` receives, as SQS does.
public final class SQSEventSource: Sendable {
    /// The mapping.
    public struct Configuration: Sendable {
        public var queueURL: String
        public var queueARN: String
        public var region: String
        public var batchSize: Int
        /// Seconds a received record stays hidden, so a failed one comes back after it (the queue's
        /// visibility timeout, scaled for local runs).
        public var visibilityTimeout: Int

        public init(queueURL: String, queueARN: String, region: String, batchSize: Int = 10, visibilityTimeout: Int = 2) {
            self.queueURL = queueURL
            self.queueARN = queueARN
            self.region = region
            self.batchSize = batchSize
            self.visibilityTimeout = visibilityTimeout
        }
    }

    let configuration: Configuration
    let sqs: SQSClient
    let host: FunctionHost
    let log: @Sendable (String) -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// A mapping from the queue to `host`.
    public init(_ configuration: Configuration, sqs: SQSClient, host: FunctionHost, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.sqs = sqs
        self.host = host
        self.log = log
    }

    /// Starts polling.
    public func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in
                while !Task.isCancelled {
                    do {
                        try await pollOnce()
                    } catch {
                        if Task.isCancelled { return }
                        log("[esm \(host.configuration.name)] \(error)")
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
        }
    }

    /// Stops polling.
    public func stop() { task.withLock { $0?.cancel() } }

    /// Receives one batch (waiting up to a second) and delivers it; answers how many records it delivered.
    @discardableResult
    public func pollOnce() async throws -> Int {
        let messages = try await sqs.receiveMessages(
            queueURL: configuration.queueURL, maxMessages: min(10, configuration.batchSize), waitSeconds: 1,
            visibilityTimeout: configuration.visibilityTimeout)
        guard !messages.isEmpty else { return 0 }
        let result = await host.invoke(try event(messages))
        let failed = Self.failedIDs(result, batch: messages.map(\.messageId))
        for message in messages {
            if failed.contains(message.messageId) {
                // Hidden a whole visibility timeout from now (a slow invocation does not shorten the wait).
                try await sqs.changeMessageVisibility(queueURL: configuration.queueURL, receiptHandle: message.receiptHandle, seconds: configuration.visibilityTimeout)
            } else {
                try await sqs.deleteMessage(queueURL: configuration.queueURL, receiptHandle: message.receiptHandle)
            }
        }
        if !failed.isEmpty { log("[esm \(host.configuration.name)] \(failed.count) of \(messages.count) records failed; retrying in \(configuration.visibilityTimeout) s") }
        return messages.count
    }

    /// The records to retry, with Lambda's rules for partial batch responses: a function error or a
    /// malformed response fails the whole batch; an empty or absent list fails nothing.
    static func failedIDs(_ result: FunctionHost.Result, batch: [String]) -> Set<String> {
        guard result.errorType == nil else { return Set(batch) }
        guard !result.body.isEmpty, String(decoding: result.body, as: UTF8.self) != "null" else { return [] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(result.body)) as? [String: Any] else { return Set(batch) }
        guard let failures = object["batchItemFailures"] else { return [] }
        if failures is NSNull { return [] }
        guard let list = failures as? [[String: Any]] else { return Set(batch) }
        var ids: Set<String> = []
        for entry in list {
            guard let id = entry["itemIdentifier"] as? String, !id.isEmpty, batch.contains(id) else { return Set(batch) }
            ids.insert(id)
        }
        return ids
    }

    func event(_ messages: [SQSMessage]) throws -> [UInt8] {
        let records: [[String: Any]] = messages.map { message in
            [
                "messageId": message.messageId, "receiptHandle": message.receiptHandle, "body": message.body,
                "attributes": message.attributes,
                "messageAttributes": message.messageAttributes.mapValues { ["stringValue": $0, "dataType": "String", "stringListValues": [], "binaryListValues": []] },
                "eventSource": "aws:sqs", "eventSourceARN": configuration.queueARN, "awsRegion": configuration.region,
            ]
        }
        return Array(try JSONSerialization.data(withJSONObject: ["Records": records]))
    }
}

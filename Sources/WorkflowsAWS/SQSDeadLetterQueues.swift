import AWSCore
import AWSSQS
import Synchronization
import Workflows

/// The functions' dead-letter queues over SQS: each pass reads what they hold (hiding it from
/// other readers meanwhile) and sends a message back to its source queue with a
/// `gas_redrives` count, deleting it from the dead-letter queue only after the send.
public final class SQSDeadLetterQueues: DeadLetterQueues {
    /// A dead-letter queue and the queue its messages came from.
    public struct Route: Sendable, Equatable {
        public var deadLetterQueueURL: String
        public var sourceQueueURL: String

        /// Creates a route.
        public init(deadLetterQueueURL: String, sourceQueueURL: String) {
            self.deadLetterQueueURL = deadLetterQueueURL
            self.sourceQueueURL = sourceQueueURL
        }
    }

    /// The message attribute that counts redrives.
    public static let redriveAttribute = "gas_redrives"
    /// Messages read from one queue in one pass, at most.
    static let perPass = 100
    /// How long a read message stays hidden: longer than a pass, so a kept one is not read twice in it.
    static let holdSeconds = 900

    let sqs: SQSClient
    let routes: [Route]
    private let held = Mutex<[String: (message: SQSMessage, route: Route)]>([:])

    /// Redrives along `routes` with `client`.
    public init(client: AWSClient, routes: [Route]) {
        sqs = SQSClient(client: client)
        self.routes = routes
    }

    public func deadLetters() async throws -> [DeadLetter] {
        var letters: [DeadLetter] = []
        for route in routes {
            var read = 0
            while read < Self.perPass {
                let batch = try await sqs.receiveMessages(queueURL: route.deadLetterQueueURL, waitSeconds: 0, visibilityTimeout: Self.holdSeconds)
                if batch.isEmpty { break }
                read += batch.count
                for message in batch {
                    held.withLock { $0[message.messageId] = (message, route) }
                    letters.append(
                        DeadLetter(
                            queue: route.deadLetterQueueURL, id: message.messageId,
                            redrives: Int(message.messageAttributes[Self.redriveAttribute] ?? "") ?? 0, readable: Self.isReadable(message.body)))
                }
            }
        }
        return letters
    }

    public func redrive(_ letter: DeadLetter) async throws {
        guard let (message, route) = held.withLock({ $0.removeValue(forKey: letter.id) }) else {
            throw WorkflowError.dependency("dead letter \(letter.id) was not read in this pass", retryable: false)
        }
        var attributes = message.messageAttributes
        attributes[Self.redriveAttribute] = String(letter.redrives + 1)
        do {
            try await sqs.sendMessage(queueURL: route.sourceQueueURL, body: message.body, attributes: attributes)
            try await sqs.deleteMessage(queueURL: route.deadLetterQueueURL, receiptHandle: message.receiptHandle)
        } catch {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }

    /// A JSON object, or an SNS notification whose message is one: what every GAS consumer reads.
    static func isReadable(_ body: String) -> Bool {
        guard case .object(let object)? = try? JSONValue.parse(Array(body.utf8)) else { return false }
        guard object["Type"] == .string("Notification") else { return true }
        guard case .string(let message)? = object["Message"], case .object? = try? JSONValue.parse(Array(message.utf8)) else { return false }
        return true
    }
}

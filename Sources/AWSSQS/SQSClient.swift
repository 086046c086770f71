import AWSCore

extension AWSService {
    /// Amazon SQS (JSON protocol).
    public static let sqs = AWSService(name: "sqs", signingName: "sqs", hostPrefix: "sqs", endpointKey: "SQS")
}

/// Amazon SQS: send, long-poll receive, delete and visibility changes, plus queue set-up for local stacks.
public struct SQSClient: Sendable {
    /// Largest message body SQS accepts.
    public static let maxBodyBytes = 1_048_576
    let client: AWSClient

    /// A client on `client`'s region, credentials and endpoints.
    public init(client: AWSClient) { self.client = client }

    func call<Output: Decodable>(_ operation: String, _ input: some Encodable, idempotent: Bool = true, timeout: Double? = 60) async throws(AWSError) -> Output {
        try await client.json(.sqs, target: "AmazonSQS.\(operation)", input: input, idempotent: idempotent, timeout: timeout)
    }

    /// Sends a message (body at most 1 MiB of XML-legal characters) and answers its id.
    /// Not retried after an unknown outcome: a repeat would enqueue it twice.
    @discardableResult
    public func sendMessage(queueURL: String, body: String, delaySeconds: Int = 0, attributes: [String: String] = [:]) async throws(AWSError) -> String {
        guard !body.isEmpty, body.utf8.count <= Self.maxBodyBytes else {
            throw AWSError.invalidParameter("sqs", "body", "1 to \(Self.maxBodyBytes) bytes, got \(body.utf8.count)")
        }
        guard body.unicodeScalars.allSatisfy(Self.isAllowed) else {
            throw AWSError.invalidParameter("sqs", "body", "only #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF")
        }
        guard (0...900).contains(delaySeconds) else {
            throw AWSError.invalidParameter("sqs", "delaySeconds", "0...900, got \(delaySeconds)")
        }
        struct Value: Encodable { var DataType = "String"; var StringValue: String }
        struct Input: Encodable {
            var QueueUrl: String
            var MessageBody: String
            var DelaySeconds: Int
            var MessageAttributes: [String: Value]?
        }
        struct Output: Decodable { var MessageId: String }
        let input = Input(
            QueueUrl: queueURL, MessageBody: body, DelaySeconds: delaySeconds,
            MessageAttributes: attributes.isEmpty ? nil : attributes.mapValues { Value(StringValue: $0) })
        let output: Output = try await call("SendMessage", input, idempotent: false)
        return output.MessageId
    }

    /// Receives up to `maxMessages` (1...10), waiting up to `waitSeconds` (0...20) for the first.
    public func receiveMessages(
        queueURL: String, maxMessages: Int = 10, waitSeconds: Int = 20, visibilityTimeout: Int? = nil
    ) async throws(AWSError) -> [SQSMessage] {
        guard (1...10).contains(maxMessages) else { throw AWSError.invalidParameter("sqs", "maxMessages", "1...10, got \(maxMessages)") }
        guard (0...20).contains(waitSeconds) else { throw AWSError.invalidParameter("sqs", "waitSeconds", "0...20, got \(waitSeconds)") }
        struct Input: Encodable {
            var QueueUrl: String
            var MaxNumberOfMessages: Int
            var WaitTimeSeconds: Int
            var VisibilityTimeout: Int?
            var MessageSystemAttributeNames = ["All"]
            var MessageAttributeNames = ["All"]
        }
        struct Output: Decodable { var Messages: [SQSMessage]? }
        let output: Output = try await call(
            "ReceiveMessage",
            Input(QueueUrl: queueURL, MaxNumberOfMessages: maxMessages, WaitTimeSeconds: waitSeconds, VisibilityTimeout: visibilityTimeout),
            timeout: Double(waitSeconds) + 10)
        return output.Messages ?? []
    }

    /// Deletes a received message.
    public func deleteMessage(queueURL: String, receiptHandle: String) async throws(AWSError) {
        struct Input: Encodable { var QueueUrl: String; var ReceiptHandle: String }
        let _: EmptyJSON = try await call("DeleteMessage", Input(QueueUrl: queueURL, ReceiptHandle: receiptHandle))
    }

    /// Hides a received message for `seconds` (0...43200) from now; 0 makes it visible at once.
    public func changeMessageVisibility(queueURL: String, receiptHandle: String, seconds: Int) async throws(AWSError) {
        guard (0...43_200).contains(seconds) else { throw AWSError.invalidParameter("sqs", "seconds", "0...43200, got \(seconds)") }
        struct Input: Encodable { var QueueUrl: String; var ReceiptHandle: String; var VisibilityTimeout: Int }
        let _: EmptyJSON = try await call(
            "ChangeMessageVisibility", Input(QueueUrl: queueURL, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds))
    }

    /// Creates a queue (or finds it) with attributes such as `VisibilityTimeout` and `RedrivePolicy`; answers its URL.
    public func createQueue(_ name: String, attributes: [String: String] = [:]) async throws(AWSError) -> String {
        struct Input: Encodable { var QueueName: String; var Attributes: [String: String]? }
        struct Output: Decodable { var QueueUrl: String }
        let output: Output = try await call("CreateQueue", Input(QueueName: name, Attributes: attributes.isEmpty ? nil : attributes))
        return output.QueueUrl
    }

    /// The queue's attributes (`QueueArn`, `ApproximateNumberOfMessages`, …).
    public func queueAttributes(queueURL: String) async throws(AWSError) -> [String: String] {
        struct Input: Encodable { var QueueUrl: String; var AttributeNames = ["All"] }
        struct Output: Decodable { var Attributes: [String: String]? }
        let output: Output = try await call("GetQueueAttributes", Input(QueueUrl: queueURL))
        return output.Attributes ?? [:]
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

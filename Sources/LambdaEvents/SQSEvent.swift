import FoundationEssentials

/// An SQS event source mapping's batch.
public struct SQSEvent: Decodable, Sendable {
    /// One message.
    public struct Record: Decodable, Sendable {
        /// A message attribute (`stringValue` or base64 `binaryValue`).
        public struct Attribute: Decodable, Sendable, Equatable {
            /// `String`, `Number`, `Binary`, possibly with a custom suffix.
            public var dataType: String
            /// The text value.
            public var stringValue: String?
            /// The base64 value of a binary attribute.
            public var binaryValue: String?
        }

        /// The message id: what `batchItemFailures` names.
        public var messageID: String
        /// The receipt handle of this delivery.
        public var receiptHandle: String
        /// The body text.
        public var body: String
        /// System attributes (`ApproximateReceiveCount`, `SentTimestamp`, …), all strings.
        public var attributes: [String: String]
        /// Message attributes.
        public var messageAttributes: [String: Attribute]
        /// `aws:sqs`.
        public var eventSource: String?
        /// The queue ARN.
        public var eventSourceARN: String?

        /// Why this record cannot be processed (a field missing or of the wrong type), when it cannot:
        /// the record alone fails, not the batch.
        public var problem: String?

        /// How many times SQS has delivered this message.
        public var receiveCount: Int? { attributes["ApproximateReceiveCount"].flatMap(Int.init) }

        enum CodingKeys: String, CodingKey {
            case messageID = "messageId", receiptHandle, body, attributes, messageAttributes, eventSource, eventSourceARN
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // Without its id a record cannot be reported alone: that one fails the batch.
            messageID = try container.decode(String.self, forKey: .messageID)
            var problems: [String] = []
            func field<T: Decodable>(_ key: CodingKeys, _ expected: String, default value: T, required: Bool = false) -> T {
                do {
                    if let decoded = try container.decodeIfPresent(T.self, forKey: key) { return decoded }
                    if required { problems.append("\(key.rawValue): missing, expected \(expected)") }
                } catch {
                    problems.append("\(key.rawValue): expected \(expected)")
                }
                return value
            }
            receiptHandle = field(.receiptHandle, "a string", default: "", required: true)
            body = field(.body, "a string", default: "", required: true)
            attributes = field(.attributes, "an object of strings", default: [:])
            messageAttributes = field(.messageAttributes, "an object of message attributes", default: [:])
            eventSource = field(.eventSource, "a string", default: nil)
            eventSourceARN = field(.eventSourceARN, "a string", default: nil)
            problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
        }

        /// The body as the SNS envelope a topic subscription writes (raw delivery off).
        public func snsMessage() throws -> SNSMessage {
            try JSONDecoder().decode(SNSMessage.self, from: Data(body.utf8))
        }

        /// The body decoded as JSON into `type` (raw delivery, or a direct send).
        public func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(T.self, from: Data(body.utf8))
        }
    }

    /// The messages of the batch.
    public var records: [Record]

    enum CodingKeys: String, CodingKey { case records = "Records" }
}

/// The partial batch response (`ReportBatchItemFailures`): only the listed messages are retried.
public struct SQSBatchResponse: Codable, Sendable, Equatable {
    /// One failed message.
    public struct Failure: Codable, Sendable, Equatable {
        /// The failed record's `messageId`.
        public var itemIdentifier: String

        /// Names a failed message.
        public init(itemIdentifier: String) { self.itemIdentifier = itemIdentifier }
    }

    /// The failed messages; empty means the whole batch succeeded.
    public var batchItemFailures: [Failure]

    /// A response listing `failedMessageIDs`.
    public init(failedMessageIDs: [String] = []) {
        batchItemFailures = failedMessageIDs.map(Failure.init(itemIdentifier:))
    }
}

/// SNS delivering to Lambda: one record per invocation in practice, an array by contract.
public struct SNSEvent: Decodable, Sendable {
    /// One delivery.
    public struct Record: Decodable, Sendable {
        /// `aws:sns`.
        public var eventSource: String
        /// The subscription that delivered it.
        public var eventSubscriptionARN: String?
        /// The message.
        public var sns: SNSMessage

        enum CodingKeys: String, CodingKey {
            case eventSource = "EventSource", eventSubscriptionARN = "EventSubscriptionArn", sns = "Sns"
        }
    }

    /// The deliveries.
    public var records: [Record]

    enum CodingKeys: String, CodingKey { case records = "Records" }
}

/// An SNS notification: the `Sns` member of a Lambda SNS record, or the envelope SNS writes into an
/// SQS message body (the fields GAS reads are spelled the same in both).
public struct SNSMessage: Decodable, Sendable, Equatable {
    /// A message attribute; `value` is base64 for `Binary`, JSON array text for `String.Array`.
    public struct Attribute: Decodable, Sendable, Equatable {
        /// `String`, `String.Array`, `Number` or `Binary`.
        public var type: String
        /// The value, always as text.
        public var value: String

        enum CodingKeys: String, CodingKey { case type = "Type", value = "Value" }

        /// Creates an attribute.
        public init(type: String, value: String) {
            self.type = type
            self.value = value
        }
    }

    /// `Notification`.
    public var type: String
    /// The SNS message id (the same for every redelivery).
    public var messageID: String
    /// The topic.
    public var topicARN: String
    /// The subject, when the publisher gave one.
    public var subject: String?
    /// The published text (parse it again if JSON was published).
    public var message: String
    /// When SNS accepted it (ISO 8601).
    public var timestamp: String
    /// Message attributes.
    public var messageAttributes: [String: Attribute]

    enum CodingKeys: String, CodingKey {
        case type = "Type", messageID = "MessageId", topicARN = "TopicArn", subject = "Subject", message = "Message"
        case timestamp = "Timestamp", messageAttributes = "MessageAttributes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        messageID = try container.decode(String.self, forKey: .messageID)
        topicARN = try container.decode(String.self, forKey: .topicARN)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        message = try container.decode(String.self, forKey: .message)
        timestamp = try container.decode(String.self, forKey: .timestamp)
        messageAttributes = try container.decodeIfPresent([String: Attribute].self, forKey: .messageAttributes) ?? [:]
    }
}

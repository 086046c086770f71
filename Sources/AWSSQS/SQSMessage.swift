/// A received message.
public struct SQSMessage: Sendable, Equatable, Decodable {
    /// The message id.
    public var messageId: String
    /// Handle for delete and visibility changes (the latest receive's).
    public var receiptHandle: String
    /// The body.
    public var body: String
    /// System attributes (`ApproximateReceiveCount`, `SentTimestamp`, …).
    public var attributes: [String: String]
    /// Message attributes' string values.
    public var messageAttributes: [String: String]

    /// How many times SQS has delivered it, when asked for.
    public var receiveCount: Int? { attributes["ApproximateReceiveCount"].flatMap(Int.init) }

    enum CodingKeys: String, CodingKey {
        case messageId = "MessageId", receiptHandle = "ReceiptHandle", body = "Body", attributes = "Attributes"
        case messageAttributes = "MessageAttributes"
    }

    struct Attribute: Decodable { var StringValue: String? }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageId = try container.decode(String.self, forKey: .messageId)
        receiptHandle = try container.decode(String.self, forKey: .receiptHandle)
        body = try container.decode(String.self, forKey: .body)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        messageAttributes = (try container.decodeIfPresent([String: Attribute].self, forKey: .messageAttributes) ?? [:])
            .compactMapValues(\.StringValue)
    }
}

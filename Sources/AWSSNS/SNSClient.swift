import AWSCore

extension AWSService {
    /// Amazon SNS.
    public static let sns = AWSService(name: "sns", signingName: "sns", hostPrefix: "sns", endpointKey: "SNS")
}

/// A message attribute (`String`, `Number` or `String.Array` data types carry text).
public struct SNSMessageAttribute: Sendable, Equatable {
    /// `String`, `Number`, `String.Array`, or a custom `String.x` type.
    public var dataType: String
    /// The value.
    public var value: String

    /// A string attribute.
    public static func string(_ value: String) -> SNSMessageAttribute { SNSMessageAttribute(dataType: "String", value: value) }
}

/// Amazon SNS: publishing, plus the topic set-up local stacks and tests need.
public struct SNSClient: Sendable {
    static let version = "2010-03-31"
    /// Largest message plus attributes SNS accepts.
    public static let maxMessageBytes = 262_144
    let client: AWSClient

    /// A client on `client`'s region, credentials and endpoints.
    public init(client: AWSClient) { self.client = client }

    /// Publishes to a topic and answers the message id. Not retried after an unknown outcome
    /// (a repeat would deliver twice); subscribers must tolerate duplicates anyway.
    @discardableResult
    public func publish(
        topicARN: String, message: String, subject: String? = nil, attributes: [String: SNSMessageAttribute] = [:]
    ) async throws(AWSError) -> String {
        let size = message.utf8.count + attributes.reduce(0) { $0 + $1.key.utf8.count + $1.value.dataType.utf8.count + $1.value.value.utf8.count }
        guard size <= Self.maxMessageBytes else {
            throw AWSError.invalidParameter("sns", "message", "at most \(Self.maxMessageBytes) bytes with attributes, got \(size)")
        }
        var parameters: [(name: String, value: String)] = [("TopicArn", topicARN), ("Message", message)]
        if let subject {
            guard !subject.isEmpty, subject.count <= 100, subject.unicodeScalars.allSatisfy({ (0x20..<0x7F).contains($0.value) }) else {
                throw AWSError.invalidParameter("sns", "subject", "1 to 100 printable ASCII characters without line breaks")
            }
            parameters.append(("Subject", subject))
        }
        for (index, (name, attribute)) in attributes.sorted(by: { $0.key < $1.key }).enumerated() {
            let prefix = "MessageAttributes.entry.\(index + 1)"
            parameters += [
                ("\(prefix).Name", name), ("\(prefix).Value.DataType", attribute.dataType), ("\(prefix).Value.StringValue", attribute.value),
            ]
        }
        let result = try await client.query(.sns, action: "Publish", version: Self.version, parameters: parameters, idempotent: false)
        guard let id = result.child("MessageId")?.text else { throw AWSError.malformed("sns", "Publish answered no MessageId") }
        return id
    }

    /// Creates a topic (or finds the existing one) and answers its ARN.
    public func createTopic(_ name: String, attributes: [String: String] = [:]) async throws(AWSError) -> String {
        var parameters: [(name: String, value: String)] = [("Name", name)]
        for (index, (key, value)) in attributes.sorted(by: { $0.key < $1.key }).enumerated() {
            parameters += [("Attributes.entry.\(index + 1).key", key), ("Attributes.entry.\(index + 1).value", value)]
        }
        let result = try await client.query(.sns, action: "CreateTopic", version: Self.version, parameters: parameters, idempotent: true)
        guard let arn = result.child("TopicArn")?.text else { throw AWSError.malformed("sns", "CreateTopic answered no TopicArn") }
        return arn
    }

    /// Subscribes an endpoint (an SQS queue ARN for `sqs`) and answers the subscription ARN.
    public func subscribe(topicARN: String, protocol kind: String, endpoint: String, rawDelivery: Bool = false) async throws(AWSError) -> String {
        var parameters: [(name: String, value: String)] = [("TopicArn", topicARN), ("Protocol", kind), ("Endpoint", endpoint)]
        if rawDelivery {
            parameters += [("Attributes.entry.1.key", "RawMessageDelivery"), ("Attributes.entry.1.value", "true")]
        }
        let result = try await client.query(.sns, action: "Subscribe", version: Self.version, parameters: parameters, idempotent: true)
        guard let arn = result.child("SubscriptionArn")?.text else {
            throw AWSError.malformed("sns", "Subscribe answered no SubscriptionArn")
        }
        return arn
    }
}

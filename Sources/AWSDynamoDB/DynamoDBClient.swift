import AWSCore
import HTTPTransport

extension AWSService {
    /// Amazon DynamoDB.
    public static let dynamoDB = AWSService(name: "dynamodb", signingName: "dynamodb", hostPrefix: "dynamodb", endpointKey: "DYNAMODB")
}

/// What a write answers with.
public enum DynamoDBReturnValues: String, Sendable, Codable {
    case none = "NONE"
    case allOld = "ALL_OLD"
    case updatedOld = "UPDATED_OLD"
    case allNew = "ALL_NEW"
    case updatedNew = "UPDATED_NEW"
}

/// Expression attribute names (`#n` to `name`) and values (`:v` to a value) shared by an operation's expressions.
public struct DynamoDBExpressionAttributes: Sendable {
    /// `#placeholder` to attribute name.
    public var names: [String: String]
    /// `:placeholder` to value.
    public var values: DynamoDBItem

    /// Creates the attributes.
    public init(names: [String: String] = [:], values: DynamoDBItem = [:]) {
        self.names = names
        self.values = values
    }
}

/// Amazon DynamoDB: the item operations GAS uses.
public struct DynamoDBClient: Sendable {
    let client: AWSClient

    /// A client on `client`'s region, credentials and endpoints.
    public init(client: AWSClient) { self.client = client }

    func call<Output: Decodable>(_ operation: String, _ input: some Encodable, idempotent: Bool = true) async throws(AWSError) -> Output {
        try await client.json(.dynamoDB, target: "DynamoDB_20120810.\(operation)", input: input, idempotent: idempotent)
    }
}

/// Wire shapes: property names are the API's member names.
struct ItemOutput: Decodable {
    var Item: DynamoDBItem?
    var Attributes: DynamoDBItem?
}

extension DynamoDBExpressionAttributes {
    var wireNames: [String: String]? { names.isEmpty ? nil : names }
    var wireValues: DynamoDBItem? { values.isEmpty ? nil : values }
}

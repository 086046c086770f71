import AWSCore
import FoundationEssentials

/// One action of a TransactWriteItems call.
public enum DynamoDBTransactItem: Sendable {
    /// Write an item if the condition holds.
    case put(table: String, item: DynamoDBItem, condition: String? = nil, attributes: DynamoDBExpressionAttributes = .init())
    /// Update an item if the condition holds.
    case update(table: String, key: DynamoDBItem, update: String, condition: String? = nil, attributes: DynamoDBExpressionAttributes = .init())
    /// Delete an item if the condition holds.
    case delete(table: String, key: DynamoDBItem, condition: String? = nil, attributes: DynamoDBExpressionAttributes = .init())
    /// Only require that a condition holds on another item.
    case conditionCheck(table: String, key: DynamoDBItem, condition: String, attributes: DynamoDBExpressionAttributes = .init())
}

/// Why one action of a cancelled transaction failed (`None` for actions that were fine).
public struct DynamoDBCancellationReason: Sendable, Equatable, Decodable {
    /// `None`, `ConditionalCheckFailed`, `TransactionConflict`, …
    public var code: String
    /// Detail, when given.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case code = "Code"
        case message = "Message"
    }
}

extension AWSError {
    /// The per-action reasons of a `TransactionCanceledException`, in action order.
    public var cancellationReasons: [DynamoDBCancellationReason] {
        struct Details: Decodable { var CancellationReasons: [DynamoDBCancellationReason]? }
        guard let details, let decoded = try? JSONDecoder().decode(Details.self, from: Data(details.utf8)) else { return [] }
        return decoded.CancellationReasons ?? []
    }
}

extension DynamoDBClient {
    /// Applies all actions or none; fails with `TransactionCanceledException` whose
    /// `cancellationReasons` say which condition failed. `token` makes a retry idempotent for 10 minutes.
    public func transactWriteItems(_ items: [DynamoDBTransactItem], token: String? = nil) async throws(AWSError) {
        guard (1...100).contains(items.count) else {
            throw AWSError.invalidParameter("dynamodb", "items", "1...100 actions, got \(items.count)")
        }
        struct Input: Encodable {
            var TransactItems: [[String: WriteInput]]
            var ClientRequestToken: String?
        }
        let actions = items.map { item -> [String: WriteInput] in
            switch item {
            case .put(let table, let value, let condition, let attributes):
                ["Put": WriteInput(table, item: value, condition: condition, attributes: attributes)]
            case .update(let table, let key, let update, let condition, let attributes):
                ["Update": WriteInput(table, key: key, update: update, condition: condition, attributes: attributes)]
            case .delete(let table, let key, let condition, let attributes):
                ["Delete": WriteInput(table, key: key, condition: condition, attributes: attributes)]
            case .conditionCheck(let table, let key, let condition, let attributes):
                ["ConditionCheck": WriteInput(table, key: key, condition: condition, attributes: attributes)]
            }
        }
        let _: EmptyJSON = try await call("TransactWriteItems", Input(TransactItems: actions, ClientRequestToken: token), idempotent: token != nil)
    }
}

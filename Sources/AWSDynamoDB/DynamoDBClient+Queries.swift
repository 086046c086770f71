import AWSCore

/// One page of a Query or Scan.
public struct DynamoDBPage: Sendable {
    /// Items on this page (after any filter).
    public var items: [DynamoDBItem]
    /// Pass as `startKey` for the next page; nil on the last page.
    public var lastEvaluatedKey: DynamoDBItem?
}

struct PageOutput: Decodable {
    var Items: [DynamoDBItem]?
    var LastEvaluatedKey: DynamoDBItem?

    var page: DynamoDBPage { DynamoDBPage(items: Items ?? [], lastEvaluatedKey: LastEvaluatedKey) }
}

extension DynamoDBClient {
    /// One page of items matching `keyCondition`, on the table or on `index` (a GSI is eventually consistent on AWS).
    public func query(
        table: String, index: String? = nil, keyCondition: String, filter: String? = nil,
        attributes: DynamoDBExpressionAttributes = .init(), limit: Int? = nil, startKey: DynamoDBItem? = nil, ascending: Bool = true,
        consistentRead: Bool = false
    ) async throws(AWSError) -> DynamoDBPage {
        struct Input: Encodable {
            var TableName: String
            var IndexName: String?
            var KeyConditionExpression: String
            var FilterExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
            var Limit: Int?
            var ExclusiveStartKey: DynamoDBItem?
            var ScanIndexForward: Bool
            var ConsistentRead: Bool?
        }
        try Self.check(limit: limit)
        let output: PageOutput = try await call(
            "Query",
            Input(
                TableName: table, IndexName: index, KeyConditionExpression: keyCondition, FilterExpression: filter,
                ExpressionAttributeNames: attributes.wireNames, ExpressionAttributeValues: attributes.wireValues,
                Limit: limit, ExclusiveStartKey: startKey, ScanIndexForward: ascending, ConsistentRead: consistentRead ? true : nil))
        return output.page
    }

    /// Every item matching `keyCondition`, following pages (of at most `pageSize` items each when given).
    public func queryAll(
        table: String, index: String? = nil, keyCondition: String, filter: String? = nil, attributes: DynamoDBExpressionAttributes = .init(),
        pageSize: Int? = nil
    ) async throws(AWSError) -> [DynamoDBItem] {
        var items: [DynamoDBItem] = []
        var startKey: DynamoDBItem?
        repeat {
            let page = try await query(
                table: table, index: index, keyCondition: keyCondition, filter: filter, attributes: attributes, limit: pageSize, startKey: startKey)
            items += page.items
            startKey = page.lastEvaluatedKey
        } while startKey != nil
        return items
    }

    /// One page of a full scan of the table (or of `index`, which holds only the items that have its key), optionally filtered.
    public func scan(
        table: String, index: String? = nil, filter: String? = nil, attributes: DynamoDBExpressionAttributes = .init(), limit: Int? = nil,
        startKey: DynamoDBItem? = nil
    ) async throws(AWSError) -> DynamoDBPage {
        struct Input: Encodable {
            var TableName: String
            var IndexName: String?
            var FilterExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
            var Limit: Int?
            var ExclusiveStartKey: DynamoDBItem?
        }
        try Self.check(limit: limit)
        let output: PageOutput = try await call(
            "Scan",
            Input(
                TableName: table, IndexName: index, FilterExpression: filter, ExpressionAttributeNames: attributes.wireNames,
                ExpressionAttributeValues: attributes.wireValues, Limit: limit, ExclusiveStartKey: startKey))
        return output.page
    }

    /// Every item of a scan of the table (or of `index`), following pages.
    public func scanAll(
        table: String, index: String? = nil, filter: String? = nil, attributes: DynamoDBExpressionAttributes = .init()
    ) async throws(AWSError) -> [DynamoDBItem] {
        var items: [DynamoDBItem] = []
        var startKey: DynamoDBItem?
        repeat {
            let page = try await scan(table: table, index: index, filter: filter, attributes: attributes, startKey: startKey)
            items += page.items
            startKey = page.lastEvaluatedKey
        } while startKey != nil
        return items
    }

    static func check(limit: Int?) throws(AWSError) {
        if let limit, limit < 1 { throw AWSError.invalidParameter("dynamodb", "limit", "at least 1, got \(limit)") }
    }
}

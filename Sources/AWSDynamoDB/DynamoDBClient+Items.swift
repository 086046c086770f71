import AWSCore

extension DynamoDBClient {
    /// The item with `key`, or nil; `consistentRead` sees every write acknowledged before it.
    public func getItem(table: String, key: DynamoDBItem, consistentRead: Bool = false) async throws(AWSError) -> DynamoDBItem? {
        struct Input: Encodable {
            var TableName: String
            var Key: DynamoDBItem
            var ConsistentRead: Bool
        }
        let output: ItemOutput = try await call("GetItem", Input(TableName: table, Key: key, ConsistentRead: consistentRead))
        return output.Item
    }

    /// Writes `item` if `condition` holds; fails with `ConditionalCheckFailedException` otherwise
    /// (its `details` carry the current item when `returnOldOnFailure`).
    @discardableResult
    public func putItem(
        table: String, item: DynamoDBItem, condition: String? = nil, attributes: DynamoDBExpressionAttributes = .init(),
        returnValues: DynamoDBReturnValues = .none, returnOldOnFailure: Bool = false
    ) async throws(AWSError) -> DynamoDBItem? {
        struct Input: Encodable {
            var TableName: String
            var Item: DynamoDBItem
            var ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
            var ReturnValues: DynamoDBReturnValues
            var ReturnValuesOnConditionCheckFailure: String?
        }
        let output: ItemOutput = try await call(
            "PutItem",
            Input(
                TableName: table, Item: item, ConditionExpression: condition, ExpressionAttributeNames: .init(nonEmpty: attributes.names),
                ExpressionAttributeValues: .init(nonEmpty: attributes.values), ReturnValues: returnValues,
                ReturnValuesOnConditionCheckFailure: returnOldOnFailure ? "ALL_OLD" : nil))
        return output.Attributes
    }

    /// Applies `update` (an UpdateExpression) to the item with `key` if `condition` holds.
    @discardableResult
    public func updateItem(
        table: String, key: DynamoDBItem, update: String, condition: String? = nil, attributes: DynamoDBExpressionAttributes = .init(),
        returnValues: DynamoDBReturnValues = .none, returnOldOnFailure: Bool = false
    ) async throws(AWSError) -> DynamoDBItem? {
        struct Input: Encodable {
            var TableName: String
            var Key: DynamoDBItem
            var UpdateExpression: String
            var ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
            var ReturnValues: DynamoDBReturnValues
            var ReturnValuesOnConditionCheckFailure: String?
        }
        let output: ItemOutput = try await call(
            "UpdateItem",
            Input(
                TableName: table, Key: key, UpdateExpression: update, ConditionExpression: condition,
                ExpressionAttributeNames: .init(nonEmpty: attributes.names), ExpressionAttributeValues: .init(nonEmpty: attributes.values),
                ReturnValues: returnValues, ReturnValuesOnConditionCheckFailure: returnOldOnFailure ? "ALL_OLD" : nil))
        return output.Attributes
    }

    /// Deletes the item with `key` if `condition` holds.
    @discardableResult
    public func deleteItem(
        table: String, key: DynamoDBItem, condition: String? = nil, attributes: DynamoDBExpressionAttributes = .init(),
        returnValues: DynamoDBReturnValues = .none
    ) async throws(AWSError) -> DynamoDBItem? {
        struct Input: Encodable {
            var TableName: String
            var Key: DynamoDBItem
            var ConditionExpression: String?
            var ExpressionAttributeNames: [String: String]?
            var ExpressionAttributeValues: DynamoDBItem?
            var ReturnValues: DynamoDBReturnValues
        }
        let output: ItemOutput = try await call(
            "DeleteItem",
            Input(
                TableName: table, Key: key, ConditionExpression: condition, ExpressionAttributeNames: .init(nonEmpty: attributes.names),
                ExpressionAttributeValues: .init(nonEmpty: attributes.values), ReturnValues: returnValues))
        return output.Attributes
    }
}

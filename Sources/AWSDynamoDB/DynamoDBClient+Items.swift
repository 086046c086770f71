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
        var input = WriteInput(table, item: item, condition: condition, attributes: attributes)
        input.returning(returnValues, oldOnFailure: returnOldOnFailure)
        let output: ItemOutput = try await call("PutItem", input)
        return output.Attributes
    }

    /// Applies `update` (an UpdateExpression) to the item with `key` if `condition` holds.
    @discardableResult
    public func updateItem(
        table: String, key: DynamoDBItem, update: String, condition: String? = nil, attributes: DynamoDBExpressionAttributes = .init(),
        returnValues: DynamoDBReturnValues = .none, returnOldOnFailure: Bool = false
    ) async throws(AWSError) -> DynamoDBItem? {
        var input = WriteInput(table, key: key, update: update, condition: condition, attributes: attributes)
        input.returning(returnValues, oldOnFailure: returnOldOnFailure)
        let output: ItemOutput = try await call("UpdateItem", input)
        return output.Attributes
    }

    /// Deletes the item with `key` if `condition` holds.
    @discardableResult
    public func deleteItem(
        table: String, key: DynamoDBItem, condition: String? = nil, attributes: DynamoDBExpressionAttributes = .init(),
        returnValues: DynamoDBReturnValues = .none
    ) async throws(AWSError) -> DynamoDBItem? {
        var input = WriteInput(table, key: key, condition: condition, attributes: attributes)
        input.returning(returnValues, oldOnFailure: false)
        let output: ItemOutput = try await call("DeleteItem", input)
        return output.Attributes
    }
}

/// The wire shape shared by PutItem, UpdateItem, DeleteItem and the actions of TransactWriteItems.
struct WriteInput: Encodable {
    var TableName: String
    var Item: DynamoDBItem?
    var Key: DynamoDBItem?
    var UpdateExpression: String?
    var ConditionExpression: String?
    var ExpressionAttributeNames: [String: String]?
    var ExpressionAttributeValues: DynamoDBItem?
    var ReturnValues: DynamoDBReturnValues?
    var ReturnValuesOnConditionCheckFailure: String?

    init(
        _ table: String, item: DynamoDBItem? = nil, key: DynamoDBItem? = nil, update: String? = nil, condition: String?,
        attributes: DynamoDBExpressionAttributes
    ) {
        TableName = table
        Item = item
        Key = key
        UpdateExpression = update
        ConditionExpression = condition
        ExpressionAttributeNames = attributes.wireNames
        ExpressionAttributeValues = attributes.wireValues
    }

    mutating func returning(_ values: DynamoDBReturnValues, oldOnFailure: Bool) {
        ReturnValues = values
        ReturnValuesOnConditionCheckFailure = oldOnFailure ? "ALL_OLD" : nil
    }
}

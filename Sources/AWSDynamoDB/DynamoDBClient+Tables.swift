import AWSCore

/// A global secondary index on a hash key, projecting every attribute.
public struct DynamoDBGlobalIndex: Sendable {
    /// Index name.
    public var name: String
    /// Its hash key attribute.
    public var hashKey: String
    /// The key's type: `S` (string) or `N` (number).
    public var hashKeyType: String

    /// Creates the description.
    public init(name: String, hashKey: String, hashKeyType: String = "S") {
        self.name = name
        self.hashKey = hashKey
        self.hashKeyType = hashKeyType
    }
}

extension DynamoDBClient {
    /// Creates an on-demand table with a string hash key and optional GSIs (for local stacks and tests;
    /// production tables come from the SAM template). An existing table is not an error.
    /// `encrypted`: at rest with the AWS managed KMS key (`SSESpecification`), not the AWS owned one.
    public func createTable(_ table: String, hashKey: String, indexes: [DynamoDBGlobalIndex] = [], encrypted: Bool = false) async throws(AWSError) {
        struct Attribute: Encodable { var AttributeName: String; var AttributeType = "S" }
        struct KeyElement: Encodable { var AttributeName: String; var KeyType = "HASH" }
        struct ProjectionSpec: Encodable { var ProjectionType = "ALL" }
        struct Index: Encodable { var IndexName: String; var KeySchema: [KeyElement]; var Projection = ProjectionSpec() }
        struct Input: Encodable {
            var TableName: String
            var AttributeDefinitions: [Attribute]
            var KeySchema: [KeyElement]
            var BillingMode = "PAY_PER_REQUEST"
            var GlobalSecondaryIndexes: [Index]?
            var SSESpecification: SSE?
        }
        struct SSE: Encodable { var Enabled = true }
        var types = [hashKey: "S"]
        for index in indexes { types[index.hashKey] = index.hashKeyType }
        let input = Input(
            TableName: table, AttributeDefinitions: types.sorted { $0.key < $1.key }.map { Attribute(AttributeName: $0.key, AttributeType: $0.value) }, KeySchema: [KeyElement(AttributeName: hashKey)],
            GlobalSecondaryIndexes: indexes.isEmpty
                ? nil : indexes.map { Index(IndexName: $0.name, KeySchema: [KeyElement(AttributeName: $0.hashKey)]) },
            SSESpecification: encrypted ? SSE() : nil)
        do {
            let _: EmptyJSON = try await call("CreateTable", input)
        } catch where error.code == "ResourceInUseException" {
            return
        }
    }

    /// Turns point-in-time recovery on.
    public func enablePointInTimeRecovery(table: String) async throws(AWSError) {
        struct Specification: Encodable { var PointInTimeRecoveryEnabled = true }
        struct Input: Encodable { var TableName: String; var PointInTimeRecoverySpecification = Specification() }
        let _: EmptyJSON = try await call("UpdateContinuousBackups", Input(TableName: table))
    }

    /// Expires items whose number `attribute` (epoch seconds) has passed.
    public func enableTimeToLive(table: String, attribute: String) async throws(AWSError) {
        struct Specification: Encodable { var AttributeName: String; var Enabled = true }
        struct Input: Encodable { var TableName: String; var TimeToLiveSpecification: Specification }
        let _: EmptyJSON = try await call("UpdateTimeToLive", Input(TableName: table, TimeToLiveSpecification: Specification(AttributeName: attribute)))
    }

    /// Deletes a table.
    public func deleteTable(_ table: String) async throws(AWSError) {
        struct Input: Encodable { var TableName: String }
        let _: EmptyJSON = try await call("DeleteTable", Input(TableName: table))
    }
}

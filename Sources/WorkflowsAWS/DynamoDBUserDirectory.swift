import AWSCore
import AWSDynamoDB
import Workflows

/// The users table: `user_id`, `name`, `email`, `institution`, `role`.
public struct DynamoDBUserDirectory: UserDirectory {
    let db: DynamoDBClient
    let table: String

    /// Reads users from `table`.
    public init(db: DynamoDBClient, table: String) {
        self.db = db
        self.table = table
    }

    public func user(_ id: String) async throws -> User? {
        try await DynamoDBJobTable.translating(id) {
            guard let item = try await db.getItem(table: table, key: ["user_id": .s(id)], consistentRead: true) else { return nil }
            // An unknown or missing role is treated as free: archiving keeps the data, only colder.
            return User(
                id: id, name: item["name"]?.string ?? "", email: item["email"]?.string ?? "",
                role: UserRole(rawValue: item["role"]?.string ?? "") ?? .free)
        }
    }
}

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

    /// Clears the user's thaw request once every archived result has been claimed: only the request
    /// that was thawed (`requestedAt`), so a newer upgrade's request stays; any request when nil.
    public func finishThawRequest(userID: String, requestedAt: Int?) async throws {
        let condition = requestedAt == nil ? "attribute_exists(thaw_requested_at)" : "thaw_requested_at = :at"
        do {
            try await db.updateItem(
                table: table, key: ["user_id": .s(userID)], update: "REMOVE thaw_requested_at", condition: condition,
                attributes: .init(values: requestedAt.map { [":at": .int($0)] } ?? [:]))
        } catch {
            // Already cleared, or a newer request is pending: nothing to do.
            guard error.code == "ConditionalCheckFailedException" else { throw error }
        }
    }

    public func user(_ id: String) async throws -> User? {
        try await DynamoDBJobTable.translating(id) {
            guard let item = try await db.getItem(table: table, key: ["user_id": .s(id)], consistentRead: true) else { return nil }
            // An unknown or missing role is read as premium: never archive what we are unsure about
            // (the archive's commit requires `free_user`, so reading such a user as free made it
            // copy, lose the commit and copy again until the function timed out).
            return User(
                id: id, name: item["name"]?.string ?? "", email: item["email"]?.string ?? "",
                role: UserRole(rawValue: item["role"]?.string ?? "") ?? .premium)
        }
    }
}

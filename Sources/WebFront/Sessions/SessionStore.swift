import AWSCore
import AWSDynamoDB
import AWSSigV4
import FoundationEssentials

/// Where sessions live.
public protocol SessionStore: Sendable {
    /// The session of `id` unless it is missing or expired.
    func load(_ id: String, now: Int) async throws -> SessionData?
    /// Writes the session, valid until `expiresAt` (epoch seconds).
    func save(_ id: String, _ data: SessionData, expiresAt: Int) async throws
    /// Ends the session: a later load finds nothing.
    func delete(_ id: String) async throws
}

/// Sessions in a DynamoDB table (key `session_id`, TTL attribute `expires_at`), shared by every
/// instance of the front. The key is the SHA-256 of the cookie's id, so the table never holds a
/// value that works as a cookie. Reads are consistent and ignore items past `expires_at`
/// (DynamoDB's TTL deletes them only eventually).
public struct DynamoDBSessionStore: SessionStore {
    let db: DynamoDBClient
    let table: String

    /// Uses `table` through `client`.
    public init(client: AWSClient, table: String) {
        db = DynamoDBClient(client: client)
        self.table = table
    }

    static func key(_ id: String) -> DynamoDBItem { ["session_id": .s(Hex.encode(SHA256.hash(Array(id.utf8))))] }

    public func load(_ id: String, now: Int) async throws -> SessionData? {
        guard let item = try await db.getItem(table: table, key: Self.key(id), consistentRead: true),
            let expires = item["expires_at"]?.int, expires > now, let data = item["data"]?.string
        else { return nil }
        // A session written by an older shape of SessionData reads as none: the user logs in again.
        return try? JSONDecoder().decode(SessionData.self, from: Data(data.utf8))
    }

    public func save(_ id: String, _ data: SessionData, expiresAt: Int) async throws {
        let json = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
        var item = Self.key(id)
        item["data"] = .s(json)
        item["expires_at"] = .int(expiresAt)
        if let user = data.userID { item["user_id"] = .s(user) }
        try await db.putItem(table: table, item: item)
    }

    public func delete(_ id: String) async throws {
        try await db.deleteItem(table: table, key: Self.key(id))
    }
}

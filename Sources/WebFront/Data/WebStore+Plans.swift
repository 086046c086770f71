import AWSCore
import AWSDynamoDB
import AWSSNS
import FoundationEssentials
import Workflows

/// Plan changes: the upgrade that must always end in a thaw, and the downgrade.
extension WebStore {
    /// The users-table attribute (and sparse index key) present from an upgrade until ThawHandler
    /// has claimed every archived result of the user: while it is there, the thaw is re-sent.
    static let thawRequestedAttribute = "thaw_requested_at"
    /// The sparse index over `thaw_requested_at`.
    public static let thawRequestsIndex = "thaw_requests_index"

    /// Makes a free user premium with their Stripe customer and subscription, and marks the thaw
    /// as requested in the same write; false when the user was not free (a double submit).
    public func upgrade(userID: String, customerID: String, subscriptionID: String, at time: Int) async throws -> Bool {
        do {
            try await db.updateItem(
                table: configuration.usersTable, key: ["user_id": .s(userID)],
                update: "SET #role = :premium, stripe_customer_id = :c, stripe_subscription_id = :s, \(Self.thawRequestedAttribute) = :t, upgraded = :t",
                condition: "attribute_exists(user_id) AND (#role = :free OR attribute_not_exists(#role))",
                attributes: .init(
                    names: ["#role": "role"],
                    values: [
                        ":premium": .s(UserRole.premium.rawValue), ":free": .s(UserRole.free.rawValue), ":c": .s(customerID),
                        ":s": .s(subscriptionID), ":t": .int(time),
                    ]))
            return true
        } catch {
            guard error.code == "ConditionalCheckFailedException" else { throw error }
            return false
        }
    }

    /// Makes a premium user free again (the subscription ids are kept for the record); false when
    /// the user was not premium.
    public func downgrade(userID: String) async throws -> Bool {
        do {
            try await db.updateItem(
                table: configuration.usersTable, key: ["user_id": .s(userID)],
                update: "SET #role = :free, downgraded = :t REMOVE \(Self.thawRequestedAttribute)", condition: "#role = :premium",
                attributes: .init(
                    names: ["#role": "role"],
                    values: [":premium": .s(UserRole.premium.rawValue), ":free": .s(UserRole.free.rawValue), ":t": .int(Self.now())]))
            return true
        } catch {
            guard error.code == "ConditionalCheckFailedException" else { throw error }
            return false
        }
    }

    /// Publishes the thaw request ThawHandler reads; the marker stays until ThawHandler clears it.
    public func requestThaw(userID: String, requestedAt: Int) async throws {
        guard let topic = configuration.upgradesTopicARN else { throw WebStoreError.notConfigured("UPGRADES_TOPIC_ARN") }
        try await sns.publish(topicARN: topic, message: #"{"user_id":\#(Self.jsonString(userID)),"requested_at":\#(requestedAt)}"#)
    }

    /// Users whose thaw request is older than `olderThan` seconds and not yet confirmed, with the
    /// request time (read from the sparse index that holds only them).
    public func usersAwaitingThaw(olderThan: Int) async throws -> [(userID: String, requestedAt: Int)] {
        try await db.scanAll(
            table: configuration.usersTable, index: Self.thawRequestsIndex, filter: "\(Self.thawRequestedAttribute) <= :cutoff",
            attributes: .init(values: [":cutoff": .int(Self.now() - olderThan)])
        ).compactMap { item in
            guard let id = item["user_id"]?.string, let at = item[Self.thawRequestedAttribute]?.int else { return nil }
            return (id, at)
        }
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}

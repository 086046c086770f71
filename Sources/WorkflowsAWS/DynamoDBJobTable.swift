import AWSCore
import AWSDynamoDB
import Workflows

/// The annotations table (and the users table for the archive condition) in DynamoDB.
public struct DynamoDBJobTable: JobTable, NotificationLedger {
    let db: DynamoDBClient
    let table: String
    let usersTable: String
    let userIndex: String

    /// Maps jobs to `table` with its `userIndex` GSI; `usersTable` holds the roles.
    public init(db: DynamoDBClient, table: String, usersTable: String, userIndex: String = "user_id_index") {
        self.db = db
        self.table = table
        self.usersTable = usersTable
        self.userIndex = userIndex
    }

    public func job(_ id: String) async throws -> Job? {
        try await Self.translating(id) {
            try await db.getItem(table: table, key: ["job_id": .s(id)], consistentRead: true).map(JobItem.job)
        }
    }

    public func archivedJobs(of userID: String) async throws -> [Job] {
        try await Self.translating(userID) {
            try await db.queryAll(
                table: table, index: userIndex, keyCondition: "user_id = :u", filter: "attribute_exists(results_file_archive_id)",
                attributes: .init(values: [":u": .s(userID)])
            ).map(JobItem.job)
        }
    }

    public func commit(_ transition: StorageTransition) async throws {
        let (update, updateNames, updateValues) = JobItem.update(to: transition.to)
        let (condition, conditionNames, conditionValues) = JobItem.condition(is: transition.from)
        let attributes = DynamoDBExpressionAttributes(
            names: updateNames.merging(conditionNames) { $1 }, values: updateValues.merging(conditionValues) { $1 })
        let key: DynamoDBItem = ["job_id": .s(transition.jobID)]
        try await Self.translating(transition.jobID) {
            if let user = transition.requireFreeUser {
                try await db.transactWriteItems([
                    .conditionCheck(
                        table: usersTable, key: ["user_id": .s(user)], condition: "#role = :free",
                        attributes: .init(names: ["#role": "role"], values: [":free": .s(UserRole.free.rawValue)])),
                    .update(table: table, key: key, update: update, condition: condition, attributes: attributes),
                ])
            } else {
                try await db.updateItem(table: table, key: key, update: update, condition: condition, attributes: attributes)
            }
        }
    }

    public func claimNotification(jobID: String, now: Int, until: Int) async throws -> Bool {
        do {
            try await Self.translating(jobID) {
                try await db.updateItem(
                    table: table, key: ["job_id": .s(jobID)], update: "SET notify_claimed_at = :now, notify_expires_at = :until",
                    condition: "attribute_exists(job_id) AND (attribute_not_exists(notified) OR notified = :false) AND (attribute_not_exists(notify_claimed_at)"
                        + " OR notify_expires_at < :now OR (attribute_not_exists(notify_expires_at) AND notify_claimed_at < :stale))",
                    attributes: .init(values: [
                        ":now": .int(now), ":until": .int(until), ":stale": .int(now - NotifyWorkflow.staleClaimSeconds), ":false": .bool(false),
                    ]))
            }
            return true
        } catch WorkflowError.conflict {
            return false
        }
    }

    public func markNotified(jobID: String) async throws {
        try await Self.translating(jobID) {
            try await db.updateItem(table: table, key: ["job_id": .s(jobID)], update: "SET notified = :true", attributes: .init(values: [":true": .bool(true)]))
        }
    }

    /// Maps AWS failures to the workflow's errors: a failed condition is a conflict.
    static func translating<T>(_ subject: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AWSError
            where error.code == "ConditionalCheckFailedException" || (error.code == "TransactionCanceledException" && !error.isTransactionConflict)
        {
            throw WorkflowError.conflict(subject)
        } catch let error as AWSError {
            throw WorkflowError.dependency(error.description, retryable: error.isRetryable)
        }
    }
}


import AWSDynamoDB
import Workflows

/// The reconciler's reads and its one write of its own, over the annotations table and a cold store.
public struct DynamoDBReconcileSource: ReconcileSource {
    let jobs: DynamoDBJobTable
    let inventory: any ColdInventory

    /// Reads `jobs`' table and lists `inventory`.
    public init(jobs: DynamoDBJobTable, inventory: any ColdInventory) {
        self.jobs = jobs
        self.inventory = inventory
    }

    public func unsettledJobs(completedBefore cutoff: Int?) async throws -> [Job] {
        var filter = "job_status IN (:pending, :running) OR attribute_exists(results_file_archive_id)"
        var values: DynamoDBItem = [":pending": .s(JobStatus.pending.rawValue), ":running": .s(JobStatus.running.rawValue)]
        if let cutoff {
            // Never archived (S3, or an original-GAS item without a storage attribute) and overdue.
            filter += " OR (job_status = :completed AND complete_time < :cutoff AND (results_storage = :s3 OR attribute_not_exists(results_storage)))"
            values[":completed"] = .s(JobStatus.completed.rawValue)
            values[":cutoff"] = .int(cutoff)
            values[":s3"] = "S3"
        }
        return try await DynamoDBJobTable.translating("unsettled jobs") {
            try await jobs.db.scanAll(table: jobs.table, filter: filter, attributes: .init(values: values)).map(JobItem.job)
        }
    }

    public func coldCopies(before cutoff: Int) async throws -> [ColdCopy] {
        try await inventory.coldCopies(before: cutoff)
    }

    public func abandon(_ job: Job, reason: String) async throws -> Bool {
        var condition = "job_status = :was"
        var values: DynamoDBItem = [":was": .s(job.status.rawValue), ":failed": .s(JobStatus.failed.rawValue), ":reason": .s(reason)]
        if let claimed = job.runClaimedAt {
            condition += " AND run_claimed_at = :claimed"
            values[":claimed"] = .int(claimed)
        } else {
            condition += " AND attribute_not_exists(run_claimed_at)"
        }
        do {
            _ = try await DynamoDBJobTable.translating(job.id) {
                try await jobs.db.updateItem(
                    table: jobs.table, key: ["job_id": .s(job.id)], update: "SET job_status = :failed, failure_reason = :reason",
                    condition: condition, attributes: .init(values: values))
            }
            return true
        } catch WorkflowError.conflict {
            return false  // claimed again or finished since it was read
        }
    }
}

import AWSDynamoDB
import Workflows

extension DynamoDBJobTable: JobRunLedger {
    public func claimRun(jobID: String, now: Int, until: Int) async throws -> RunClaim? {
        do {
            let item = try await Self.translating(jobID) {
                try await db.updateItem(
                    table: table, key: ["job_id": .s(jobID)],
                    update: "SET job_status = :running, run_claimed_at = :now, run_expires_at = :until, run_attempts = if_not_exists(run_attempts, :zero) + :one",
                    condition: "job_status = :pending OR (job_status = :running AND (attribute_not_exists(run_claimed_at) OR run_expires_at < :now"
                        + " OR (attribute_not_exists(run_expires_at) AND run_claimed_at < :stale)))",
                    attributes: .init(values: [
                        ":running": .s(JobStatus.running.rawValue), ":pending": .s(JobStatus.pending.rawValue), ":now": .int(now),
                        ":until": .int(until), ":stale": .int(now - AnnotateWorkflow.staleRunSeconds), ":zero": .int(0), ":one": .int(1),
                    ]),
                    returnValues: .allNew)
            }
            return RunClaim(attempt: item?["run_attempts"]?.int ?? 1, lastError: item?["run_last_error"]?.string)
        } catch WorkflowError.conflict {
            return nil
        }
    }

    public func releaseRun(jobID: String, claimedAt: Int, reason: String) async throws {
        do {
            _ = try await Self.translating(jobID) {
                try await db.updateItem(
                    table: table, key: ["job_id": .s(jobID)], update: "SET run_last_error = :reason REMOVE run_claimed_at, run_expires_at",
                    condition: "job_status = :running AND run_claimed_at = :mine",
                    attributes: .init(values: [":reason": .s(reason), ":running": .s(JobStatus.running.rawValue), ":mine": .int(claimedAt)]))
            }
        } catch WorkflowError.conflict {
            return  // taken over or finished meanwhile: nothing of ours to release
        }
    }

    public func complete(jobID: String, result: ObjectLocation, log: ObjectLocation, completeTime: Int) async throws {
        _ = try await Self.translating(jobID) {
            try await db.updateItem(
                table: table, key: ["job_id": .s(jobID)],
                update: "SET job_status = :completed, s3_results_bucket = :bucket, s3_key_result_file = :result, s3_key_log_file = :log, complete_time = :time, results_storage = :s3",
                condition: "job_status = :running",
                attributes: .init(values: [
                    ":completed": .s(JobStatus.completed.rawValue), ":running": .s(JobStatus.running.rawValue), ":bucket": .s(result.bucket),
                    ":result": .s(result.key), ":log": .s(log.key), ":time": .int(completeTime), ":s3": "S3",
                ]))
        }
    }

    public func fail(jobID: String, reason: String, log: ObjectLocation?) async throws {
        var values: DynamoDBItem = [":failed": .s(JobStatus.failed.rawValue), ":running": .s(JobStatus.running.rawValue), ":reason": .s(reason)]
        var update = "SET job_status = :failed, failure_reason = :reason"
        if let log {
            update += ", s3_results_bucket = :bucket, s3_key_log_file = :log"
            values[":bucket"] = .s(log.bucket)
            values[":log"] = .s(log.key)
        }
        _ = try await Self.translating(jobID) {
            try await db.updateItem(table: table, key: ["job_id": .s(jobID)], update: update, condition: "job_status = :running", attributes: .init(values: values))
        }
    }
}

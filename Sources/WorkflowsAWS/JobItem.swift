import AWSDynamoDB
import Workflows

/// How a job and its storage state are spelled in the annotations table (the original GAS names,
/// plus `results_storage` and the retrieval attributes).
public enum JobItem {
    static let storageAttribute = "results_storage"

    /// The job an item describes.
    public static func job(_ item: DynamoDBItem) -> Job {
        func location(_ bucket: String, _ key: String) -> ObjectLocation? {
            guard let bucket = item[bucket]?.string, let key = item[key]?.string else { return nil }
            return ObjectLocation(bucket: bucket, key: key)
        }
        return Job(
            id: item["job_id"]?.string ?? "", userID: item["user_id"]?.string ?? "",
            status: JobStatus(rawValue: item["job_status"]?.string ?? "") ?? .pending,
            result: location("s3_results_bucket", "s3_key_result_file"), log: location("s3_results_bucket", "s3_key_log_file"),
            completeTime: item["complete_time"]?.int, storage: storage(item), notified: item["notified"]?.bool ?? false,
            submitTime: item["submit_time"]?.int, runClaimedAt: item["run_claimed_at"]?.int)
    }

    /// The storage state an item records.
    public static func storage(_ item: DynamoDBItem) -> ResultStorage {
        let reference = item["results_file_archive_id"]?.string.map(ColdReference.init)
        switch (item[storageAttribute]?.string, reference) {
        case ("ARCHIVED", let ref?): return .archived(ref, originalVersion: item["results_original_version"]?.string)
        case ("RESTORING", let ref?):
            guard let id = item["retrieval_id"]?.string, let tier = RetrievalTier(rawValue: item["retrieval_tier"]?.string ?? "") else {
                return .restoring(ref, nil)
            }
            return .restoring(ref, Retrieval(tier: tier, id: id))
        case ("RESTORED", let ref): return .restored(pendingDelete: ref)
        // Items written by the original GAS: an archive id alone means archived.
        case (nil, let ref?): return .archived(ref, originalVersion: nil)
        default: return .s3
        }
    }

    /// `SET`/`REMOVE` that writes `storage` exactly.
    static func update(to storage: ResultStorage) -> (String, [String: String], DynamoDBItem) {
        var values: DynamoDBItem = [":storage": .s(name(storage))]
        var set = ["#storage = :storage"]
        var remove: [String] = []
        func put(_ attribute: String, _ value: String?) {
            if let value {
                values[":\(attribute)"] = .s(value)
                set.append("\(attribute) = :\(attribute)")
            } else {
                remove.append(attribute)
            }
        }
        var retrieval: Retrieval?
        var version: String?
        if case .restoring(_, let started) = storage { retrieval = started }
        if case .archived(_, let original) = storage { version = original }
        put("results_file_archive_id", storage.coldReference?.value)
        put("results_original_version", version)
        put("retrieval_tier", retrieval?.tier.rawValue)
        put("retrieval_id", retrieval?.id)
        let expression = "SET " + set.joined(separator: ", ") + (remove.isEmpty ? "" : " REMOVE " + remove.joined(separator: ", "))
        return (expression, ["#storage": storageAttribute], values)
    }

    /// A condition that holds exactly when the item is in `storage` (and completed).
    static func condition(is storage: ResultStorage) -> (String, [String: String], DynamoDBItem) {
        var parts = ["job_status = :completed"]
        var values: DynamoDBItem = [":completed": .s(JobStatus.completed.rawValue), ":was": .s(name(storage))]
        if case .s3 = storage {
            parts.append("(attribute_not_exists(#storage) OR #storage = :was)")
            parts.append("attribute_not_exists(results_file_archive_id)")
        } else if case .archived(let ref, _) = storage {
            // The original GAS wrote the archive id alone: `storage(_:)` reads that as archived,
            // so the condition must hold on it too, or its items could never be claimed.
            parts.append("(#storage = :was OR attribute_not_exists(#storage))")
            values[":ref"] = .s(ref.value)
            parts.append("results_file_archive_id = :ref")
        } else {
            parts.append("#storage = :was")
            if let ref = storage.coldReference {
                values[":ref"] = .s(ref.value)
                parts.append("results_file_archive_id = :ref")
            } else {
                parts.append("attribute_not_exists(results_file_archive_id)")
            }
        }
        if case .restoring(_, let retrieval) = storage {
            if let retrieval {
                values[":rid"] = .s(retrieval.id)
                parts.append("retrieval_id = :rid")
            } else {
                parts.append("attribute_not_exists(retrieval_id)")
            }
        }
        return (parts.joined(separator: " AND "), ["#storage": storageAttribute], values)
    }

    static func name(_ storage: ResultStorage) -> String {
        switch storage {
        case .s3: "S3"
        case .archived: "ARCHIVED"
        case .restoring: "RESTORING"
        case .restored: "RESTORED"
        }
    }
}

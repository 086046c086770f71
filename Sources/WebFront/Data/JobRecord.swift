import AWSDynamoDB
import FoundationEssentials
import Workflows
import WorkflowsAWS

/// An annotation job as the pages show it (the annotations table's item, original GAS names).
public struct JobRecord: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var inputFileName: String
    public var input: ObjectLocation
    public var submitTime: Int
    public var status: JobStatus
    public var completeTime: Int?
    public var result: ObjectLocation?
    public var log: ObjectLocation?
    public var storage: ResultStorage
    /// Why a FAILED job failed, in words the user can read.
    public var failureReason: String?
    /// Set when a restore failed for good.
    public var restoreFailure: String?
    /// Set while the annotation request is not yet known to be on the job-requests topic.
    public var requestUnpublishedSince: Int?

    /// Reads an item; nil when a required attribute is missing or not of its type.
    init?(item: DynamoDBItem) {
        guard let id = item["job_id"]?.string, let userID = item["user_id"]?.string,
            let bucket = item["s3_inputs_bucket"]?.string, let key = item["s3_key_input_file"]?.string
        else { return nil }
        let job = JobItem.job(item)
        self.id = id
        self.userID = userID
        inputFileName = item["input_file_name"]?.string ?? key
        input = ObjectLocation(bucket: bucket, key: key)
        submitTime = item["submit_time"]?.int ?? 0
        status = job.status
        completeTime = job.completeTime
        result = job.result
        log = job.log
        storage = job.storage
        failureReason = item["failure_reason"]?.string
        restoreFailure = item["restore_failure"]?.string
        requestUnpublishedSince = item[Self.unpublishedAttribute]?.int
    }

    /// The attribute (and sparse index key) present only until the request is published.
    static let unpublishedAttribute = "request_unpublished_at"

    /// The item a new job starts as.
    static func newItem(id: String, userID: String, input: ObjectLocation, fileName: String, submitTime: Int) -> DynamoDBItem {
        [
            "job_id": .s(id), "user_id": .s(userID), "input_file_name": .s(fileName), "s3_inputs_bucket": .s(input.bucket),
            "s3_key_input_file": .s(input.key), "submit_time": .int(submitTime), "job_status": .s(JobStatus.pending.rawValue),
            unpublishedAttribute: .int(submitTime),
        ]
    }

    /// The annotation request AnnotateHandler reads (the original GAS's submit-time fields).
    func requestMessage() throws -> String {
        struct Message: Encodable {
            var job_id, user_id, input_file_name, s3_inputs_bucket, s3_key_input_file: String
            var submit_time: Int
            var job_status: String
        }
        let message = Message(
            job_id: id, user_id: userID, input_file_name: inputFileName, s3_inputs_bucket: input.bucket, s3_key_input_file: input.key,
            submit_time: submitTime, job_status: JobStatus.pending.rawValue)
        return String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
    }
}

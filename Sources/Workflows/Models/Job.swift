/// Where a job's files live in S3.
public struct ObjectLocation: Sendable, Hashable, CustomStringConvertible {
    /// Bucket.
    public var bucket: String
    /// Key.
    public var key: String

    /// Creates a location.
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    public var description: String { "s3://\(bucket)/\(key)" }
}

/// An annotation job's status (`job_status`).
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING"
    case running = "RUNNING"
    case completed = "COMPLETED"
    case failed = "FAILED"
}

/// A user's subscription (`role`).
public enum UserRole: String, Sendable, Codable {
    case free = "free_user"
    case premium = "premium_user"
}

/// A GAS user.
public struct User: Sendable, Equatable {
    public var id: String
    public var name: String
    public var email: String
    public var role: UserRole

    /// Creates a user.
    public init(id: String, name: String, email: String, role: UserRole) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
    }
}

/// One annotation job, as the annotations table holds it.
public struct Job: Sendable, Equatable {
    public var id: String
    public var userID: String
    public var status: JobStatus
    /// The annotated result, once completed.
    public var result: ObjectLocation?
    /// The count log, once completed (never archived).
    public var log: ObjectLocation?
    /// Completion time, epoch seconds.
    public var completeTime: Int?
    /// Where the result is.
    public var storage: ResultStorage
    /// Whether the completion email went out.
    public var notified: Bool
    /// When the job was submitted, epoch seconds.
    public var submitTime: Int?
    /// When the running annotation was claimed (nil: never, or released for a retry).
    public var runClaimedAt: Int?

    /// Creates a job.
    public init(
        id: String, userID: String, status: JobStatus, result: ObjectLocation? = nil, log: ObjectLocation? = nil, completeTime: Int? = nil,
        storage: ResultStorage = .s3, notified: Bool = false, submitTime: Int? = nil, runClaimedAt: Int? = nil
    ) {
        self.id = id
        self.userID = userID
        self.status = status
        self.result = result
        self.log = log
        self.completeTime = completeTime
        self.storage = storage
        self.notified = notified
        self.submitTime = submitTime
        self.runClaimedAt = runClaimedAt
    }
}

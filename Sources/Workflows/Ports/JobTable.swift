/// A storage state change to commit only if the job is still where the caller read it.
public struct StorageTransition: Sendable, Equatable {
    /// The job.
    public var jobID: String
    /// The state the caller read.
    public var from: ResultStorage
    /// The state to write.
    public var to: ResultStorage
    /// When set, the commit also requires that this user is still a free user.
    public var requireFreeUser: String?

    /// Creates a transition.
    public init(jobID: String, from: ResultStorage, to: ResultStorage, requireFreeUser: String? = nil) {
        self.jobID = jobID
        self.from = from
        self.to = to
        self.requireFreeUser = requireFreeUser
    }
}

/// The annotations table.
public protocol JobTable: Sendable {
    /// The job, read consistently; nil when there is none.
    func job(_ id: String) async throws -> Job?
    /// The user's jobs whose result is (or may be) archived; callers re-read each before acting.
    func archivedJobs(of userID: String) async throws -> [Job]
    /// Commits `transition`; throws `WorkflowError.conflict` when the state (or the user's role) changed.
    func commit(_ transition: StorageTransition) async throws
}

/// The notification bookkeeping on a job, kept apart from the storage transitions.
public protocol NotificationLedger: Sendable {
    /// Claims the right to send the completion email until `until` (epoch seconds: the
    /// invocation's deadline); false when it was already sent or another sender's claim has not
    /// expired.
    func claimNotification(jobID: String, now: Int, until: Int) async throws -> Bool
    /// Records that the email went out.
    func markNotified(jobID: String) async throws
}

/// The users table.
public protocol UserDirectory: Sendable {
    /// The user, or nil.
    func user(_ id: String) async throws -> User?
}

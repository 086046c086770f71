/// What a workflow reports when it cannot go on; each case becomes a Lambda `errorType` at the edge.
public enum WorkflowError: Error, Sendable, Equatable {
    /// No such job in the table.
    case jobNotFound(String)
    /// The job has no completed result to act on.
    case notCompleted(String, JobStatus)
    /// The user the job belongs to is not in the users table.
    case userNotFound(String)
    /// The result object the item names is not in S3.
    case resultMissing(String, ObjectLocation)
    /// A conditional write lost to another writer (re-read and decide again).
    case conflict(String)
    /// The cold store has not finished the retrieval yet.
    case retrievalNotReady(String)
    /// A completion names a cold copy no job refers to.
    case unknownRetrieval(String)
    /// A port failed; `retryable` says whether trying again may help.
    case dependency(String, retryable: Bool)
    /// A run over several jobs finished the others but not these (each logged with its reason);
    /// `retryable` when any of them may succeed on a retry.
    case jobsFailed([String], retryable: Bool)
}

/// What a cold store reports.
public enum ColdStoreError: Error, Sendable, Equatable {
    /// The tier has no capacity now (Expedited); try a slower one.
    case tierUnavailable(RetrievalTier)
    /// The retrieval has not completed.
    case notReady
    /// The retrieved bytes do not match the archive's checksum.
    case corrupt(String)
    /// The retrieval failed, expired or is unknown to the cold store: only a new one can bring the bytes back.
    case retrievalGone
}

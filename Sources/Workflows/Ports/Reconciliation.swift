/// How far a started retrieval has got, as the cold store says now.
public enum RetrievalStatus: Sendable, Equatable {
    /// Still running: its completion will come.
    case inProgress
    /// Done and readable: the completion may have been lost.
    case ready
    /// Failed, expired or unknown: only a new retrieval brings the bytes back.
    case gone
}

/// Asks the cold store about a retrieval, for the reconciler.
public protocol RetrievalProbe: Sendable {
    /// The retrieval's status.
    func status(of retrieval: Retrieval, for reference: ColdReference) async throws -> RetrievalStatus
}

/// A cold copy, as the cold store lists it.
public struct ColdCopy: Sendable, Equatable {
    /// Its reference.
    public var reference: ColdReference
    /// The job it was made for.
    public var jobID: String
    /// When it was written, epoch seconds.
    public var createdAt: Int

    /// Creates a listing entry.
    public init(reference: ColdReference, jobID: String, createdAt: Int) {
        self.reference = reference
        self.jobID = jobID
        self.createdAt = createdAt
    }
}

/// The reconciler's view of the tables and the cold store.
public protocol ReconcileSource: Sendable {
    /// Every job that is not settled: PENDING or RUNNING, or with a cold copy named (archived,
    /// restoring, or restored with the cold copy still to delete), and, when `completedBefore` is
    /// given, every COMPLETED job whose result was never archived and that completed before it.
    func unsettledJobs(completedBefore: Int?) async throws -> [Job]
    /// Cold copies written before `cutoff` (epoch seconds); empty where the store cannot list (a vault).
    func coldCopies(before cutoff: Int) async throws -> [ColdCopy]
    /// PENDING or RUNNING → FAILED with `reason`, only if the job is still as read (same status
    /// and claim): false when it moved on.
    func abandon(_ job: Job, reason: String) async throws -> Bool
}

/// A message a queue's consumer gave up on, read from its dead-letter queue.
public struct DeadLetter: Sendable, Equatable {
    /// The dead-letter queue it sits in.
    public var queue: String
    /// Its message id.
    public var id: String
    /// How often it was sent back to its queue before.
    public var redrives: Int
    /// Whether its consumer could ever read it (a JSON object, inside an SNS envelope or not):
    /// a body that can never decode is left for an operator.
    public var readable: Bool

    /// Creates a dead letter.
    public init(queue: String, id: String, redrives: Int, readable: Bool) {
        self.queue = queue
        self.id = id
        self.redrives = redrives
        self.readable = readable
    }
}

/// The dead-letter queues of the functions' queues, for the reconciler.
public protocol DeadLetterQueues: Sendable {
    /// The messages in the dead-letter queues (each held from other readers until the pass is over).
    func deadLetters() async throws -> [DeadLetter]
    /// Sends `letter` back to the queue it came from, counting the redrive, then removes it from
    /// the dead-letter queue (a crash between the two delivers it twice, which every handler takes).
    func redrive(_ letter: DeadLetter) async throws
}

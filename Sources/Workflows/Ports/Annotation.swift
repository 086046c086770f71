/// A held claim on running a job's annotation.
public struct RunClaim: Sendable, Equatable {
    /// Which attempt this is (1 for the first claim of the job).
    public var attempt: Int
    /// Why the attempt before failed, when it said (`releaseRun`).
    public var lastError: String?

    /// Creates a claim.
    public init(attempt: Int, lastError: String? = nil) {
        self.attempt = attempt
        self.lastError = lastError
    }
}

/// The job bookkeeping of the annotator, apart from the storage transitions.
public protocol JobRunLedger: Sendable {
    /// Moves the job from PENDING (or from RUNNING whose claim was released or has expired: a
    /// crashed annotator) to RUNNING, counting the attempt, with a claim that holds until `until`
    /// (epoch seconds: the invocation's deadline, past which no annotator can own it); nil when
    /// someone else holds it or it finished.
    func claimRun(jobID: String, now: Int, until: Int) async throws -> RunClaim?
    /// Gives up the claim taken at `claimedAt` after a failed attempt, recording why (the next
    /// delivery claims at once and, after the last attempt, shows the reason).
    func releaseRun(jobID: String, claimedAt: Int, reason: String) async throws
    /// RUNNING → COMPLETED with the result and log keys.
    func complete(jobID: String, result: ObjectLocation, log: ObjectLocation, completeTime: Int) async throws
    /// RUNNING → FAILED with the reason and the log that explains it.
    func fail(jobID: String, reason: String, log: ObjectLocation?) async throws
}

/// The job's input, as the annotation request names it.
public struct AnnotationInput: Sendable, Equatable {
    public var jobID: String
    public var userID: String
    public var input: ObjectLocation
    public var inputFileName: String

    /// Creates an input.
    public init(jobID: String, userID: String, input: ObjectLocation, inputFileName: String) {
        self.jobID = jobID
        self.userID = userID
        self.input = input
        self.inputFileName = inputFileName
    }
}

/// What the annotation produced.
public struct AnnotationOutput: Sendable, Equatable {
    public var result: ObjectLocation
    public var log: ObjectLocation
    /// The size of the annotated input (for the metrics).
    public var inputBytes: Int64

    /// Creates an output.
    public init(result: ObjectLocation, log: ObjectLocation, inputBytes: Int64 = 0) {
        self.result = result
        self.log = log
        self.inputBytes = inputBytes
    }
}

/// The input could not be annotated (a bad VCF); the log explaining why is already stored.
public struct AnnotationRejected: Error, Sendable, Equatable {
    public var reason: String
    public var log: ObjectLocation?

    /// Creates a rejection.
    public init(reason: String, log: ObjectLocation?) {
        self.reason = reason
        self.log = log
    }
}

/// Runs the annotation engine on a job's input and stores `<name>.annot.vcf` and `<name>.vcf.count.log`.
public protocol AnnotationRunner: Sendable {
    /// Annotates; throws `AnnotationRejected` for input that is not valid VCF.
    func annotate(_ input: AnnotationInput) async throws -> AnnotationOutput
}

/// Publishes job events.
public protocol EventPublisher: Sendable {
    /// Announces a completed job on the job-results topic.
    func jobCompleted(jobID: String, userID: String) async throws
}

/// Starts the archive state machine.
public protocol WorkflowStarter: Sendable {
    /// Starts (at most once per job) the retention wait and archive of `jobID`.
    func startArchive(jobID: String, completeTime: Int) async throws
}

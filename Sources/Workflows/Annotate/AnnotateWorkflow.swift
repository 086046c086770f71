import Logging

/// Runs one annotation request (AnnotateHandler): claim, annotate, complete, announce, and for
/// free users start the archive countdown. Idempotent: a redelivered request annotates nothing
/// twice; it only repeats the (deduplicated) announcement of a completed job.
public struct AnnotateWorkflow: Workflow {
    /// How a request ended.
    public enum Outcome: String, Sendable, Equatable {
        case completed
        case failed
        /// Done before; the announcement and archive start were repeated idempotently.
        case alreadyCompleted
        /// Another annotator holds the job.
        case inProgress
        /// Failed before; nothing to do.
        case alreadyFailed
    }

    /// How long a claim holds when the caller names no deadline (the template's function
    /// timeout), and how old a claim written without an expiry must be before it is taken over.
    public static let staleRunSeconds = 900
    /// Attempts at one job before it ends FAILED: an error that may pass is retried this often,
    /// and a job whose annotator dies (a timeout, memory) on every delivery is failed, not left RUNNING.
    public static let maxAttempts = 3

    let jobs: any JobTable
    let ledger: any JobRunLedger
    let users: any UserDirectory
    let runner: any AnnotationRunner
    let events: any EventPublisher
    let archives: any WorkflowStarter
    /// Where the workflow logs.
    public var logger: Logger

    /// Wires the workflow.
    public init(
        jobs: any JobTable, ledger: any JobRunLedger, users: any UserDirectory, runner: any AnnotationRunner, events: any EventPublisher,
        archives: any WorkflowStarter, logger: Logger
    ) {
        self.jobs = jobs
        self.ledger = ledger
        self.users = users
        self.runner = runner
        self.events = events
        self.archives = archives
        self.logger = logger
    }

    /// Handles the request for `input` at the fixed time `now` (epoch seconds).
    public func run(_ input: AnnotationInput, now: Int) async throws -> Outcome {
        try await run(input, deadline: now + Self.staleRunSeconds, clock: { now })
    }

    /// Handles the request for `input`; `clock` answers epoch seconds and is read when the run is
    /// claimed and again when the annotation is done, so the completion time (which starts the
    /// retention and is shown in the email) is the real end, not the start. The claim holds until
    /// `deadline` (epoch seconds, the invocation's): a redelivery after it (SQS waits a visibility
    /// timeout, never shorter than the function's timeout) finds the claim of a dead run expired.
    public func run(_ input: AnnotationInput, deadline: Int, clock: @Sendable () -> Int) async throws -> Outcome {
        let now = clock()
        guard let job = try await jobs.job(input.jobID) else { throw WorkflowError.jobNotFound(input.jobID) }
        switch job.status {
        case .completed:
            try await announce(job.id, userID: job.userID, completeTime: job.completeTime ?? now)
            return .alreadyCompleted
        case .failed:
            return .alreadyFailed
        case .pending, .running: break
        }
        guard let claim = try await ledger.claimRun(jobID: input.jobID, now: now, until: max(deadline, now + 1)) else { return .inProgress }
        if claim.attempt > Self.maxAttempts {
            // The attempts before never finished or failed retryably: the user gets the reason, not a job RUNNING for ever.
            let reason = "annotation did not finish in \(Self.maxAttempts) attempts: " + (claim.lastError ?? "the annotator stopped (timed out or ran out of memory)")
            return try await fail(input.jobID, reason: reason, log: nil)
        }
        let output: AnnotationOutput
        do {
            output = try await runner.annotate(input)
        } catch let rejected as AnnotationRejected {
            return try await fail(input.jobID, reason: rejected.reason, log: rejected.log)
        } catch {
            let reason = Self.describe(error)
            if !Self.mayPass(error) || claim.attempt >= Self.maxAttempts {
                let attempts = claim.attempt == 1 ? "" : " (attempt \(claim.attempt))"
                return try await fail(input.jobID, reason: "annotation failed\(attempts): \(reason)", log: nil)
            }
            logger.warning("annotation attempt failed; will retry", metadata: ["job.id": "\(input.jobID)", "attempt": "\(claim.attempt)", "error": "\(reason)"])
            try? await ledger.releaseRun(jobID: input.jobID, claimedAt: now, reason: reason)
            throw error
        }
        let completed = clock()
        try await ledger.complete(jobID: input.jobID, result: output.result, log: output.log, completeTime: completed)
        try await announce(input.jobID, userID: job.userID, completeTime: completed)
        logger.info("annotated", metadata: ["job.id": "\(input.jobID)", "result": "\(output.result)"])
        return .completed
    }

    private func fail(_ jobID: String, reason: String, log: ObjectLocation?) async throws -> Outcome {
        try await ledger.fail(jobID: jobID, reason: reason, log: log)
        logger.warning("annotation failed", metadata: ["job.id": "\(jobID)", "reason": "\(reason)"])
        return .failed
    }

    /// Whether trying the annotation again may succeed.
    static func mayPass(_ error: any Error) -> Bool {
        if case WorkflowError.dependency(_, let retryable) = error { return retryable }
        return true
    }

    /// A reason for the job page: the failure's own words, short.
    static func describe(_ error: any Error) -> String {
        let text: String
        if case WorkflowError.dependency(let message, _) = error { text = message } else { text = "\(error)" }
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    private func announce(_ jobID: String, userID: String, completeTime: Int) async throws {
        try await events.jobCompleted(jobID: jobID, userID: userID)
        guard let user = try await users.user(userID) else { throw WorkflowError.userNotFound(userID) }
        if user.role == .free { try await archives.startArchive(jobID: jobID, completeTime: completeTime) }
    }
}

import Logging

/// Sends the one completion email of a job (NotifyHandler).
public struct NotifyWorkflow: Workflow {
    /// How a notification request ended.
    public enum Outcome: String, Equatable, Sendable {
        case sent
        /// The send's answer was lost, so it may have gone out: recorded as sent, never repeated
        /// (a user gets at most one email; the job page shows the result either way).
        case sentUnconfirmed
        /// Sent before (a redelivered message).
        case alreadySent
        /// Another delivery is sending it right now; retry later.
        case inProgress
    }

    /// How long a claim holds when the caller names no deadline, and how old a claim written
    /// without an expiry must be before it is taken over (its sender crashed).
    public static let staleClaimSeconds = 300

    let jobs: any JobTable
    let ledger: any NotificationLedger
    let users: any UserDirectory
    let mailer: any Mailer
    let jobPageBaseURL: String
    /// Where the workflow logs.
    public var logger: Logger

    /// Wires the workflow; `jobPageBaseURL` is e.g. `https://gas.example.org/annotations`.
    public init(jobs: any JobTable, ledger: any NotificationLedger, users: any UserDirectory, mailer: any Mailer, jobPageBaseURL: String, logger: Logger) {
        self.jobs = jobs
        self.ledger = ledger
        self.users = users
        self.mailer = mailer
        self.jobPageBaseURL = jobPageBaseURL
        self.logger = logger
    }

    /// Seconds a send may take: what is left of the invocation after the reads and writes around it
    /// (a tenth, at least 2 s), between 1 and 60 s.
    static func sendWindow(now: Int, deadline: Int) -> Double {
        let left = Double(deadline - now)
        return min(60, max(1, left - max(2, left / 10)))
    }

    /// The subject and body of the email for `job`.
    public func message(for job: Job) -> (subject: String, body: String) {
        let base = jobPageBaseURL.hasSuffix("/") ? String(jobPageBaseURL.dropLast()) : jobPageBaseURL
        let time = job.completeTime.map(UTCTime.format) ?? "an unknown time"
        return (
            "Results available for job \(job.id)",
            "Your annotation job completed at \(time). Click here to view job details and results: \(base)/\(job.id)"
        )
    }

    /// Emails the owner of `jobID` once; `now` is epoch seconds.
    public func run(jobID: String, now: Int) async throws -> Outcome {
        try await run(jobID: jobID, now: now, deadline: now + Self.staleClaimSeconds)
    }

    /// Emails the owner of `jobID` once, claiming the send until `deadline` (epoch seconds, the
    /// invocation's): a redelivery, which SQS holds back a visibility timeout (never shorter than
    /// the function's timeout), finds the claim of a sender that died expired and sends.
    public func run(jobID: String, now: Int, deadline: Int) async throws -> Outcome {
        guard let job = try await jobs.job(jobID) else { throw WorkflowError.jobNotFound(jobID) }
        guard job.status == .completed else { throw WorkflowError.notCompleted(jobID, job.status) }
        if job.notified { return .alreadySent }
        guard let user = try await users.user(job.userID) else { throw WorkflowError.userNotFound(job.userID) }
        guard try await ledger.claimNotification(jobID: jobID, now: now, until: max(deadline, now + 1)) else {
            return try await jobs.job(jobID)?.notified == true ? .alreadySent : .inProgress
        }
        let (subject, body) = message(for: job)
        do {
            // The send must end (sent, refused or unconfirmed) before Lambda stops the invocation: a
            // sender stopped mid-send would leave a request the mail service may still act on, and
            // the redelivery would send a second email.
            try await mailer.send(to: user.email, subject: subject, body: body, within: Self.sendWindow(now: now, deadline: deadline))
        } catch let unconfirmed as MailUnconfirmed {
            try await ledger.markNotified(jobID: jobID)
            logger.warning("completion email may not have gone out; not sent again", metadata: ["job.id": "\(jobID)", "error": "\(unconfirmed.reason)"])
            return .sentUnconfirmed
        }
        try await ledger.markNotified(jobID: jobID)
        logger.info("completion email sent", metadata: ["job.id": "\(jobID)"])
        return .sent
    }
}

/// `yyyy-MM-dd HH:mm:ss UTC` from epoch seconds, without Foundation.
enum UTCTime {
    static func format(_ epoch: Int) -> String { CivilTime.text(CivilTime.fields(epoch), separator: " ") + " UTC" }
}

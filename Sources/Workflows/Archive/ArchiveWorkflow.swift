import Logging

/// Moves a free user's result to cold storage after the retention time (ArchiveHandler).
public struct ArchiveWorkflow: Workflow {
    /// How an archive request ended.
    public enum Outcome: String, Sendable, Equatable {
        /// The result is now in cold storage only.
        case archived
        /// An earlier run archived it (a redelivery): nothing to do but cleanup.
        case alreadyArchived
        /// The user is premium: the result stays in S3.
        case skippedPremium
        /// The user upgraded while the copy was made: the cold copy was removed, the result stays in S3.
        case skippedUpgraded
        /// The result was restored already (upgrade before a late request).
        case skippedRestored
    }

    /// What to do, from what was read.
    public enum Decision: Equatable, Sendable {
        case copyAndCommit
        case deleteOriginal(version: String)
        case finish(Outcome)
    }

    let jobs: any JobTable
    let users: any UserDirectory
    let objects: any ObjectStore
    let cold: any ColdStore
    /// Where the workflow logs.
    public var logger: Logger

    /// Wires the workflow to its ports.
    public init(jobs: any JobTable, users: any UserDirectory, objects: any ObjectStore, cold: any ColdStore, logger: Logger) {
        self.jobs = jobs
        self.users = users
        self.objects = objects
        self.cold = cold
        self.logger = logger
    }

    /// The pure decision for a job in `storage` whose owner has `role`.
    public static func decide(storage: ResultStorage, role: UserRole) -> Decision {
        switch (storage, role) {
        case (.s3, .free): .copyAndCommit
        case (.s3, .premium): .finish(.skippedPremium)
        // Committed but maybe not cleaned up (a crash after the commit): delete the S3 original.
        case (.archived(_, let version?), _): .deleteOriginal(version: version)
        case (.archived(_, nil), _): .finish(.alreadyArchived)
        case (.restoring, _): .finish(.alreadyArchived)
        case (.restored, _): .finish(.skippedRestored)
        }
    }

    /// How often one run decides again after losing a race before it gives up (retryably): a
    /// run never loops without a bound, whatever the table holds.
    public static let maxRounds = 4

    /// Archives `jobID` if its owner is still a free user.
    public func run(jobID: String) async throws -> Outcome {
        var job = try await completedJob(jobID)
        guard let result = job.result else { throw WorkflowError.notCompleted(jobID, job.status) }
        for _ in 0..<Self.maxRounds {
            guard let user = try await users.user(job.userID) else { throw WorkflowError.userNotFound(job.userID) }
            switch Self.decide(storage: job.storage, role: user.role) {
            case .finish(let outcome):
                logger.info("archive skipped", metadata: ["job.id": "\(jobID)", "outcome": "\(outcome.rawValue)"])
                return outcome
            case .deleteOriginal(let version):
                try await objects.delete(result, version: version)
                return .alreadyArchived
            case .copyAndCommit:
                guard let version = try await objects.version(of: result) else {
                    // Gone since the read: a concurrent run archived it (decide again), or it is really missing.
                    let again = try await completedJob(jobID)
                    if again.storage == .s3 { throw WorkflowError.resultMissing(jobID, result) }
                    job = again
                    continue
                }
                let reference: ColdReference
                do {
                    reference = try await cold.archive(result, version: version, jobID: jobID)
                } catch WorkflowError.resultMissing {
                    job = try await completedJob(jobID)
                    if job.storage == .s3 { throw WorkflowError.resultMissing(jobID, result) }
                    continue
                }
                do {
                    try await jobs.commit(
                        StorageTransition(
                            jobID: jobID, from: .s3, to: .archived(reference, originalVersion: version), requireFreeUser: job.userID))
                } catch WorkflowError.conflict {
                    // Someone else acted (an upgrade, or a duplicate run): this copy is an orphan.
                    try await cold.discard(reference)
                    job = try await completedJob(jobID)
                    if case .s3 = job.storage, try await users.user(job.userID)?.role == .premium {
                        logger.info("user upgraded during archive; result stays in S3", metadata: ["job.id": "\(jobID)"])
                        return .skippedUpgraded
                    }
                    continue  // decide again on what is there now
                }
                // Only now, with the cold copy recorded, may the S3 original go: that version only.
                try await objects.delete(result, version: version)
                logger.info("archived", metadata: ["job.id": "\(jobID)", "cold.ref": "\(reference)"])
                return .archived
            }
        }
        logger.warning("archive gave up after repeated conflicts", metadata: ["job.id": "\(jobID)", "rounds": "\(Self.maxRounds)"])
        throw WorkflowError.conflict(jobID)
    }

    private func completedJob(_ jobID: String) async throws -> Job {
        guard let job = try await jobs.job(jobID) else { throw WorkflowError.jobNotFound(jobID) }
        guard job.status == .completed else { throw WorkflowError.notCompleted(jobID, job.status) }
        return job
    }
}

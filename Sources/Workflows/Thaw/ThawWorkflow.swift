import Logging

/// Starts the retrieval of every archived result of a user who became premium (ThawHandler).
public struct ThawWorkflow: Workflow {
    /// What happened to one job.
    public enum Outcome: Equatable, Sendable {
        /// A retrieval started at this tier.
        case started(RetrievalTier)
        /// A retrieval was already running or done (a repeated upgrade event).
        case alreadyThawing
        /// The result was never archived or is back in S3.
        case notArchived
    }

    /// What to do with one job, from its state.
    public enum Decision: Equatable, Sendable {
        /// Claim it (archived → restoring without a retrieval), then start.
        case claim(ColdReference)
        /// Claimed earlier but the retrieval was never recorded (a crash): start it now.
        case start(ColdReference)
        case skip(Outcome)
    }

    /// Tiers tried in order.
    public static let tiers: [RetrievalTier] = [.expedited, .standard]

    let jobs: any JobTable
    let cold: any ColdStore
    /// Where the workflow logs.
    public var logger: Logger

    /// Wires the workflow to its ports.
    public init(jobs: any JobTable, cold: any ColdStore, logger: Logger) {
        self.jobs = jobs
        self.cold = cold
        self.logger = logger
    }

    /// The pure decision for one job's storage state.
    public static func decide(_ storage: ResultStorage) -> Decision {
        switch storage {
        case .archived(let ref, _): .claim(ref)
        case .restoring(let ref, nil): .start(ref)
        case .restoring(_, .some): .skip(.alreadyThawing)
        case .s3, .restored: .skip(.notArchived)
        }
    }

    /// How often one job's thaw decides again after losing a race before it gives up (retryably).
    public static let maxRounds = 4

    /// Thaws every archived result of `userID`; answers the outcome per job. A job that fails is
    /// logged and the others are still thawed; then the run throws `WorkflowError.jobsFailed`
    /// naming the failed ones, so the request is retried (the thawed ones are no-ops then).
    public func run(userID: String) async throws -> [String: Outcome] {
        var outcomes: [String: Outcome] = [:]
        var failed: [String] = []
        var retryable = false
        for candidate in try await jobs.archivedJobs(of: userID) {
            do {
                outcomes[candidate.id] = try await thaw(candidate.id)
            } catch WorkflowError.jobNotFound {
                outcomes[candidate.id] = .notArchived  // deleted since the index was read
            } catch where !(error is WorkflowError || error is ColdStoreError) {
                throw error  // not this job's failure (cancellation, a crash): the run stops here
            } catch {
                logger.error("thaw failed", metadata: ["job.id": "\(candidate.id)", "user.id": "\(userID)", "error": "\(error)"])
                failed.append(candidate.id)
                retryable = retryable || Self.isRetryable(error)
            }
        }
        if !failed.isEmpty { throw WorkflowError.jobsFailed(failed, retryable: retryable) }
        return outcomes
    }

    /// Thaws one job (re-reading it: the user index may be stale).
    public func thaw(_ jobID: String) async throws -> Outcome {
        for _ in 0..<Self.maxRounds {
            guard let job = try await jobs.job(jobID) else { throw WorkflowError.jobNotFound(jobID) }
            let reference: ColdReference
            switch Self.decide(job.storage) {
            case .skip(let outcome): return outcome
            case .start(let ref): reference = ref
            case .claim(let ref):
                do {
                    try await jobs.commit(StorageTransition(jobID: jobID, from: job.storage, to: .restoring(ref, nil)))
                } catch WorkflowError.conflict {
                    continue
                }
                reference = ref
            }
            let retrieval = try await startRetrieval(reference, jobID: jobID)
            do {
                try await jobs.commit(StorageTransition(jobID: jobID, from: .restoring(reference, nil), to: .restoring(reference, retrieval)))
            } catch WorkflowError.conflict {
                // A duplicate thaw recorded its retrieval first, or the restore already finished.
                logger.info("retrieval recorded by another run", metadata: ["job.id": "\(jobID)"])
                return .alreadyThawing
            }
            logger.info("retrieval started", metadata: ["job.id": "\(jobID)", "tier": "\(retrieval.tier.rawValue)", "retrieval.id": "\(retrieval.id)"])
            return .started(retrieval.tier)
        }
        logger.warning("thaw gave up after repeated conflicts", metadata: ["job.id": "\(jobID)", "rounds": "\(Self.maxRounds)"])
        throw WorkflowError.conflict(jobID)
    }

    /// Whether trying `error` again may help (the permanent ones say so).
    static func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case WorkflowError.jobNotFound, WorkflowError.notCompleted, WorkflowError.userNotFound, WorkflowError.resultMissing,
            WorkflowError.unknownRetrieval, WorkflowError.dependency(_, retryable: false), WorkflowError.jobsFailed(_, retryable: false):
            false
        default: true
        }
    }

    private func startRetrieval(_ reference: ColdReference, jobID: String) async throws -> Retrieval {
        for tier in Self.tiers {
            do {
                return try await cold.startRetrieval(reference, tier: tier, jobID: jobID)
            } catch ColdStoreError.tierUnavailable(let unavailable) where unavailable != Self.tiers.last {
                logger.notice("tier unavailable, trying a slower one", metadata: ["job.id": "\(jobID)", "tier": "\(unavailable.rawValue)"])
            }
        }
        throw ColdStoreError.tierUnavailable(Self.tiers.last!)
    }
}

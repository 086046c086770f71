import Logging

/// A cold store's report that a retrieval finished.
public struct RetrievalCompletion: Sendable, Equatable {
    /// The job, when the notification names it (Glacier job description).
    public var jobID: String?
    /// The cold copy retrieved.
    public var reference: ColdReference
    /// The retrieval (Glacier job id), when known.
    public var retrievalID: String?
    /// Whether the retrieval succeeded.
    public var succeeded: Bool

    /// Creates a completion.
    public init(jobID: String?, reference: ColdReference, retrievalID: String?, succeeded: Bool = true) {
        self.jobID = jobID
        self.reference = reference
        self.retrievalID = retrievalID
        self.succeeded = succeeded
    }
}

/// Puts a retrieved result back in S3 and retires the cold copy (RestoreHandler).
public struct RestoreWorkflow: Workflow {
    /// How a completion was handled.
    public enum Outcome: String, Equatable, Sendable {
        /// The result is back in S3 and the cold copy is gone.
        case restored
        /// Nothing left to do (a duplicate completion).
        case alreadyRestored
        /// The retrieval failed or its copy expired before it was read: a new one was started.
        case retrievalRestarted
        /// A failure of a retrieval other than the one recorded (an earlier one): the live one goes on.
        case staleCompletion
    }

    /// What to do, from the state read.
    public enum Decision: Equatable, Sendable {
        /// Copy the retrieved bytes back, reading them through this retrieval.
        case copyBack(ColdReference, Retrieval?)
        /// The retrieval that was to bring the bytes back failed: start a new one.
        case restart(ColdReference)
        case deleteCold(ColdReference)
        case finish(Outcome)
    }

    /// How often one run decides again after losing a race before it gives up (retryably).
    public static let maxRounds = 4

    let jobs: any JobTable
    let objects: any ObjectStore
    let cold: any ColdStore
    /// Where the workflow logs.
    public var logger: Logger

    /// Wires the workflow to its ports.
    public init(jobs: any JobTable, objects: any ObjectStore, cold: any ColdStore, logger: Logger) {
        self.jobs = jobs
        self.objects = objects
        self.cold = cold
        self.logger = logger
    }

    /// The pure decision for a job in `storage` and `completion`.
    public static func decide(_ storage: ResultStorage, _ completion: RetrievalCompletion) -> Decision {
        let completed = completion.retrievalID.map { Retrieval(tier: .standard, id: $0) }
        switch storage {
        case .restoring(let ref, let recorded) where ref == completion.reference:
            if completion.succeeded {
                // Read what completed: a recorded id may be an older retrieval's.
                return .copyBack(ref, completed.map { Retrieval(tier: recorded?.tier ?? .standard, id: $0.id) } ?? recorded)
            }
            if let recorded, let completed, recorded.id != completed.id { return .finish(.staleCompletion) }
            return .restart(ref)
        // The thaw crashed before recording the retrieval, or the event overtook the record.
        case .archived(let ref, _) where ref == completion.reference:
            return completion.succeeded ? .copyBack(ref, completed) : .finish(.staleCompletion)
        case .restored(.some(let ref)): return .deleteCold(ref)
        case .restored(nil), .s3, .archived, .restoring: return .finish(.alreadyRestored)
        }
    }

    /// Handles one completion for `jobID`.
    public func run(jobID: String, completion: RetrievalCompletion) async throws -> Outcome {
        for _ in 0..<Self.maxRounds {
            guard let job = try await jobs.job(jobID) else { throw WorkflowError.jobNotFound(jobID) }
            guard let result = job.result else { throw WorkflowError.notCompleted(jobID, job.status) }
            switch Self.decide(job.storage, completion) {
            case .finish(let outcome):
                if outcome == .staleCompletion { logger.notice("stale retrieval failure ignored", metadata: ["job.id": "\(jobID)"]) }
                return outcome
            case .deleteCold(let ref):
                try await retire(ref, jobID: jobID, result: result, retrieval: completion.retrievalID.map { Retrieval(tier: .standard, id: $0) })
                return .restored
            case .restart(let ref):
                guard try await restart(job, ref) else { continue }
                return .retrievalRestarted
            case .copyBack(let ref, let retrieval):
                do {
                    try await cold.restore(ref, retrieval: retrieval, to: result)
                } catch ColdStoreError.retrievalGone {
                    guard try await restart(job, ref) else { continue }
                    return .retrievalRestarted
                }
                do {
                    try await jobs.commit(StorageTransition(jobID: jobID, from: job.storage, to: .restored(pendingDelete: ref)))
                } catch WorkflowError.conflict {
                    continue
                }
                try await retire(ref, jobID: jobID, result: result, retrieval: retrieval)
                logger.info("restored", metadata: ["job.id": "\(jobID)", "result": "\(result)"])
                return .restored
            }
        }
        logger.warning("restore gave up after repeated conflicts", metadata: ["job.id": "\(jobID)", "rounds": "\(Self.maxRounds)"])
        throw WorkflowError.conflict(jobID)
    }

    /// Drops the dead retrieval (back to a claim without one) and lets the thaw start a new one;
    /// false when the job changed since it was read (decide again).
    private func restart(_ job: Job, _ reference: ColdReference) async throws -> Bool {
        logger.warning("retrieval failed or expired; starting a new one", metadata: ["job.id": "\(job.id)"])
        if job.storage != .restoring(reference, nil) {
            do {
                try await jobs.commit(StorageTransition(jobID: job.id, from: job.storage, to: .restoring(reference, nil)))
            } catch WorkflowError.conflict {
                return false
            }
        }
        _ = try await ThawWorkflow(jobs: jobs, cold: cold, logger: logger).thaw(job.id)
        return true
    }

    /// Deletes the cold copy once the S3 copy is recorded and present, then records that.
    private func retire(_ reference: ColdReference, jobID: String, result: ObjectLocation, retrieval: Retrieval?) async throws {
        if try await objects.version(of: result) == nil {
            // Never delete the last copy: put it back first (the cold copy is still there).
            try await cold.restore(reference, retrieval: retrieval, to: result)
            guard try await objects.version(of: result) != nil else { throw WorkflowError.resultMissing(jobID, result) }
        }
        try await cold.discard(reference)
        do {
            try await jobs.commit(
                StorageTransition(jobID: jobID, from: .restored(pendingDelete: reference), to: .restored(pendingDelete: nil)))
        } catch WorkflowError.conflict {
            return  // a duplicate finished it
        }
    }
}

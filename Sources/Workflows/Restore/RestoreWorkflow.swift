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
        /// The retrieval failed; the job was put back to archived so a new thaw can start one.
        case retrievalFailed
    }

    /// What to do, from the state read.
    public enum Decision: Equatable, Sendable {
        case copyBack(ColdReference, Retrieval?)
        case deleteCold(ColdReference)
        case finish(Outcome)
    }

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

    /// The pure decision for a job in `storage` and a completion of `reference`.
    public static func decide(_ storage: ResultStorage, completed reference: ColdReference) -> Decision {
        switch storage {
        case .restoring(let ref, let retrieval) where ref == reference: .copyBack(ref, retrieval)
        // The thaw crashed before recording the retrieval, or the event overtook the record.
        case .archived(let ref, _) where ref == reference: .copyBack(ref, nil)
        case .restored(.some(let ref)): .deleteCold(ref)
        case .restored(nil), .s3, .archived, .restoring: .finish(.alreadyRestored)
        }
    }

    /// Handles one completion for `jobID`.
    public func run(jobID: String, completion: RetrievalCompletion) async throws -> Outcome {
        while true {
            guard let job = try await jobs.job(jobID) else { throw WorkflowError.jobNotFound(jobID) }
            guard let result = job.result else { throw WorkflowError.notCompleted(jobID, job.status) }
            switch Self.decide(job.storage, completed: completion.reference) {
            case .finish(let outcome):
                return outcome
            case .deleteCold(let ref):
                try await retire(ref, jobID: jobID, result: result, retrieval: completion.retrievalID.map { Retrieval(tier: .standard, id: $0) })
                return .restored
            case .copyBack(let ref, let retrieval):
                guard completion.succeeded else {
                    if case .restoring = job.storage {
                        // Back to archived so a new thaw can start a retrieval; the original is long gone.
                        do {
                            try await jobs.commit(StorageTransition(jobID: jobID, from: job.storage, to: .archived(ref, originalVersion: nil)))
                        } catch WorkflowError.conflict {
                            continue  // someone else moved it on: decide again
                        }
                    }
                    logger.error("retrieval failed", metadata: ["job.id": "\(jobID)"])
                    return .retrievalFailed
                }
                let used = retrieval ?? completion.retrievalID.map { Retrieval(tier: .standard, id: $0) }
                try await cold.restore(ref, retrieval: used, to: result)
                do {
                    try await jobs.commit(StorageTransition(jobID: jobID, from: job.storage, to: .restored(pendingDelete: ref)))
                } catch WorkflowError.conflict {
                    continue
                }
                try await retire(ref, jobID: jobID, result: result, retrieval: used)
                logger.info("restored", metadata: ["job.id": "\(jobID)", "result": "\(result)"])
                return .restored
            }
        }
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

import Workflows

/// The annotator's ports over the in-memory world, each call a step the scheduler interleaves.
extension InMemoryWorld: JobRunLedger, AnnotationRunner, EventPublisher, WorkflowStarter {
    func claimRun(jobID: String, now: Int, until: Int) async throws -> RunClaim? {
        try await step { state in
            guard let job = state.jobs[jobID] else { return nil }
            let held = state.runClaims[jobID].map { $0 >= now } ?? false
            guard job.status == .pending || (job.status == .running && !held) else { return nil }
            state.jobs[jobID]?.status = .running
            state.jobs[jobID]?.runClaimedAt = now
            state.runClaims[jobID] = until
            state.runAttempts[jobID, default: 0] += 1
            return RunClaim(attempt: state.runAttempts[jobID]!)
        }
    }

    func releaseRun(jobID: String, claimedAt: Int, reason: String) async throws {
        try await step { state in
            guard state.jobs[jobID]?.runClaimedAt == claimedAt else { return }
            state.runClaims[jobID] = nil
        }
    }

    func complete(jobID: String, result: ObjectLocation, log: ObjectLocation, completeTime: Int) async throws {
        try await step { state in
            guard state.jobs[jobID]?.status == .running else { throw WorkflowError.conflict(jobID) }
            state.jobs[jobID]?.status = .completed
            state.jobs[jobID]?.result = result
            state.jobs[jobID]?.log = log
            state.jobs[jobID]?.completeTime = completeTime
        }
    }

    func fail(jobID: String, reason: String, log: ObjectLocation?) async throws {
        try await step { state in
            guard state.jobs[jobID]?.status == .running else { throw WorkflowError.conflict(jobID) }
            state.jobs[jobID]?.status = .failed
            state.failureReasons[jobID] = reason
        }
    }

    /// Writes the result where the job's input names it (a redelivery writes a new version).
    func annotate(_ input: AnnotationInput) async throws -> AnnotationOutput {
        try await step { state in
            let result = ObjectLocation(bucket: "gas-results", key: "u1/\(input.jobID)~sample.annot.vcf")
            InMemoryWorld.put(state.annotationBytes, at: result, in: &state)
            return AnnotationOutput(result: result, log: ObjectLocation(bucket: "gas-results", key: "u1/\(input.jobID)~sample.vcf.count.log"))
        }
    }

    func jobCompleted(jobID: String, userID: String) async throws { try await step { _ in } }

    func startArchive(jobID: String, completeTime: Int) async throws { try await step { $0.archiveStarts[jobID, default: 0] += 1 } }
}

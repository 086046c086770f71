import Logging

/// Finds and repairs what at-least-once delivery and expiry can leave behind (ReconcileHandler,
/// on a schedule), using only the other workflows' conditional steps, so a repair racing a live
/// handler ends as if the handler had been delivered twice.
public struct ReconcileWorkflow: Workflow {
    /// One repair.
    public enum Repair: Equatable, Sendable {
        /// The job has no owner left (its request dead-lettered, or lost): FAILED with this reason.
        case abandon(String)
        /// A premium user's result is archived (a thaw missed it: index lag, a dead-lettered upgrade).
        case thaw
        /// A claim without a started retrieval (a thaw that crashed): start it.
        case startRetrieval
        /// Ask the cold store about the recorded retrieval (its completion may be lost or it may have failed).
        case probe(ColdReference, Retrieval)
        /// Back in S3 but the cold copy is still there (a restore that crashed before deleting it).
        case retireCold(ColdReference)
        /// A free user's result still in S3 long after its archive time (the archive execution failed or never started).
        case archive
    }

    /// What a run did, by repair kind (`abandon`, `thaw`, `startRetrieval`, `restore`, `restartRetrieval`, `retireCold`,
    /// `discardOrphan`, `redrive`, `archive`), `deadLetterKept` for dead letters left for an operator, and
    /// `stuckRunning` for the jobs RUNNING longer than `Limits.runningTooLongSeconds` (a count, not a repair).
    public typealias Report = [String: Int]

    /// Limits the rules apply.
    public struct Limits: Sendable, Equatable {
        /// A RUNNING claim or a PENDING submission older than this has no owner left.
        public var runDeadlineSeconds: Int
        /// A cold copy no job names is removed once older than this (an archive run may still be committing it).
        public var orphanGraceSeconds: Int
        /// A dead letter is sent back to its queue at most this often; then it waits for an operator.
        public var maxRedrives: Int
        /// The retention: a free user's result is archived this long after completion. Nil: the
        /// reconciler does not archive (it does not know when results are due).
        public var retentionSeconds: Int?
        /// How long past its archive time a result may still be in S3 before the reconciler archives
        /// it itself (longer than the archive execution's retries, so it rarely races one; a race is harmless).
        public var archiveGraceSeconds: Int
        /// A job RUNNING longer than this is counted as `stuckRunning` (an operator's alarm); nil: not counted.
        public var runningTooLongSeconds: Int?

        /// Creates limits.
        public init(
            runDeadlineSeconds: Int = 7200, orphanGraceSeconds: Int = 86_400, maxRedrives: Int = 3, retentionSeconds: Int? = nil,
            archiveGraceSeconds: Int = 3600, runningTooLongSeconds: Int? = nil
        ) {
            self.runningTooLongSeconds = runningTooLongSeconds
            self.runDeadlineSeconds = runDeadlineSeconds
            self.orphanGraceSeconds = orphanGraceSeconds
            self.maxRedrives = maxRedrives
            self.retentionSeconds = retentionSeconds
            self.archiveGraceSeconds = archiveGraceSeconds
        }

        /// Results completed before this (epoch seconds) are overdue for archiving; nil when the rule is off.
        func archiveCutoff(now: Int) -> Int? { retentionSeconds.map { now - $0 - archiveGraceSeconds } }
    }

    let source: any ReconcileSource
    let jobs: any JobTable
    let users: any UserDirectory
    let objects: any ObjectStore
    let cold: any ColdStore
    let probe: any RetrievalProbe
    let deadLetters: (any DeadLetterQueues)?
    let limits: Limits
    /// Where the workflow logs: one line per repair.
    public var logger: Logger

    /// Wires the workflow.
    public init(
        source: any ReconcileSource, jobs: any JobTable, users: any UserDirectory, objects: any ObjectStore, cold: any ColdStore,
        probe: any RetrievalProbe, deadLetters: (any DeadLetterQueues)? = nil, limits: Limits = Limits(), logger: Logger
    ) {
        self.deadLetters = deadLetters
        self.source = source
        self.jobs = jobs
        self.users = users
        self.objects = objects
        self.cold = cold
        self.probe = probe
        self.limits = limits
        self.logger = logger
    }

    /// The pure rule for one job read at `now`, whose owner has `role` (nil: no such user).
    public static func decide(_ job: Job, role: UserRole?, now: Int, limits: Limits) -> Repair? {
        switch job.status {
        case .running:
            let since = job.runClaimedAt ?? job.submitTime ?? 0
            guard now - since > limits.runDeadlineSeconds else { return nil }
            return .abandon("the annotation stopped and was not retried (no progress for \(now - since) s); submit the file again")
        case .pending:
            guard let submitted = job.submitTime, now - submitted > limits.runDeadlineSeconds else { return nil }
            return .abandon("the annotation request was never picked up (waited \(now - submitted) s); submit the file again")
        case .failed: return nil
        case .completed: break
        }
        switch job.storage {
        case .s3:
            guard role == .free, let cutoff = limits.archiveCutoff(now: now), let completed = job.completeTime, completed < cutoff else { return nil }
            return .archive
        case .restored(pendingDelete: nil): return nil
        case .archived: return role == .premium ? .thaw : nil
        case .restoring(_, nil): return .startRetrieval
        case .restoring(let ref, let retrieval?): return .probe(ref, retrieval)
        case .restored(pendingDelete: let ref?): return .retireCold(ref)
        }
    }

    /// Whether `letter` goes back to its queue: a message that may still be handled (its request
    /// hit a failure that has passed, or its job is now in a state the handler finishes) is
    /// redriven a bounded number of times; one no consumer can read stays for an operator.
    public static func shouldRedrive(_ letter: DeadLetter, limits: Limits) -> Bool {
        letter.readable && letter.redrives < limits.maxRedrives
    }

    /// One pass over the unsettled jobs, the cold copies and the dead letters; every repair is logged; a failed
    /// repair is logged and the pass goes on (the next pass tries again).
    public func run(now: Int) async throws -> Report {
        var report: Report = [:]
        var roles: [String: UserRole?] = [:]
        let thaw = ThawWorkflow(jobs: jobs, cold: cold, logger: logger)
        let restore = RestoreWorkflow(jobs: jobs, objects: objects, cold: cold, logger: logger)
        var named: [String: ColdReference] = [:]
        for job in try await source.unsettledJobs(completedBefore: limits.archiveCutoff(now: now)) {
            if let ref = job.storage.coldReference { named[job.id] = ref }
            let role: UserRole?
            if let cached = roles[job.userID] {
                role = cached
            } else {
                role = try await users.user(job.userID)?.role
                roles[job.userID] = role
            }
            if job.status == .running, let limit = limits.runningTooLongSeconds, now - (job.runClaimedAt ?? job.submitTime ?? now) > limit {
                report["stuckRunning", default: 0] += 1
            }
            guard let repair = Self.decide(job, role: role, now: now, limits: limits) else { continue }
            do {
                if let kind = try await perform(repair, on: job, thaw: thaw, restore: restore) {
                    report[kind, default: 0] += 1
                    logger.notice("repair", metadata: ["repair": "\(kind)", "job.id": "\(job.id)", "user.id": "\(job.userID)"])
                }
            } catch {
                logger.error("repair failed", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
                report["failed", default: 0] += 1
            }
        }
        for copy in try await source.coldCopies(before: now - limits.orphanGraceSeconds) where named[copy.jobID] != copy.reference {
            do {
                // Read again: the list of unsettled jobs is older than this copy's check.
                let current = try await jobs.job(copy.jobID)
                guard current?.storage.coldReference != copy.reference else { continue }
                try await cold.discard(copy.reference)
                report["discardOrphan", default: 0] += 1
                logger.notice("repair", metadata: ["repair": "discardOrphan", "job.id": "\(copy.jobID)", "cold.ref": "\(copy.reference)"])
            } catch {
                logger.error("repair failed", metadata: ["cold.ref": "\(copy.reference)", "error": "\(error)"])
                report["failed", default: 0] += 1
            }
        }
        if let deadLetters { try await redrive(deadLetters, into: &report) }
        return report
    }

    private func redrive(_ queues: any DeadLetterQueues, into report: inout Report) async throws {
        for letter in try await queues.deadLetters() {
            guard Self.shouldRedrive(letter, limits: limits) else {
                report["deadLetterKept", default: 0] += 1
                logger.warning(
                    "dead letter kept for an operator",
                    metadata: ["queue": "\(letter.queue)", "message.id": "\(letter.id)", "redrives": "\(letter.redrives)", "readable": "\(letter.readable)"])
                continue
            }
            do {
                try await queues.redrive(letter)
                report["redrive", default: 0] += 1
                logger.notice("repair", metadata: ["repair": "redrive", "queue": "\(letter.queue)", "message.id": "\(letter.id)", "redrives": "\(letter.redrives + 1)"])
            } catch {
                logger.error("repair failed", metadata: ["queue": "\(letter.queue)", "message.id": "\(letter.id)", "error": "\(error)"])
                report["failed", default: 0] += 1
            }
        }
    }

    /// Performs `repair`; answers the kind to count, nil when nothing needed doing after all.
    private func perform(_ repair: Repair, on job: Job, thaw: ThawWorkflow, restore: RestoreWorkflow) async throws -> String? {
        switch repair {
        case .abandon(let reason):
            return try await source.abandon(job, reason: reason) ? "abandon" : nil
        case .thaw, .startRetrieval:
            guard case .started = try await thaw.thaw(job.id) else { return nil }
            return repair == .thaw ? "thaw" : "startRetrieval"
        case .probe(let ref, let retrieval):
            switch try await probe.status(of: retrieval, for: ref) {
            case .inProgress: return nil
            case .ready:
                let outcome = try await restore.run(jobID: job.id, completion: RetrievalCompletion(jobID: job.id, reference: ref, retrievalID: retrieval.id))
                return outcome == .restored ? "restore" : nil
            case .gone:
                let failed = RetrievalCompletion(jobID: job.id, reference: ref, retrievalID: retrieval.id, succeeded: false)
                return try await restore.run(jobID: job.id, completion: failed) == .retrievalRestarted ? "restartRetrieval" : nil
            }
        case .retireCold(let ref):
            let outcome = try await restore.run(jobID: job.id, completion: RetrievalCompletion(jobID: job.id, reference: ref, retrievalID: nil))
            return outcome == .restored ? "retireCold" : nil
        case .archive:
            let archive = ArchiveWorkflow(jobs: jobs, users: users, objects: objects, cold: cold, logger: logger)
            return try await archive.run(jobID: job.id) == .archived ? "archive" : nil
        }
    }
}

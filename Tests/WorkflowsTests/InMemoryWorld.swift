import Synchronization
import Workflows

/// Thrown by the fakes to simulate a handler dying right after a step took effect.
struct Crash: Error {}

/// Every port of the workflows over one in-memory world, with each call a step that a
/// `StepScheduler` can interleave and a crash can follow.
final class InMemoryWorld: JobTable, NotificationLedger, UserDirectory, ObjectStore, ColdStore, Mailer, ReconcileSource, RetrievalProbe,
    @unchecked Sendable
{
    struct State {
        var jobs: [String: Job] = [:]
        var users: [String: User] = [:]
        /// Current version of each object: (version id, bytes).
        var objects: [ObjectLocation: (version: String, bytes: [UInt8])] = [:]
        var cold: [ColdReference: [UInt8]] = [:]
        /// The job each cold copy was made for, and when (`clock` at the time; 0 when set by hand).
        var coldOwners: [ColdReference: String] = [:]
        var coldCreated: [ColdReference: Int] = [:]
        /// Epoch seconds, as far as the fakes tell time.
        var clock = 0
        var retrievals: [ColdReference: Retrieval] = [:]
        /// When each notification claim expires.
        var notificationClaims: [String: Int] = [:]
        var mails: [(to: String, subject: String, body: String)] = []
        var nextID = 0
        var steps = 0
        var expeditedAvailable = true
        var retrievalsReady = true
        /// The started retrievals failed or expired: reading one answers `retrievalGone`.
        var retrievalsGone = false
        var failureReasons: [String: String] = [:]
        /// The user index lags: `archivedJobs` sees none of the jobs yet.
        var indexLag = false
        /// Annotation claims (`claimRun`): when each expires.
        var runClaims: [String: Int] = [:]
        var runAttempts: [String: Int] = [:]
        /// Archive executions started (`startArchive`), by job.
        var archiveStarts: [String: Int] = [:]
        /// The bytes an annotation writes as its result.
        var annotationBytes: [UInt8] = []
    }

    let state = Mutex(State())
    let scheduler: StepScheduler?
    /// Crash the process `process` right after its `step`-th call (1-based).
    let crash: (process: Int, step: Int)?
    /// Crash the same process again right after this call (1-based) of its redelivery.
    let crashAgain: Int?
    private let counts = Mutex<[Int: Int]>([:])
    /// Called after every step with the state, to check invariants.
    let observe: @Sendable (State) -> Void

    init(
        scheduler: StepScheduler? = nil, crash: (process: Int, step: Int)? = nil, crashAgain: Int? = nil,
        observe: @escaping @Sendable (State) -> Void = { _ in }
    ) {
        self.scheduler = scheduler
        self.crash = crash
        self.crashAgain = crashAgain
        self.observe = observe
    }

    /// One step: wait for the scheduler, apply `body` atomically, check invariants, maybe crash.
    func step<T>(_ body: (inout State) throws -> T) async throws -> T {
        let process = StepScheduler.process
        if let scheduler { await scheduler.gate(process) }
        let result = try state.withLock { state -> T in
            state.steps += 1
            return try body(&state)
        }
        observe(state.withLock { $0 })
        let delivery = StepScheduler.delivery
        let count = counts.withLock { counts -> Int in
            counts[process * 10 + delivery, default: 0] += 1
            return counts[process * 10 + delivery]!
        }
        if let crash, StepScheduler.crashable, crash.process == process, (delivery == 0 && crash.step == count) || (delivery == 1 && crashAgain == count) { throw Crash() }
        return result
    }

    // MARK: JobTable

    func job(_ id: String) async throws -> Job? { try await step { $0.jobs[id] } }

    func archivedJobs(of userID: String) async throws -> [Job] {
        try await step { state in
            if state.indexLag { return [] }
            return state.jobs.values.filter { $0.userID == userID && $0.storage.coldReference != nil }.sorted { $0.id < $1.id }
        }
    }

    func commit(_ transition: StorageTransition) async throws {
        try await step { state in
            guard let job = state.jobs[transition.jobID], job.storage == transition.from else {
                throw WorkflowError.conflict(transition.jobID)
            }
            if let user = transition.requireFreeUser, state.users[user]?.role != .free { throw WorkflowError.conflict(transition.jobID) }
            state.jobs[transition.jobID]?.storage = transition.to
        }
    }

    // MARK: NotificationLedger

    func claimNotification(jobID: String, now: Int, until: Int) async throws -> Bool {
        try await step { state in
            if state.jobs[jobID]?.notified == true { return false }
            if let expiry = state.notificationClaims[jobID], expiry >= now { return false }
            state.notificationClaims[jobID] = until
            return true
        }
    }

    func markNotified(jobID: String) async throws { try await step { $0.jobs[jobID]?.notified = true } }

    // MARK: UserDirectory

    func user(_ id: String) async throws -> User? { try await step { $0.users[id] } }

    /// The web front's upgrade: the role changes first, the thaw event follows.
    func upgrade(_ id: String) async throws { try await step { $0.users[id]?.role = .premium } }

    /// The web front's downgrade: the role is free again (restored results stay in S3).
    func downgrade(_ id: String) async throws { try await step { $0.users[id]?.role = .free } }

    /// The user's account is deleted (their jobs stay).
    func deleteUser(_ id: String) async throws { try await step { $0.users[id] = nil } }

    // MARK: ObjectStore

    func version(of location: ObjectLocation) async throws -> String? { try await step { $0.objects[location]?.version } }

    func delete(_ location: ObjectLocation, version: String) async throws {
        try await step { state in
            if state.objects[location]?.version == version { state.objects[location] = nil }
        }
    }

    /// Writes a new version.
    static func put(_ bytes: [UInt8], at location: ObjectLocation, in state: inout State) {
        state.nextID += 1
        state.objects[location] = ("v\(state.nextID)", bytes)
    }

    // MARK: ColdStore

    func archive(_ location: ObjectLocation, version: String, jobID: String) async throws -> ColdReference {
        try await step { state in
            guard let object = state.objects[location], object.version == version else { throw WorkflowError.resultMissing(jobID, location) }
            let bytes = object.bytes
            state.nextID += 1
            let reference = ColdReference("cold-\(jobID)-\(state.nextID)")
            state.cold[reference] = bytes
            state.coldOwners[reference] = jobID
            state.coldCreated[reference] = state.clock
            return reference
        }
    }

    func discard(_ reference: ColdReference) async throws {
        try await step { state in
            state.cold[reference] = nil
            state.retrievals[reference] = nil
        }
    }

    func startRetrieval(_ reference: ColdReference, tier: RetrievalTier, jobID: String) async throws -> Retrieval {
        try await step { state in
            if tier == .expedited && !state.expeditedAvailable { throw ColdStoreError.tierUnavailable(.expedited) }
            guard state.cold[reference] != nil else { throw WorkflowError.unknownRetrieval(reference.value) }
            state.nextID += 1
            let retrieval = Retrieval(tier: tier, id: "retrieval-\(state.nextID)")
            state.retrievals[reference] = retrieval
            return retrieval
        }
    }

    func restore(_ reference: ColdReference, retrieval: Retrieval?, to location: ObjectLocation) async throws {
        try await step { state in
            guard state.retrievalsReady else { throw ColdStoreError.notReady }
            guard !state.retrievalsGone else { throw ColdStoreError.retrievalGone }
            guard let bytes = state.cold[reference] else { throw WorkflowError.unknownRetrieval(reference.value) }
            InMemoryWorld.put(bytes, at: location, in: &state)
        }
    }

    // MARK: ReconcileSource, RetrievalProbe

    func unsettledJobs(completedBefore cutoff: Int?) async throws -> [Job] {
        try await step { state in
            state.jobs.values.filter { job in
                if let cutoff, job.status == .completed, job.storage == .s3, let completed = job.completeTime, completed < cutoff { return true }
                return job.status == .pending || job.status == .running || job.storage.coldReference != nil
            }.sorted { $0.id < $1.id }
        }
    }

    func coldCopies(before cutoff: Int) async throws -> [ColdCopy] {
        try await step { state in
            state.cold.keys.compactMap { ref in
                state.coldOwners[ref].map { ColdCopy(reference: ref, jobID: $0, createdAt: state.coldCreated[ref] ?? 0) }
            }.filter { $0.createdAt < cutoff }.sorted { $0.reference.value < $1.reference.value }
        }
    }

    func abandon(_ job: Job, reason: String) async throws -> Bool {
        try await step { state in
            guard let current = state.jobs[job.id], current.status == job.status, current.runClaimedAt == job.runClaimedAt,
                current.status == .pending || current.status == .running
            else { return false }
            state.jobs[job.id]?.status = .failed
            state.failureReasons[job.id] = reason
            return true
        }
    }

    func status(of retrieval: Retrieval, for reference: ColdReference) async throws -> RetrievalStatus {
        try await step { state in
            if state.retrievalsGone || state.cold[reference] == nil { return .gone }
            return state.retrievalsReady ? .ready : .inProgress
        }
    }

    // MARK: Mailer

    func send(to address: String, subject: String, body: String, within: Double) async throws {
        try await step { $0.mails.append((address, subject, body)) }
    }
}

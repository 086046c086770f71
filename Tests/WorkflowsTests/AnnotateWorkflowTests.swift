import Logging
import Synchronization
import Testing
import Workflows

/// The annotator's ports over plain dictionaries.
final class AnnotatorWorld: JobRunLedger, AnnotationRunner, EventPublisher, WorkflowStarter, @unchecked Sendable {
    struct State {
        var claims: [String: Int] = [:]
        /// When each claim expires (the claiming invocation's deadline).
        var expiries: [String: Int] = [:]
        var annotations = 0
        var published: [String] = []
        var executions: Set<String> = []
        var startAttempts = 0
        var rejectWith: String?
        /// Thrown by `annotate` instead of annotating.
        var throwing: (any Error)?
        var attempts: [String: Int] = [:]
        var lastErrors: [String: String] = [:]
        var failures: [String: String] = [:]
    }

    let world: InMemoryWorld
    let state = Mutex(State())

    init(world: InMemoryWorld) { self.world = world }

    func claimRun(jobID: String, now: Int, until: Int) async throws -> RunClaim? {
        world.state.withLock { world in
            state.withLock { state in
                guard let job = world.jobs[jobID] else { return nil }
                let fresh = state.claims[jobID] != nil && (state.expiries[jobID] ?? state.claims[jobID]! + AnnotateWorkflow.staleRunSeconds) >= now
                guard job.status == .pending || (job.status == .running && !fresh) else { return nil }
                world.jobs[jobID]?.status = .running
                state.claims[jobID] = now
                state.expiries[jobID] = until
                state.attempts[jobID, default: 0] += 1
                return RunClaim(attempt: state.attempts[jobID]!, lastError: state.lastErrors[jobID])
            }
        }
    }

    func releaseRun(jobID: String, claimedAt: Int, reason: String) async throws {
        state.withLock { state in
            guard state.claims[jobID] == claimedAt else { return }
            state.claims[jobID] = nil
            state.expiries[jobID] = nil
            state.lastErrors[jobID] = reason
        }
    }

    func complete(jobID: String, result: ObjectLocation, log: ObjectLocation, completeTime: Int) async throws {
        try world.state.withLock { world in
            guard world.jobs[jobID]?.status == .running else { throw WorkflowError.conflict(jobID) }
            world.jobs[jobID]?.status = .completed
            world.jobs[jobID]?.result = result
            world.jobs[jobID]?.log = log
            world.jobs[jobID]?.completeTime = completeTime
        }
    }

    func fail(jobID: String, reason: String, log: ObjectLocation?) async throws {
        try world.state.withLock { world in
            guard world.jobs[jobID]?.status == .running else { throw WorkflowError.conflict(jobID) }
            world.jobs[jobID]?.status = .failed
            world.jobs[jobID]?.log = log
            state.withLock { $0.failures[jobID] = reason }
        }
    }

    func annotate(_ input: AnnotationInput) async throws -> AnnotationOutput {
        let (reject, throwing) = state.withLock { state -> (String?, (any Error)?) in
            state.annotations += 1
            return (state.rejectWith, state.throwing)
        }
        if let throwing { throw throwing }
        let log = ObjectLocation(bucket: "results", key: input.input.key + ".count.log")
        if let reject { throw AnnotationRejected(reason: reject, log: log) }
        return AnnotationOutput(result: ObjectLocation(bucket: "results", key: "job~x.annot.vcf"), log: log)
    }

    func jobCompleted(jobID: String, userID: String) async throws { state.withLock { $0.published.append(jobID) } }

    func startArchive(jobID: String, completeTime: Int) async throws {
        state.withLock { state in
            state.startAttempts += 1
            state.executions.insert("archive-\(jobID)")  // named executions: a repeat is the same one
        }
    }
}

@Suite struct AnnotateWorkflowTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let input = AnnotationInput(jobID: "job-1", userID: "u1", input: ObjectLocation(bucket: "inputs", key: "u1/job-1~x.vcf"), inputFileName: "x.vcf")

    private func setUp(role: UserRole = .free) -> (InMemoryWorld, AnnotatorWorld, AnnotateWorkflow) {
        let world = InMemoryWorld()
        world.state.withLock { state in
            state.users["u1"] = User(id: "u1", name: "Ada", email: "ada@example.org", role: role)
            state.jobs["job-1"] = Job(id: "job-1", userID: "u1", status: .pending)
        }
        let annotator = AnnotatorWorld(world: world)
        let workflow = AnnotateWorkflow(jobs: world, ledger: annotator, users: world, runner: annotator, events: annotator, archives: annotator, logger: logger)
        return (world, annotator, workflow)
    }

    @Test func annotatesOnceAndSchedulesTheArchiveOfAFreeUsersResult() async throws {
        let (world, annotator, workflow) = setUp()
        #expect(try await workflow.run(input, now: 1000) == .completed)
        #expect(try await workflow.run(input, now: 1001) == .alreadyCompleted)
        let job = world.state.withLock { $0.jobs["job-1"]! }
        #expect(job.status == .completed)
        #expect(job.completeTime == 1000)
        #expect(job.result?.key == "job~x.annot.vcf")
        let state = annotator.state.withLock { $0 }
        #expect(state.annotations == 1)
        #expect(state.executions == ["archive-job-1"])
        // The redelivery repeats the announcement; NotifyWorkflow's ledger keeps it to one email.
        #expect(state.published == ["job-1", "job-1"])
    }

    @Test func theCompletionTimeIsTakenWhenTheAnnotationEndsNotWhenItStarts() async throws {
        // A 40 s annotation: the retention (and the email's time) must count from its end (issue 10, item 8).
        let (world, _, workflow) = setUp()
        let reads = Mutex(0)
        let outcome = try await workflow.run(input, deadline: 1900, clock: { reads.withLock { $0 += 1; return $0 == 1 ? 1000 : 1040 } })
        #expect(outcome == .completed)
        #expect(world.state.withLock { $0.jobs["job-1"]!.completeTime } == 1040)
    }

    @Test func premiumResultsAreNeverScheduledForArchive() async throws {
        let (_, annotator, workflow) = setUp(role: .premium)
        #expect(try await workflow.run(input, now: 1000) == .completed)
        #expect(annotator.state.withLock { $0.executions.isEmpty })
    }

    @Test func aBadVCFEndsFailedWithItsLog() async throws {
        let (world, annotator, workflow) = setUp()
        annotator.state.withLock { $0.rejectWith = "invalid VCF at line 3: POS is not a non-negative integer" }
        #expect(try await workflow.run(input, now: 1000) == .failed)
        let job = world.state.withLock { $0.jobs["job-1"]! }
        #expect(job.status == .failed)
        #expect(job.log?.key == "u1/job-1~x.vcf.count.log")
        #expect(try await workflow.run(input, now: 1001) == .alreadyFailed)
        #expect(annotator.state.withLock { $0.published.isEmpty })
    }

    @Test func aFreshClaimIsLeftAloneAndAStaleOneTakenOver() async throws {
        let (world, annotator, workflow) = setUp()
        world.state.withLock { $0.jobs["job-1"]?.status = .running }
        annotator.state.withLock { $0.claims["job-1"] = 1000 }
        #expect(try await workflow.run(input, now: 1100) == .inProgress)
        #expect(try await workflow.run(input, now: 1000 + AnnotateWorkflow.staleRunSeconds + 1) == .completed)
        #expect(annotator.state.withLock { $0.annotations } == 1)
    }

    @Test func aClaimHoldsUntilTheClaimingInvocationsDeadlineAndNoLonger() async throws {
        // Issue 10, item 15: a fixed 900 s claim outlived a shorter function timeout, so the redelivery
        // found it held and the record dead-lettered with the job RUNNING.
        let (world, annotator, workflow) = setUp()
        annotator.state.withLock { $0.throwing = CancellationError() }
        await #expect(throws: CancellationError.self) { try await workflow.run(input, deadline: 1060, clock: { 1000 }) }
        // The crash left the claim (a kill releases nothing); the same claim expires with its invocation.
        annotator.state.withLock {
            $0.throwing = nil
            $0.claims["job-1"] = 1000
            $0.expiries["job-1"] = 1060
        }
        #expect(world.state.withLock { $0.jobs["job-1"]!.status } == .running)
        #expect(try await workflow.run(input, deadline: 1119, clock: { 1059 }) == .inProgress)
        #expect(try await workflow.run(input, deadline: 1121, clock: { 1061 }) == .completed)
        #expect(annotator.state.withLock { $0.expiries["job-1"] } == 1121)
    }

    @Test func anErrorThatMayPassIsRetriedThenTheJobFailsWithItsReason() async throws {
        // Only a rejected VCF used to end FAILED; every other lasting failure left the job RUNNING (issue 10, item 2).
        let (world, annotator, workflow) = setUp()
        annotator.state.withLock { $0.throwing = WorkflowError.dependency("s3 InternalError (HTTP 500): We encountered an internal error", retryable: true) }
        for attempt in 1..<AnnotateWorkflow.maxAttempts {
            await #expect(throws: WorkflowError.self) { try await workflow.run(input, now: 1000 + attempt) }
            #expect(world.state.withLock { $0.jobs["job-1"]!.status } == .running, "released for the redelivery, attempt \(attempt)")
        }
        #expect(try await workflow.run(input, now: 1010) == .failed)
        #expect(world.state.withLock { $0.jobs["job-1"]!.status } == .failed)
        #expect(annotator.state.withLock { $0.failures["job-1"] } == "annotation failed (attempt 3): s3 InternalError (HTTP 500): We encountered an internal error")
        #expect(annotator.state.withLock { $0.annotations } == AnnotateWorkflow.maxAttempts)
    }

    @Test func anErrorThatCannotPassFailsTheJobAtOnce() async throws {
        let (world, annotator, workflow) = setUp()
        annotator.state.withLock { $0.throwing = WorkflowError.dependency("scratch file: No space left on device", retryable: false) }
        #expect(try await workflow.run(input, now: 1000) == .failed)
        #expect(world.state.withLock { $0.jobs["job-1"]!.status } == .failed)
        #expect(annotator.state.withLock { $0.failures["job-1"] } == "annotation failed: scratch file: No space left on device")
    }

    @Test func aJobWhoseAnnotatorDiesOnEveryDeliveryEndsFailed() async throws {
        // A timeout or an out-of-memory kill releases nothing: each delivery takes the stale claim over.
        let (world, annotator, workflow) = setUp()
        world.state.withLock { $0.jobs["job-1"]?.status = .running }
        annotator.state.withLock {
            $0.claims["job-1"] = 1000
            $0.attempts["job-1"] = AnnotateWorkflow.maxAttempts
        }
        #expect(try await workflow.run(input, now: 1000 + AnnotateWorkflow.staleRunSeconds + 1) == .failed)
        #expect(annotator.state.withLock { $0.annotations } == 0)
        #expect(annotator.state.withLock { $0.failures["job-1"] }?.hasPrefix("annotation did not finish in 3 attempts") == true)
    }
}

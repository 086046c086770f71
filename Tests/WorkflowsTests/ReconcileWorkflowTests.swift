import Logging
import Synchronization
import Testing
import Workflows

/// The reconciler's repairs, one per thing at-least-once delivery and expiry can leave behind.
@Suite struct ReconcileWorkflowTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let now = 1_700_100_000
    static let limits = ReconcileWorkflow.Limits(runDeadlineSeconds: 3600, orphanGraceSeconds: 60)

    private func location(_ job: String) -> ObjectLocation { ObjectLocation(bucket: "gas-results", key: "u1/\(job)~a.annot.vcf") }

    /// One premium and one free user; `jobs` as given, each completed job's result in S3.
    private func world(_ jobs: [Job], premium: Bool = true) -> InMemoryWorld {
        let world = InMemoryWorld()
        world.state.withLock { state in
            state.users["u1"] = User(id: "u1", name: "Ada", email: "ada@example.org", role: premium ? .premium : .free)
            for job in jobs {
                state.jobs[job.id] = job
                if job.status == .completed { InMemoryWorld.put([7], at: location(job.id), in: &state) }
            }
        }
        return world
    }

    private func reconciler(_ world: InMemoryWorld) -> ReconcileWorkflow {
        ReconcileWorkflow(source: world, jobs: world, users: world, objects: world, cold: world, probe: world, limits: Self.limits, logger: logger)
    }

    private func archived(_ world: InMemoryWorld, _ jobID: String) async throws {
        world.state.withLock { $0.users["u1"]?.role = .free }
        _ = try await ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger).run(jobID: jobID)
        world.state.withLock { $0.users["u1"]?.role = .premium }
    }

    @Test func jobsWithoutAnOwnerEndFailedWithAReasonAndLiveOnesAreLeftAlone() async throws {
        let world = world([
            Job(id: "stuck", userID: "u1", status: .running, submitTime: now - 9000, runClaimedAt: now - 5000),
            Job(id: "live", userID: "u1", status: .running, submitTime: now - 9000, runClaimedAt: now - 100),
            Job(id: "lost", userID: "u1", status: .pending, submitTime: now - 4000),
            Job(id: "new", userID: "u1", status: .pending, submitTime: now - 10),
        ])
        #expect(try await reconciler(world).run(now: now) == ["abandon": 2])
        let state = world.state.withLock { $0 }
        #expect(state.jobs["stuck"]?.status == .failed && state.jobs["lost"]?.status == .failed)
        #expect(state.jobs["live"]?.status == .running && state.jobs["new"]?.status == .pending)
        #expect(state.failureReasons["stuck"]?.hasPrefix("the annotation stopped") == true)
        #expect(try await reconciler(world).run(now: now).isEmpty, "idempotent")
    }

    @Test func jobsRunningTooLongAreCountedForTheOperatorsAlarm() async throws {
        let world = world([
            Job(id: "slow", userID: "u1", status: .running, submitTime: now - 2000, runClaimedAt: now - 1900),
            Job(id: "stuck", userID: "u1", status: .running, submitTime: now - 9000, runClaimedAt: now - 5000),
            Job(id: "live", userID: "u1", status: .running, submitTime: now - 9000, runClaimedAt: now - 100),
        ])
        var limits = Self.limits
        limits.runningTooLongSeconds = 1800
        let reconciler = ReconcileWorkflow(source: world, jobs: world, users: world, objects: world, cold: world, probe: world, limits: limits, logger: logger)
        // "stuck" is past the run deadline too, so it is also abandoned; "slow" is only counted.
        #expect(try await reconciler.run(now: now) == ["stuckRunning": 2, "abandon": 1])
        #expect(world.state.withLock { $0.jobs["slow"]?.status } == .running)
        #expect(try await reconciler.run(now: now) == ["stuckRunning": 1])
    }

    @Test func aPremiumUsersArchivedResultIsThawedAndBroughtBack() async throws {
        // A thaw that missed the job (index lag on user_id_index, a dead-lettered upgrade) leaves it archived (issue 10, item 5).
        let world = world([Job(id: "job-1", userID: "u1", status: .completed, result: location("job-1"), completeTime: now - 1000)])
        try await archived(world, "job-1")
        #expect(try await reconciler(world).run(now: now) == ["thaw": 1])
        guard case .restoring(_, .some) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else {
            Issue.record("not thawed")
            return
        }
        // The completion was lost: the next pass asks the cold store and restores.
        #expect(try await reconciler(world).run(now: now) == ["restore": 1])
        #expect(world.state.withLock { $0.jobs["job-1"]!.storage } == .restored(pendingDelete: nil))
        #expect(world.state.withLock { $0.objects[location("job-1")]?.bytes } == [7])
        #expect(try await reconciler(world).run(now: now).isEmpty)
    }

    @Test func aFreeUsersArchivedResultStaysArchived() async throws {
        let world = world([Job(id: "job-1", userID: "u1", status: .completed, result: location("job-1"))], premium: false)
        _ = try await ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger).run(jobID: "job-1")
        #expect(try await reconciler(world).run(now: now).isEmpty)
        guard case .archived = world.state.withLock({ $0.jobs["job-1"]!.storage }) else {
            Issue.record("moved")
            return
        }
    }

    @Test func aFailedOrExpiredRetrievalIsStartedAgainAndAClaimWithoutOneIsStarted() async throws {
        let world = world([Job(id: "job-1", userID: "u1", status: .completed, result: location("job-1"))])
        try await archived(world, "job-1")
        guard case .archived(let ref, _) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else { return }
        world.state.withLock { $0.jobs["job-1"]?.storage = .restoring(ref, nil) }  // a thaw crashed after its claim
        #expect(try await reconciler(world).run(now: now) == ["startRetrieval": 1])
        let first = world.state.withLock { $0.jobs["job-1"]!.storage }
        world.state.withLock { $0.retrievalsGone = true }
        #expect(try await reconciler(world).run(now: now) == ["restartRetrieval": 1])
        #expect(world.state.withLock { $0.jobs["job-1"]!.storage } != first)
        world.state.withLock {
            $0.retrievalsGone = false
            $0.retrievalsReady = false
        }
        #expect(try await reconciler(world).run(now: now).isEmpty, "a retrieval in progress is left to complete")
    }

    @Test func aColdCopyLeftBehindIsRetiredAndAnOrphanDiscarded() async throws {
        let world = world([Job(id: "job-1", userID: "u1", status: .completed, result: location("job-1"))])
        try await archived(world, "job-1")
        guard case .archived(let ref, _) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else { return }
        world.state.withLock { state in
            // A restore that crashed after its commit, and a copy an archive made but never recorded.
            InMemoryWorld.put([7], at: location("job-1"), in: &state)
            state.jobs["job-1"]?.storage = .restored(pendingDelete: ref)
            state.cold[ColdReference("cold-job-1-orphan")] = [7]
            state.coldOwners[ColdReference("cold-job-1-orphan")] = "job-1"
        }
        #expect(try await reconciler(world).run(now: now) == ["retireCold": 1, "discardOrphan": 1])
        let state = world.state.withLock { $0 }
        #expect(state.jobs["job-1"]!.storage == .restored(pendingDelete: nil))
        #expect(state.cold.isEmpty)
        #expect(state.objects[location("job-1")]?.bytes == [7])
    }

    @Test func anArchivedJobsColdCopyIsNeverAnOrphan() async throws {
        let world = world([Job(id: "job-1", userID: "u1", status: .completed, result: location("job-1"))], premium: false)
        _ = try await ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger).run(jobID: "job-1")
        #expect(try await reconciler(world).run(now: now).isEmpty)
        #expect(world.state.withLock { $0.cold.count } == 1)
    }

    @Test func aFreeUsersResultLongPastItsArchiveTimeIsArchivedByTheReconciler() async throws {
        // An archive execution that failed for good (or never started) left a free user's result in S3
        // for ever: nothing looked at COMPLETED jobs again (issue 10, liveness).
        let limits = ReconcileWorkflow.Limits(runDeadlineSeconds: 3600, orphanGraceSeconds: 60, retentionSeconds: 300, archiveGraceSeconds: 600)
        let world = world(
            [
                Job(id: "overdue", userID: "u1", status: .completed, result: location("overdue"), completeTime: now - 901),
                Job(id: "due-soon", userID: "u1", status: .completed, result: location("due-soon"), completeTime: now - 899),
            ], premium: false)
        let reconciler = ReconcileWorkflow(source: world, jobs: world, users: world, objects: world, cold: world, probe: world, limits: limits, logger: logger)
        #expect(try await reconciler.run(now: now) == ["archive": 1])
        let jobs = world.state.withLock { $0.jobs }
        guard case .archived = jobs["overdue"]!.storage else { Issue.record("not archived: \(jobs["overdue"]!.storage)"); return }
        #expect(jobs["due-soon"]!.storage == .s3, "the archive execution still has time")
        world.state.withLock { $0.users["u1"]?.role = .premium }
        world.state.withLock { $0.jobs["due-soon"]?.completeTime = now - 5000 }
        #expect(try await reconciler.run(now: now) == ["thaw": 1], "a premium user's result is never archived, an archived one is thawed")
        #expect(ReconcileWorkflow.decide(jobs["due-soon"]!, role: .free, now: now, limits: .init()) == nil, "off without a retention")
    }

    @Test func deadLettersAreRedrivenABoundedNumberOfTimesAndUnreadableOnesKept() async throws {
        // A notify message dead-lettered after the email's claim expired left the job COMPLETED and
        // never emailed; nothing read the dead-letter queues (issue 10, the reconciler).
        let queues = RecordingDeadLetters([
            DeadLetter(queue: "notify-dlq", id: "m1", redrives: 0, readable: true),
            DeadLetter(queue: "annotate-dlq", id: "m2", redrives: 2, readable: true),
            DeadLetter(queue: "annotate-dlq", id: "m3", redrives: 3, readable: true),
            DeadLetter(queue: "annotate-dlq", id: "poison", redrives: 0, readable: false),
        ])
        let world = world([])
        let reconciler = ReconcileWorkflow(
            source: world, jobs: world, users: world, objects: world, cold: world, probe: world, deadLetters: queues, limits: Self.limits, logger: logger)
        #expect(try await reconciler.run(now: now) == ["redrive": 2, "deadLetterKept": 2])
        #expect(queues.redriven.withLock { $0 } == ["m1", "m2"])
    }
}

/// Dead-letter queues that record what was sent back.
final class RecordingDeadLetters: DeadLetterQueues {
    let letters: [DeadLetter]
    let redriven = Mutex<[String]>([])

    init(_ letters: [DeadLetter]) { self.letters = letters }

    func deadLetters() async throws -> [DeadLetter] { letters }
    func redrive(_ letter: DeadLetter) async throws { redriven.withLock { $0.append(letter.id) } }
}

import Logging
import Synchronization
import Testing
import Workflows

/// Single-process behaviour of each workflow on the in-memory world.
@Suite struct WorkflowTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let result = ObjectLocation(bucket: "gas-results", key: "u1/job-1~a.annot.vcf")

    private func world(role: UserRole = .free, storage: ResultStorage = .s3, status: JobStatus = .completed) -> InMemoryWorld {
        let world = InMemoryWorld()
        world.state.withLock { state in
            state.users["u1"] = User(id: "u1", name: "Ada", email: "ada@example.org", role: role)
            state.jobs["job-1"] = Job(id: "job-1", userID: "u1", status: status, result: result, completeTime: 1_700_000_000, storage: storage)
            InMemoryWorld.put([1, 2, 3], at: result, in: &state)
        }
        return world
    }

    @Test func archiveSkipsPremiumUsersAndUnfinishedJobs() async throws {
        let premium = world(role: .premium)
        let archive = ArchiveWorkflow(jobs: premium, users: premium, objects: premium, cold: premium, logger: logger)
        #expect(try await archive.run(jobID: "job-1") == .skippedPremium)
        #expect(premium.state.withLock { $0.cold.isEmpty })

        let running = world(status: .running)
        let early = ArchiveWorkflow(jobs: running, users: running, objects: running, cold: running, logger: logger)
        await #expect(throws: WorkflowError.notCompleted("job-1", .running)) { try await early.run(jobID: "job-1") }
        await #expect(throws: WorkflowError.jobNotFound("nope")) { try await early.run(jobID: "nope") }
    }

    @Test func archiveOfAMissingResultIsAnErrorNotALoss() async throws {
        let world = world()
        world.state.withLock { $0.objects[result] = nil }
        let archive = ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger)
        await #expect(throws: WorkflowError.resultMissing("job-1", result)) { try await archive.run(jobID: "job-1") }
        #expect(world.state.withLock { $0.jobs["job-1"]!.storage } == .s3)
    }

    @Test func thawFallsBackToStandardWhenExpeditedHasNoCapacity() async throws {
        let world = world()
        world.state.withLock { $0.expeditedAvailable = false }
        let archive = ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger)
        #expect(try await archive.run(jobID: "job-1") == .archived)
        let thaw = ThawWorkflow(jobs: world, cold: world, logger: logger)
        #expect(try await thaw.run(userID: "u1") == ["job-1": .started(.standard)])
        #expect(try await thaw.run(userID: "u1") == ["job-1": .alreadyThawing])
        guard case .restoring(_, let retrieval?) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else {
            Issue.record("not restoring")
            return
        }
        #expect(retrieval.tier == .standard)
    }

    @Test func restoreWaitsForTheRetrievalAndIgnoresDuplicates() async throws {
        let world = world()
        let archive = ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger)
        _ = try await archive.run(jobID: "job-1")
        let thaw = ThawWorkflow(jobs: world, cold: world, logger: logger)
        _ = try await thaw.run(userID: "u1")
        guard case .restoring(let ref, let retrieval?) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else {
            Issue.record("not restoring")
            return
        }
        let restore = RestoreWorkflow(jobs: world, objects: world, cold: world, logger: logger)
        let completion = RetrievalCompletion(jobID: "job-1", reference: ref, retrievalID: retrieval.id)
        world.state.withLock { $0.retrievalsReady = false }
        await #expect(throws: ColdStoreError.notReady) { try await restore.run(jobID: "job-1", completion: completion) }
        world.state.withLock { $0.retrievalsReady = true }
        #expect(try await restore.run(jobID: "job-1", completion: completion) == .restored)
        #expect(try await restore.run(jobID: "job-1", completion: completion) == .alreadyRestored)
        let final = world.state.withLock { $0 }
        #expect(final.jobs["job-1"]!.storage == .restored(pendingDelete: nil))
        #expect(final.objects[result]?.bytes == [1, 2, 3])
        #expect(final.cold.isEmpty)
    }

    private func archivedAndThawed(_ world: InMemoryWorld) async throws -> (ColdReference, Retrieval) {
        _ = try await ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger).run(jobID: "job-1")
        _ = try await ThawWorkflow(jobs: world, cold: world, logger: logger).run(userID: "u1")
        guard case .restoring(let ref, let retrieval?) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else { throw Crash() }
        return (ref, retrieval)
    }

    @Test func aFailedRetrievalStartsANewOneAndAStaleFailureStopsNothing() async throws {
        // It used to go back to ARCHIVED with nothing to start a new thaw for a premium user (issue 10, item 4).
        let world = world()
        let (ref, first) = try await archivedAndThawed(world)
        let restore = RestoreWorkflow(jobs: world, objects: world, cold: world, logger: logger)
        let failed = RetrievalCompletion(jobID: "job-1", reference: ref, retrievalID: first.id, succeeded: false)
        #expect(try await restore.run(jobID: "job-1", completion: failed) == .retrievalRestarted)
        guard case .restoring(ref, let second?) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else {
            Issue.record("no new retrieval recorded")
            return
        }
        #expect(second.id != first.id)
        // The first failure redelivered is stale now: the live retrieval stays recorded.
        #expect(try await restore.run(jobID: "job-1", completion: failed) == .staleCompletion)
        #expect(world.state.withLock { $0.jobs["job-1"]!.storage } == .restoring(ref, second))
        #expect(try await restore.run(jobID: "job-1", completion: .init(jobID: "job-1", reference: ref, retrievalID: second.id)) == .restored)
        #expect(world.state.withLock { $0.objects[result]?.bytes } == [1, 2, 3])
    }

    @Test func aRestoredCopyThatExpiredBeforeItWasReadIsRetrievedAgain() async throws {
        let world = world()
        let (ref, first) = try await archivedAndThawed(world)
        world.state.withLock { $0.retrievalsGone = true }
        let restore = RestoreWorkflow(jobs: world, objects: world, cold: world, logger: logger)
        let completion = RetrievalCompletion(jobID: "job-1", reference: ref, retrievalID: first.id)
        #expect(try await restore.run(jobID: "job-1", completion: completion) == .retrievalRestarted)
        guard case .restoring(ref, let second?) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else {
            Issue.record("no new retrieval recorded")
            return
        }
        world.state.withLock { $0.retrievalsGone = false }
        #expect(try await restore.run(jobID: "job-1", completion: .init(jobID: "job-1", reference: ref, retrievalID: second.id)) == .restored)
    }

    @Test func oneBadJobDoesNotStopTheUsersOtherThaws() async throws {
        // A `try` inside the loop used to end the whole thaw at the first bad job (issue 10, item 6).
        let world = world()
        _ = try await ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger).run(jobID: "job-1")
        world.state.withLock {
            $0.jobs["job-0"] = Job(id: "job-0", userID: "u1", status: .completed, result: result, storage: .archived(ColdReference("lost"), originalVersion: nil))
        }
        let thaw = ThawWorkflow(jobs: world, cold: world, logger: logger)
        await #expect(throws: WorkflowError.jobsFailed(["job-0"], retryable: false)) { try await thaw.run(userID: "u1") }
        guard case .restoring(_, .some) = world.state.withLock({ $0.jobs["job-1"]!.storage }) else {
            Issue.record("the good job was not thawed")
            return
        }
    }

    @Test func notifySendsOneEmailWithTheJobLink() async throws {
        let world = world()
        let notify = NotifyWorkflow(
            jobs: world, ledger: world, users: world, mailer: world, jobPageBaseURL: "https://gas.example.org/annotations/", logger: logger)
        #expect(try await notify.run(jobID: "job-1", now: 1_700_000_100) == .sent)
        #expect(try await notify.run(jobID: "job-1", now: 1_700_000_200) == .alreadySent)
        let mails = world.state.withLock { $0.mails }
        #expect(mails.count == 1)
        #expect(mails.first?.to == "ada@example.org")
        #expect(mails.first?.subject == "Results available for job job-1")
        #expect(mails.first?.body == "Your annotation job completed at 2023-11-14 22:13:20 UTC. Click here to view job details and results: https://gas.example.org/annotations/job-1")
    }

    @Test func aConcurrentSenderHoldsTheClaimUntilItsInvocationsDeadline() async throws {
        let world = world()
        // A sender claimed at 1000 in an invocation that Lambda stops at 1030.
        world.state.withLock { $0.notificationClaims["job-1"] = 1030 }
        let notify = NotifyWorkflow(jobs: world, ledger: world, users: world, mailer: world, jobPageBaseURL: "https://x", logger: logger)
        #expect(try await notify.run(jobID: "job-1", now: 1030, deadline: 1060) == .inProgress)
        #expect(try await notify.run(jobID: "job-1", now: 1031, deadline: 1061) == .sent)
        #expect(world.state.withLock { ($0.mails.count, $0.notificationClaims["job-1"]) } == (1, 1061))
    }

    @Test func anEmailWhoseSendMayHaveGoneOutIsNeverSentAgain() async throws {
        // Issue 10: a send whose answer was lost (reset, timeout, truncated) was retried and the user got two emails.
        let world = world()
        let mailer = UnconfirmedMailer()
        let notify = NotifyWorkflow(jobs: world, ledger: world, users: world, mailer: mailer, jobPageBaseURL: "https://x", logger: logger)
        #expect(try await notify.run(jobID: "job-1", now: 1000) == .sentUnconfirmed)
        #expect(try await notify.run(jobID: "job-1", now: 2000) == .alreadySent)
        #expect(mailer.attempts.withLock { $0 } == 1)
    }
}

/// A mail service whose answer is always lost.
final class UnconfirmedMailer: Mailer {
    let attempts = Mutex(0)
    func send(to address: String, subject: String, body: String, within: Double) async throws {
        attempts.withLock { $0 += 1 }
        throw MailUnconfirmed("NetworkError: Connection reset by peer")
    }
}

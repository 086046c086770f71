import Logging
import Synchronization
import Testing
import Workflows

/// Archive, upgrade, thaw and restore run as concurrent processes whose port calls are interleaved
/// in every possible order (and with a crash after any step, followed by redelivery); after every
/// single step the invariant must hold, and at the end premium results must be downloadable and
/// free results archived, with no orphan copies.
@Suite struct LifecycleInterleavingTests {
    static let result = ObjectLocation(bucket: "gas-results", key: "u1/job-1~sample.annot.vcf")
    static let bytes = Array("##fileformat=VCFv4.2\nchr1\t1\t.\tA\tG\n".utf8)

    /// One scenario run: its processes and the checks at the end.
    struct Scenario: Sendable {
        var upgrade: Bool
        var archiveRuns: Int
        /// A reconciler pass races the others, and passes run after them (liveness).
        var reconcile = false
        /// The thaw's index query misses the job.
        var indexLag = false
        /// The retrieval's completion is never delivered (dead-lettered).
        var loseCompletion = false
        /// The user downgrades again right after the restore's completion was handled.
        var downgrade = false
        /// Expedited retrievals have no capacity: the thaw falls back to Standard.
        var expeditedUnavailable = false
        /// The completion is delivered twice, and a stale failure (another retrieval) comes first.
        var duplicateAndStaleCompletions = false
        /// The user's account is deleted while the others run.
        var deleteUser = false
        /// The job starts PENDING: the first process annotates it, emails the user and runs the
        /// archive execution the annotation started (after the retention).
        var fromSubmission = false
        /// The crashed process crashes again after this step of its redelivery.
        var crashAgainAt: Int?
    }

    /// When the reconciler runs: long after everything else.
    static let later = 2_000_000_000

    struct Report: Sendable {
        var violations: [String]
        var final: InMemoryWorld.State
    }

    static func makeWorld(
        scheduler: StepScheduler?, crash: (process: Int, step: Int)?, crashAgain: Int? = nil, violations: Recorder, pending: Bool = false
    ) -> InMemoryWorld {
        let world = InMemoryWorld(scheduler: scheduler, crash: crash, crashAgain: crashAgain) { state in
            guard let job = state.jobs["job-1"], job.status == .completed else { return }
            if job.storage.isInS3, state.objects[result]?.bytes != bytes {
                violations.add("item says \(job.storage) but the S3 object is missing")
            }
            if !job.storage.isInS3, let ref = job.storage.coldReference, state.cold[ref] != bytes {
                violations.add("item says \(job.storage) but the cold copy \(ref) is missing")
            }
        }
        world.state.withLock { state in
            state.users["u1"] = User(id: "u1", name: "Ada", email: "ada@example.org", role: .free)
            state.annotationBytes = bytes
            if pending {
                state.jobs["job-1"] = Job(id: "job-1", userID: "u1", status: .pending, submitTime: later)
            } else {
                state.jobs["job-1"] = Job(id: "job-1", userID: "u1", status: .completed, result: result, completeTime: 1_700_000_000)
                InMemoryWorld.put(bytes, at: result, in: &state)
            }
        }
        return world
    }

    /// Runs `body` and, each time it crashes, runs it again (at-least-once delivery; at most two
    /// crashes are injected, the second during the redelivery).
    static func delivered(_ violations: Recorder, _ body: @Sendable () async throws -> Void) async {
        for delivery in 0...2 {
            do {
                try await StepScheduler.$delivery.withValue(delivery) { try await body() }
                return
            } catch is Crash {
                continue
            } catch WorkflowError.userNotFound {
                return  // a deleted user's job: the handler answers a permanent error and touches nothing
            } catch {
                violations.add(delivery == 0 ? "failed: \(error)" : "redelivery failed: \(error)")
                return
            }
        }
    }

    static func run(_ scenario: Scenario, crash: (process: Int, step: Int)?, choose: @escaping @Sendable ([Int], Int) -> Int) async -> Report {
        let violations = Recorder()
        let scheduler = StepScheduler()
        let world = makeWorld(scheduler: scheduler, crash: crash, crashAgain: scenario.crashAgainAt, violations: violations, pending: scenario.fromSubmission)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let archive = ArchiveWorkflow(jobs: world, users: world, objects: world, cold: world, logger: logger)
        let thaw = ThawWorkflow(jobs: world, cold: world, logger: logger)
        let restore = RestoreWorkflow(jobs: world, objects: world, cold: world, logger: logger)
        var processes: [@Sendable () async -> Void] = (0..<scenario.archiveRuns).map { _ in
            { await delivered(violations) { _ = try await archive.run(jobID: "job-1") } }
        }
        world.state.withLock {
            $0.indexLag = scenario.indexLag
            $0.clock = later
            $0.expeditedAvailable = !scenario.expeditedUnavailable
        }
        if scenario.fromSubmission {
            let annotate = AnnotateWorkflow(jobs: world, ledger: world, users: world, runner: world, events: world, archives: world, logger: logger)
            let notify = NotifyWorkflow(jobs: world, ledger: world, users: world, mailer: world, jobPageBaseURL: "https://gas.example.org/annotations", logger: logger)
            let input = AnnotationInput(jobID: "job-1", userID: "u1", input: ObjectLocation(bucket: "gas-inputs", key: "u1/job-1~sample.vcf"), inputFileName: "sample.vcf")
            processes.insert(
                {
                    // A redelivery comes a visibility timeout later, past the crashed invocation's deadline.
                    let now = { @Sendable in later + 1000 * StepScheduler.delivery }
                    await delivered(violations) { _ = try await annotate.run(input, deadline: now() + 900, clock: now) }
                    await delivered(violations) { _ = try await notify.run(jobID: "job-1", now: now(), deadline: now() + 120) }
                    guard world.state.withLock({ $0.archiveStarts["job-1"] ?? 0 }) > 0 else { return }
                    await delivered(violations) { _ = try await archive.run(jobID: "job-1") }
                }, at: 0)
        }
        if scenario.upgrade {
            processes.append {
                await delivered(violations) { try await world.upgrade("u1") }
                await delivered(violations) { _ = try await thaw.run(userID: "u1") }
                // The retrieval-completed event arrives once the thaw recorded a retrieval.
                if !scenario.loseCompletion, case .restoring(let ref, let retrieval?) = world.state.withLock({ $0.jobs["job-1"]!.storage }) {
                    let completion = RetrievalCompletion(jobID: "job-1", reference: ref, retrievalID: retrieval.id)
                    if scenario.duplicateAndStaleCompletions {
                        let stale = RetrievalCompletion(jobID: "job-1", reference: ref, retrievalID: "retrieval-stale", succeeded: false)
                        await delivered(violations) { _ = try await restore.run(jobID: "job-1", completion: stale) }
                    }
                    await delivered(violations) { _ = try await restore.run(jobID: "job-1", completion: completion) }
                    if scenario.duplicateAndStaleCompletions {
                        await delivered(violations) { _ = try await restore.run(jobID: "job-1", completion: completion) }
                    }
                }
                if scenario.downgrade { await delivered(violations) { try await world.downgrade("u1") } }
            }
        }
        if scenario.deleteUser {
            processes.append { await delivered(violations) { try await world.deleteUser("u1") } }
        }
        // With the retention known, the reconciler also archives a free user's result whose archive never ran.
        let reconciler = ReconcileWorkflow(
            source: world, jobs: world, users: world, objects: world, cold: world, probe: world,
            limits: .init(runDeadlineSeconds: 3600, orphanGraceSeconds: 60, retentionSeconds: 0, archiveGraceSeconds: 30), logger: logger)
        if scenario.reconcile {
            processes.append { await delivered(violations) { _ = try await reconciler.run(now: later) } }
        }
        await scheduler.run(processes, choose: choose)
        if scenario.reconcile {
            // No new events: the reconciler alone must bring every job to its final state, once the
            // orphan grace has passed (longer than any archive run takes between copy and commit).
            world.state.withLock { $0.indexLag = false }
            let afterGrace = later + 61
            await scheduler.run([
                {
                    await StepScheduler.$crashable.withValue(false) {
                        for _ in 0..<3 { await delivered(violations) { _ = try await reconciler.run(now: afterGrace) } }
                    }
                }
            ]) { candidates, _ in candidates[0] }
        }
        return Report(violations: violations.all, final: world.state.withLock { $0 })
    }

    static func checkFinal(_ report: Report, _ scenario: Scenario, crashed: Bool) -> [String] {
        var problems = report.violations
        let job = report.final.jobs["job-1"]!
        if scenario.fromSubmission {
            if job.status != .completed { return problems + ["the job ends \(job.status)"] }
            // Only a crash between the send and its record may send another email.
            let mails = report.final.mails.count
            if mails == 0 || mails > 1 + (crashed ? 1 : 0) + (crashed && scenario.crashAgainAt != nil ? 1 : 0) { problems.append("\(mails) emails") }
        }
        if case .restoring = job.storage, scenario.reconcile { problems.append("the job ends RESTORING") }
        if scenario.downgrade || scenario.deleteUser {
            // Whatever the final role, the result is downloadable or archived with its cold copy.
            let inS3 = job.storage.isInS3 && report.final.objects[result]?.bytes == bytes
            let cold = job.storage.coldReference.map { report.final.cold[$0] == bytes } ?? false
            if !inS3 && !cold { problems.append("the result ends \(job.storage) with neither copy") }
        } else if scenario.upgrade {
            if !(job.storage == .s3 || job.storage == .restored(pendingDelete: nil)) { problems.append("premium result ends \(job.storage)") }
            if report.final.objects[result]?.bytes != bytes { problems.append("premium result not downloadable") }
        } else {
            guard case .archived(let ref, _) = job.storage else { return problems + ["free result ends \(job.storage)"] }
            if report.final.cold[ref] != bytes { problems.append("free result's cold copy missing") }
            if report.final.objects[result] != nil { problems.append("free result still in S3") }
        }
        // A crash between making a cold copy and committing it leaves that copy unreferenced: a cost
        // (documented), never a loss. Without a crash there must be no orphan at all.
        // After the reconciler there is none either way.
        let allowedOrphans = crashed && !scenario.reconcile ? 1 : 0
        let referenced = job.storage.isInS3 ? 0 : 1
        if report.final.cold.count > referenced + allowedOrphans { problems.append("orphan cold copies: \(report.final.cold.keys)") }
        return problems
    }

    /// Depth-first enumeration of every schedule (stateless model checking).
    static func explore(_ scenario: Scenario, crash: (process: Int, step: Int)?, limit: Int) async -> (runs: Int, problems: [String]) {
        var pending: [[Int]] = [[]]
        var runs = 0
        var problems: [String] = []
        while let prefix = pending.popLast(), runs < limit {
            let trace = TraceRecorder()
            let report = await run(scenario, crash: crash) { candidates, step in
                let chosen = step < prefix.count ? prefix[step] : candidates[0]
                trace.append(candidates, chosen)
                return chosen
            }
            runs += 1
            let found = checkFinal(report, scenario, crashed: crash != nil)
            if !found.isEmpty { problems.append("schedule \(trace.steps.map(\.chosen)) crash \(String(describing: crash)): \(found)") }
            let steps = trace.steps
            for index in stride(from: steps.count - 1, through: prefix.count, by: -1) {
                for alternative in steps[index].candidates where alternative != steps[index].chosen {
                    pending.append(steps[..<index].map(\.chosen) + [alternative])
                }
            }
        }
        return (runs, problems)
    }

    @Test func everyInterleavingOfArchiveWithUpgradeThawAndRestore() async {
        let scenario = Scenario(upgrade: true, archiveRuns: 1)
        let (runs, problems) = await Self.explore(scenario, crash: nil, limit: 100_000)
        #expect(problems.isEmpty, "\(problems.prefix(3))")
        // Few interleavings differ: once the archive committed, only its last step can interleave.
        #expect(runs >= 30, "explored \(runs) schedules")
    }

    @Test func aCrashAfterAnyStepFollowedByRedeliveryLosesNothing() async {
        var total = 0
        for process in 0..<2 {
            for step in 1...12 {
                let (runs, problems) = await Self.explore(Scenario(upgrade: true, archiveRuns: 1), crash: (process, step), limit: 400)
                total += runs
                #expect(problems.isEmpty, "\(problems.prefix(2))")
            }
        }
        #expect(total > 1000, "explored \(total) schedules")
    }

    @Test func duplicateArchiveRunsRacingAnUpgrade() async {
        for crash in [nil, (process: 0, step: 6), (process: 2, step: 7)] as [(process: Int, step: Int)?] {
            let (runs, problems) = await Self.explore(Scenario(upgrade: true, archiveRuns: 2), crash: crash, limit: 30_000)
            #expect(problems.isEmpty, "\(problems.prefix(2))")
            #expect(runs > 100, "explored \(runs) schedules")
        }
    }

    @Test func withoutTheReconcilerAThawThatMissedTheJobOrALostCompletionLeavesItCold() async {
        // The checker sees the defects the reconciler repairs (issue 10, items 4 and 5).
        for scenario in [Scenario(upgrade: true, archiveRuns: 1, indexLag: true), Scenario(upgrade: true, archiveRuns: 1, loseCompletion: true)] {
            let (_, problems) = await Self.explore(scenario, crash: nil, limit: 2_000)
            #expect(!problems.isEmpty)
        }
    }

    @Test func theReconcilerEndsEveryScheduleWithTheResultWhereItBelongs() async {
        let scenarios = [
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true, indexLag: true),
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true, loseCompletion: true),
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true),
            Scenario(upgrade: false, archiveRuns: 2, reconcile: true),
        ]
        var total = 0
        for scenario in scenarios {
            let (runs, problems) = await Self.explore(scenario, crash: nil, limit: 20_000)
            total += runs
            #expect(problems.isEmpty, "\(problems.prefix(2))")
        }
        #expect(total > 500, "explored \(total) schedules")
    }

    @Test func theReconcilerRepairsACrashInAnyProcessAtAnyStep() async {
        var total = 0
        let scenarios = [Scenario(upgrade: true, archiveRuns: 1, reconcile: true, indexLag: true), Scenario(upgrade: false, archiveRuns: 2, reconcile: true)]
        for scenario in scenarios {
            for process in 0..<3 {
                for step in 1...10 {
                    let (runs, problems) = await Self.explore(scenario, crash: (process, step), limit: 150)
                    total += runs
                    #expect(problems.isEmpty, "\(problems.prefix(2))")
                }
            }
        }
        #expect(total > 1000, "explored \(total) schedules")
    }

    @Test func duplicateArchiveRunsForAFreeUserLeaveOneColdCopy() async {
        for crash in [nil, (process: 0, step: 5), (process: 1, step: 6)] as [(process: Int, step: Int)?] {
            let (runs, problems) = await Self.explore(Scenario(upgrade: false, archiveRuns: 2), crash: crash, limit: 20_000)
            #expect(problems.isEmpty, "\(problems.prefix(2))")
            #expect(runs > 100)
        }
    }
}

/// Problems found during a run, from any task.
final class Recorder: Sendable {
    private let list = Mutex<[String]>([])
    func add(_ problem: String) { list.withLock { $0.append(problem) } }
    var all: [String] { list.withLock { $0 } }
}

/// The choices a schedule made.
final class TraceRecorder: Sendable {
    private let list = Mutex<[(candidates: [Int], chosen: Int)]>([])
    func append(_ candidates: [Int], _ chosen: Int) { list.withLock { $0.append((candidates, chosen)) } }
    var steps: [(candidates: [Int], chosen: Int)] { list.withLock { $0 } }
}

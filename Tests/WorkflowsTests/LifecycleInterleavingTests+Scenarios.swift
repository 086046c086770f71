import Testing
import Workflows

/// The cases the first model left out (issue 10, verification): annotation and notification in the
/// schedules, downgrade, a deleted user, Expedited unavailable, duplicate and stale completions,
/// and a second crash during a redelivery.
extension LifecycleInterleavingTests {
    /// Explores `scenario` with a crash of each of the first two processes after each of `steps`
    /// (`limit` schedules each), recording every problem; answers the schedules explored.
    static func exploreCrashes(_ scenario: Scenario, steps: some Sequence<Int>, limit: Int) async -> Int {
        var total = 0
        for process in 0..<2 {
            for step in steps {
                let (runs, problems) = await explore(scenario, crash: (process, step), limit: limit)
                total += runs
                #expect(problems.isEmpty, "\(scenario) crash \(process)/\(step): \(problems.prefix(2))")
            }
        }
        return total
    }

    @Test func fromSubmissionAnnotateNotifyAndArchiveRaceAnUpgrade() async {
        var total = 0
        for scenario in [
            Scenario(upgrade: false, archiveRuns: 0, reconcile: true, fromSubmission: true),
            Scenario(upgrade: true, archiveRuns: 0, reconcile: true, fromSubmission: true),
        ] {
            let (runs, problems) = await Self.explore(scenario, crash: nil, limit: 20_000)
            total += runs
            #expect(problems.isEmpty, "\(problems.prefix(2))")
        }
        #expect(total > 200, "explored \(total) schedules")
    }

    @Test func fromSubmissionACrashAtAnyStepIsRedeliveredPastItsDeadline() async {
        let scenario = Scenario(upgrade: true, archiveRuns: 0, reconcile: true, fromSubmission: true)
        let total = await Self.exploreCrashes(scenario, steps: 1...12, limit: 120)
        #expect(total > 1000, "explored \(total) schedules")
    }

    @Test func downgradeDeletedUserExpeditedUnavailableAndDuplicateOrStaleCompletions() async {
        var total = 0
        for scenario in [
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true, downgrade: true),
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true, deleteUser: true),
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true, expeditedUnavailable: true),
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true, duplicateAndStaleCompletions: true),
        ] {
            let (runs, problems) = await Self.explore(scenario, crash: nil, limit: 6_000)
            total += runs
            #expect(problems.isEmpty, "\(scenario): \(problems.prefix(2))")
            total += await Self.exploreCrashes(scenario, steps: stride(from: 1, through: 10, by: 3), limit: 60)
        }
        #expect(total > 1000, "explored \(total) schedules")
    }

    @Test func aSecondCrashDuringTheRedeliveryLosesNothing() async {
        var total = 0
        for scenario in [
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true, crashAgainAt: 2),
            Scenario(upgrade: true, archiveRuns: 1, reconcile: true, crashAgainAt: 5),
            Scenario(upgrade: true, archiveRuns: 0, reconcile: true, fromSubmission: true, crashAgainAt: 3),
        ] {
            total += await Self.exploreCrashes(scenario, steps: stride(from: 1, through: 10, by: 2), limit: 60)
        }
        #expect(total > 1000, "explored \(total) schedules")
    }
}

import Testing
import Workflows

/// The cases the first model left out (issue 10, verification): annotation and notification in the
/// schedules, downgrade, a deleted user, Expedited unavailable, duplicate and stale completions.
extension LifecycleInterleavingTests {
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
        var total = 0
        for process in 0..<2 {
            for step in 1...12 {
                let scenario = Scenario(upgrade: true, archiveRuns: 0, reconcile: true, fromSubmission: true)
                let (runs, problems) = await Self.explore(scenario, crash: (process, step), limit: 120)
                total += runs
                #expect(problems.isEmpty, "\(problems.prefix(2))")
            }
        }
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
            for process in 0..<2 {
                for step in stride(from: 1, through: 10, by: 3) {
                    let (crashRuns, crashProblems) = await Self.explore(scenario, crash: (process, step), limit: 60)
                    total += crashRuns
                    #expect(crashProblems.isEmpty, "\(scenario) crash \(process)/\(step): \(crashProblems.prefix(2))")
                }
            }
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
            for process in 0..<2 {
                for step in stride(from: 1, through: 10, by: 2) {
                    let (runs, problems) = await Self.explore(scenario, crash: (process, step), limit: 60)
                    total += runs
                    #expect(problems.isEmpty, "\(scenario) crash \(process)/\(step): \(problems.prefix(2))")
                }
            }
        }
        #expect(total > 1000, "explored \(total) schedules")
    }
}

/// Runs several processes (tasks) one port call at a time, in an order chosen by the test, so every
/// interleaving of their steps can be replayed deterministically.
actor StepScheduler {
    @TaskLocal static var process = 0
    /// Which delivery of its event a process is on: 0 first, 1 the redelivery after a crash, 2 the
    /// redelivery after a crash during the redelivery.
    @TaskLocal static var delivery = 0
    /// False where no crash is injected (the reconciler's passes after the race).
    @TaskLocal static var crashable = true

    private var parked: [Int: CheckedContinuation<Void, Never>] = [:]
    private var live: Set<Int> = []
    private var waiter: CheckedContinuation<Void, Never>?

    /// Called by a process before each step: waits until the scheduler picks it.
    func gate(_ process: Int) async {
        await withCheckedContinuation { continuation in
            parked[process] = continuation
            wake()
        }
    }

    /// Runs `processes` to completion, picking at each step the parked process `choose` names.
    /// `choose` gets the sorted list of parked processes and the step number.
    func run(_ processes: [@Sendable () async -> Void], choose: @Sendable ([Int], Int) -> Int) async {
        live = Set(processes.indices)
        await withTaskGroup(of: Void.self) { group in
            for (index, process) in processes.enumerated() {
                group.addTask {
                    await StepScheduler.$process.withValue(index) { await process() }
                    await self.finished(index)
                }
            }
            var stepNumber = 0
            while true {
                await allParked()
                if live.isEmpty { break }
                let candidates = parked.keys.sorted()
                let pick = choose(candidates, stepNumber)
                stepNumber += 1
                parked.removeValue(forKey: candidates.contains(pick) ? pick : candidates[0])!.resume()
            }
        }
    }

    private func finished(_ process: Int) {
        live.remove(process)
        wake()
    }

    private func allParked() async {
        if parked.count == live.count { return }
        await withCheckedContinuation { waiter = $0 }
    }

    private func wake() {
        if parked.count == live.count, let waiter {
            self.waiter = nil
            waiter.resume()
        }
    }
}

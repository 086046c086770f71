import Logging

/// Re-sends annotation requests whose publish failed after their job was created (SNS down, the
/// process died between the put and the publish). Runs on a timer in `gas-web` and on an
/// EventBridge schedule in Lambda; idempotent, because the annotator claims each job once.
public struct RequestSweep: Sendable {
    let store: WebStore
    /// Only jobs at least this old, so a submit still in flight is left to finish.
    let graceSeconds: Int

    /// Sweeps `store`'s jobs.
    public init(store: WebStore, graceSeconds: Int = 30) {
        self.store = store
        self.graceSeconds = graceSeconds
    }

    /// Publishes every stale unpublished request; answers how many were sent.
    @discardableResult
    public func run(logger: Logger) async throws -> Int {
        var sent = 0
        for job in try await store.unpublishedJobs(olderThan: graceSeconds) {
            do {
                try await store.publishRequest(of: job)
                sent += 1
                logger.notice("re-sent annotation request", metadata: ["job.id": "\(job.id)"])
            } catch {
                logger.error("annotation request still not sent", metadata: ["job.id": "\(job.id)", "error": "\(error)"])
            }
        }
        return sent
    }
}

import Logging

/// Re-sends annotation requests whose publish failed after their job was created, and thaw
/// requests ThawHandler has not confirmed after an upgrade (SNS down, the process died between the
/// write and the publish). Runs on a timer in `gas-web` and on an EventBridge schedule in Lambda;
/// idempotent, because the annotator claims each job once and a thaw claims each result once.
public struct RequestSweep: Sendable {
    let store: WebStore
    /// Only jobs at least this old, so a submit still in flight is left to finish.
    let graceSeconds: Int

    /// Sweeps `store`'s jobs.
    public init(store: WebStore, graceSeconds: Int = 30) {
        self.store = store
        self.graceSeconds = graceSeconds
    }

    /// Publishes every stale unpublished request and unconfirmed thaw; answers how many were sent.
    @discardableResult
    public func run(logger: Logger) async throws -> Int {
        var sent = 0
        if store.configuration.upgradesTopicARN != nil {
            for (user, requestedAt) in try await store.usersAwaitingThaw(olderThan: store.configuration.thawResendSeconds) {
                do {
                    try await store.requestThaw(userID: user, requestedAt: requestedAt)
                    sent += 1
                    logger.notice("re-sent thaw request", metadata: ["user.id": "\(user)"])
                } catch {
                    logger.error("thaw request still not sent", metadata: ["user.id": "\(user)", "error": "\(error)"])
                }
            }
        }
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

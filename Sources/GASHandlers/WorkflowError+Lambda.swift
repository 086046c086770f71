import LambdaRuntime
import Workflows

/// Workflow failures as the stable `errorType`s Step Functions `Retry`/`Catch` name.
public struct HandlerFailure: LambdaErrorType {
    /// `GAS.Retryable` (try again later) or `GAS.Permanent` (retrying cannot help), with the reason after a dot.
    public let errorType: String
    public let errorMessage: String
    /// Whether a retry may succeed.
    public let retryable: Bool

    /// Classifies any error a workflow or port threw.
    public init(_ error: any Error) {
        switch error {
        case let failure as HandlerFailure:
            self = failure
        case let workflow as WorkflowError:
            switch workflow {
            case .jobNotFound(let id): self.init(permanent: "JobNotFound", "no job \(id)")
            case .notCompleted(let id, let status): self.init(permanent: "NotCompleted", "job \(id) is \(status.rawValue)")
            case .userNotFound(let id): self.init(permanent: "UserNotFound", "no user \(id)")
            case .resultMissing(let id, let location): self.init(permanent: "ResultMissing", "job \(id): \(location) does not exist")
            case .unknownRetrieval(let ref): self.init(permanent: "UnknownRetrieval", "no job refers to \(ref)")
            case .conflict(let id): self.init(retryable: "Conflict", "job \(id) changed while being updated")
            case .retrievalNotReady(let id): self.init(retryable: "RetrievalNotReady", "retrieval for \(id) has not completed")
            case .dependency(let message, true): self.init(retryable: "Dependency", message)
            case .dependency(let message, false): self.init(permanent: "Dependency", message)
            }
        case let cold as ColdStoreError:
            switch cold {
            case .tierUnavailable(let tier): self.init(retryable: "TierUnavailable", "no \(tier.rawValue) retrieval capacity")
            case .notReady: self.init(retryable: "RetrievalNotReady", "the retrieval has not completed")
            case .corrupt(let message): self.init(retryable: "Corrupt", message)
            }
        default:
            self.init(retryable: "Unexpected", "\(type(of: error)): \(error)")
        }
    }

    init(retryable reason: String, _ message: String) {
        errorType = "GAS.Retryable.\(reason)"
        errorMessage = message
        retryable = true
    }

    init(permanent reason: String, _ message: String) {
        errorType = "GAS.Permanent.\(reason)"
        errorMessage = message
        retryable = false
    }
}

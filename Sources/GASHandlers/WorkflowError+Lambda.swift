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
            case .jobsFailed(let jobs, let retryable):
                let message = "\(jobs.count) job(s) failed: " + jobs.prefix(10).joined(separator: ", ") + (jobs.count > 10 ? ", …" : "")
                if retryable { self.init(retryable: "JobsFailed", message) } else { self.init(permanent: "JobsFailed", message) }
            }
        case let cold as ColdStoreError:
            switch cold {
            case .tierUnavailable(let tier): self.init(retryable: "TierUnavailable", "no \(tier.rawValue) retrieval capacity")
            case .notReady: self.init(retryable: "RetrievalNotReady", "the retrieval has not completed")
            case .corrupt(let message): self.init(retryable: "Corrupt", message)
            case .retrievalGone: self.init(retryable: "RetrievalGone", "the retrieval failed or expired")
            }
        case let decoding as DecodingError:
            // The same bytes will never decode: retrying only delays the dead-letter queue.
            self.init(permanent: "BadRecord", Self.describe(decoding))
        default:
            self.init(retryable: "Unexpected", "\(type(of: error)): \(error)")
        }
    }

    /// Longest `errorMessage`: a message echoes input (a 5 MB job id), and an error document,
    /// a log line and a Step Functions cause must stay small.
    static let maxMessageBytes = 1024

    init(retryable reason: String, _ message: String) {
        errorType = "GAS.Retryable.\(reason)"
        errorMessage = Self.clipped(message)
        retryable = true
    }

    init(permanent reason: String, _ message: String) {
        errorType = "GAS.Permanent.\(reason)"
        errorMessage = Self.clipped(message)
        retryable = false
    }

    static func clipped(_ message: String) -> String {
        guard message.utf8.count > maxMessageBytes else { return message }
        let kept = String(decoding: message.utf8.prefix(maxMessageBytes - 40), as: UTF8.self)
        return kept + "… (\(message.utf8.count) bytes in all)"
    }

    /// Which field and what was expected, without the decoder's internals.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "the payload" : path
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "the payload" ? "" : parent + ".")\(key.stringValue): missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context): return "\(path(context)): expected \(type)"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

import Workflows
import WorkflowsAWS

/// The reconciler's limits from `RUN_DEADLINE_SECONDS`, `ORPHAN_GRACE_SECONDS`, `MAX_REDRIVES`,
/// `RETENTION_SECONDS`, `ARCHIVE_GRACE_SECONDS` and `RUNNING_TOO_LONG_SECONDS`, and its dead-letter
/// routes from `DEAD_LETTER_QUEUES`.
public enum ReconcileLimits {
    /// Reads the limits (defaults where unset); names every bad value at once.
    public static func read(_ environment: [String: String]) throws(HandlerConfiguration.Invalid) -> ReconcileWorkflow.Limits {
        var limits = ReconcileWorkflow.Limits()
        var problems: [String] = []
        let names = [
            ("RUN_DEADLINE_SECONDS", \ReconcileWorkflow.Limits.runDeadlineSeconds, " of seconds"), ("ORPHAN_GRACE_SECONDS", \.orphanGraceSeconds, " of seconds"),
            ("MAX_REDRIVES", \.maxRedrives, ""), ("ARCHIVE_GRACE_SECONDS", \.archiveGraceSeconds, " of seconds"),
        ]
        for (name, path, unit) in names {
            guard let text = environment[name], !text.isEmpty else { continue }
            guard let value = Int(text), value > 0 else {
                problems.append("\(name) must be a positive number\(unit), got \(text.prefix(40))")
                continue
            }
            limits[keyPath: path] = value
        }
        if let text = environment["RUNNING_TOO_LONG_SECONDS"], !text.isEmpty {
            if let value = Int(text), value > 0 {
                limits.runningTooLongSeconds = value
            } else {
                problems.append("RUNNING_TOO_LONG_SECONDS must be a positive number of seconds, got \(text.prefix(40))")
            }
        }
        if let text = environment["RETENTION_SECONDS"], !text.isEmpty {
            if let value = Int(text), value >= 0 { limits.retentionSeconds = value } else { problems.append("RETENTION_SECONDS must be a number of seconds, got \(text.prefix(40))") }
        }
        guard problems.isEmpty else { throw HandlerConfiguration.Invalid(errorMessage: problems.joined(separator: "; ")) }
        return limits
    }

    /// `DEAD_LETTER_QUEUES`: comma-separated `<dead-letter queue URL>=<source queue URL>` pairs (none: no redrive).
    public static func deadLetterRoutes(_ environment: [String: String]) throws(HandlerConfiguration.Invalid) -> [SQSDeadLetterQueues.Route] {
        let text = environment["DEAD_LETTER_QUEUES"] ?? ""
        var routes: [SQSDeadLetterQueues.Route] = []
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, parts.allSatisfy({ $0.hasPrefix("https://") || $0.hasPrefix("http://") }) else {
                throw HandlerConfiguration.Invalid(
                    errorMessage: "DEAD_LETTER_QUEUES must be <dead-letter queue URL>=<source queue URL>[,…], got \(pair.prefix(80))")
            }
            routes.append(.init(deadLetterQueueURL: parts[0], sourceQueueURL: parts[1]))
        }
        return routes
    }
}

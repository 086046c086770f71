import Workflows

/// The reconciler's limits from `RUN_DEADLINE_SECONDS` and `ORPHAN_GRACE_SECONDS`.
public enum ReconcileLimits {
    /// Reads the limits (defaults where unset); names every bad value at once.
    public static func read(_ environment: [String: String]) throws(HandlerConfiguration.Invalid) -> ReconcileWorkflow.Limits {
        var limits = ReconcileWorkflow.Limits()
        var problems: [String] = []
        for (name, path) in [("RUN_DEADLINE_SECONDS", \ReconcileWorkflow.Limits.runDeadlineSeconds), ("ORPHAN_GRACE_SECONDS", \.orphanGraceSeconds)] {
            guard let text = environment[name], !text.isEmpty else { continue }
            guard let value = Int(text), value > 0 else {
                problems.append("\(name) must be a positive number of seconds, got \(text.prefix(40))")
                continue
            }
            limits[keyPath: path] = value
        }
        guard problems.isEmpty else { throw HandlerConfiguration.Invalid(errorMessage: problems.joined(separator: "; ")) }
        return limits
    }
}

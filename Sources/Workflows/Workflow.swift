import Logging

/// What every workflow shares: it logs through a logger the caller can replace per invocation.
public protocol Workflow: Sendable {
    /// Where the workflow logs.
    var logger: Logger { get set }
}

extension Workflow {
    /// The same workflow logging to `logger` (the invocation's, which carries its request id).
    public func logging(to logger: Logger) -> Self {
        var copy = self
        copy.logger = logger
        return copy
    }
}

/// The one factor by which a local stack compresses the template's times, the retention's: a
/// 20 s retention against the template's 300 s runs every function timeout, queue visibility
/// timeout and reconciler limit 15 times faster. Their order is kept by construction: a queue's
/// local visibility timeout is never shorter than its function's local timeout (Lambda's own rule
/// for SQS sources), so a record redelivered after a crash always finds the crashed run's claim
/// (which holds until that invocation's deadline) expired.
public struct LocalTimeScale: Sendable, Equatable {
    /// Local seconds per template second, at most 1.
    public let factor: Double
    /// The shortest local function timeout: a process start, a reference download and one small
    /// annotation fit in it on a loaded two-core machine.
    public static let shortestTimeout = 10.0
    /// The template's default retention, against which a local retention is read.
    public static let templateRetentionSeconds = 300

    /// A scale of `factor` (clamped to 0.001...1: a local stack never runs slower than AWS).
    public init(factor: Double) { self.factor = min(1, max(0.001, factor)) }

    /// The scale a local retention of `retentionSeconds` implies.
    public init(retentionSeconds: Int) {
        self.init(factor: Double(retentionSeconds) / Double(Self.templateRetentionSeconds))
    }

    /// The local timeout of a function whose template timeout is `seconds`.
    public func timeout(_ seconds: Double) -> Double {
        min(seconds, max(Self.shortestTimeout, (seconds * factor).rounded(.up)))
    }

    /// The local visibility timeout of a queue (template `seconds`) feeding a function whose local timeout is `functionTimeout`.
    public func visibilityTimeout(_ seconds: Int, functionTimeout: Double) -> Int {
        max(Int(functionTimeout.rounded(.up)), scaled(seconds))
    }

    /// `seconds` scaled, at least 1.
    public func scaled(_ seconds: Int) -> Int { max(1, Int((Double(seconds) * factor).rounded(.up))) }
}

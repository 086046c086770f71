import Synchronization

/// The SDKs' standard retry mode: which failures are retried, the full-jitter backoff, and the
/// retry quota that stops retry storms. Pure apart from the quota; randomness is injected.
public final class RetryPolicy: Sendable {
    /// Throttling error codes from the SDKs' standard mode.
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
    ]
    /// Transient error codes: the request may or may not have been applied.
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "NetworkError", "InternalError",
        "ServiceUnavailable",
    ]
    static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// What to do after a failed attempt.
    public enum Decision: Equatable, Sendable {
        /// Try again after this many seconds.
        case retry(after: Double)
        /// Give up and report the error.
        case fail
    }

    /// Total attempts, the first included.
    public let maxAttempts: Int
    private let random: @Sendable () -> Double
    private let quota = Mutex(500)

    /// Standard mode with `maxAttempts` (3 by default) and an injectable uniform random source in [0, 1).
    public init(maxAttempts: Int = 3, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.random = random
    }

    /// Decides after attempt number `attempt` (1-based) failed with `error`.
    ///
    /// A request that is not idempotent is retried only when it cannot have been applied:
    /// no connection was made, or the service refused it with a throttling error.
    public func decide(_ error: AWSError, attempt: Int, idempotent: Bool) -> Decision {
        guard attempt < maxAttempts else { return .fail }
        let throttled = Self.throttlingCodes.contains(error.code)
        let notSent = error.code == "ConnectError" || error.isTransactionConflict
        let transient = Self.transientCodes.contains(error.code) || Self.transientStatuses.contains(error.status)
        guard throttled || notSent || (transient && idempotent) else { return .fail }
        let cost = error.code == "RequestTimeout" ? 10 : 5
        let paid = quota.withLock { balance in
            guard balance >= cost else { return false }
            balance -= cost
            return true
        }
        guard paid else { return .fail }
        let ceiling = min(Double(1 << min(attempt - 1, 30)), 20)
        return .retry(after: random() * ceiling)
    }

    /// Records a success; `retried` tells whether it took retries (whose cost is refunded).
    public func recordSuccess(retried: Bool) {
        quota.withLock { $0 = min(500, $0 + (retried ? 5 : 1)) }
    }

    /// What is left of the retry quota.
    public var availableQuota: Int { quota.withLock { $0 } }
}

extension AWSError {
    /// Whether the whole operation may succeed if tried again later (after this client's own
    /// retries gave up): throttling, transient and transport failures, by the retry policy's rules.
    public var isRetryable: Bool {
        // Client-side codes (InvalidParameter, CredentialsError, ClientError) are never retryable; an
        // answer that could not be read (MalformedResponse) may read fine next time.
        code == "ConnectError" || status == 429 || RetryPolicy.throttlingCodes.contains(code) || RetryPolicy.transientCodes.contains(code)
            || status >= 500 || isTransactionConflict || code == "MalformedResponse"
    }

    /// DynamoDB refused the write because a transaction held the item: nothing was applied, so it
    /// is safe to send again, idempotent or not. A cancelled transaction counts when every reason
    /// is a conflict (or none); one with a failed condition does not.
    public var isTransactionConflict: Bool {
        if code == "TransactionConflictException" { return true }
        guard code == "TransactionCanceledException", let details,
            let reasons = (try? JSONValue.parse(Array(details.utf8)))?["CancellationReasons"]?.arrayValue
        else { return false }
        let codes = reasons.map { $0["Code"]?.stringValue ?? "None" }
        return codes.contains("TransactionConflict") && codes.allSatisfy { $0 == "TransactionConflict" || $0 == "None" }
    }
}

/// Waits between attempts; injected so tests never sleep.
public protocol Sleeper: Sendable {
    /// Suspends for `seconds`.
    func sleep(seconds: Double) async throws
}

/// Sleeps on the task clock.
public struct TaskSleeper: Sleeper {
    /// Creates the sleeper.
    public init() {}

    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }
}

@testable import AWSCore
import Testing

@Suite struct RetryPolicyTests {
    private func error(_ code: String, _ status: Int) -> AWSError { AWSError(service: "t", code: code, message: "", status: status) }

    struct Case: Sendable, CustomTestStringConvertible {
        let code: String
        let status: Int
        let idempotent: Bool
        let retried: Bool
        var testDescription: String { "\(code)/\(status)/\(idempotent ? "idempotent" : "once")" }
    }

    static let cases: [Case] = [
        Case(code: "ThrottlingException", status: 400, idempotent: false, retried: true),
        Case(code: "ProvisionedThroughputExceededException", status: 400, idempotent: true, retried: true),
        Case(code: "SlowDown", status: 503, idempotent: false, retried: true),
        Case(code: "ConnectError", status: 0, idempotent: false, retried: true),
        Case(code: "InternalError", status: 500, idempotent: true, retried: true),
        Case(code: "InternalError", status: 500, idempotent: false, retried: false),
        Case(code: "NetworkError", status: 0, idempotent: true, retried: true),
        Case(code: "NetworkError", status: 0, idempotent: false, retried: false),
        Case(code: "RequestTimeout", status: 0, idempotent: true, retried: true),
        Case(code: "BadGateway", status: 502, idempotent: true, retried: true),
        // A transaction held the item: nothing was applied (issue 10, item 10).
        Case(code: "TransactionConflictException", status: 400, idempotent: false, retried: true),
        Case(code: "ConditionalCheckFailedException", status: 400, idempotent: true, retried: false),
        Case(code: "NoSuchKey", status: 404, idempotent: true, retried: false),
        Case(code: "AccessDenied", status: 403, idempotent: true, retried: false),
        Case(code: "ValidationException", status: 400, idempotent: true, retried: false),
    ]

    @Test(arguments: cases)
    func retriesOnlyWhatIsSafe(_ c: Case) {
        let policy = RetryPolicy(random: { 0.5 })
        let decision = policy.decide(error(c.code, c.status), attempt: 1, idempotent: c.idempotent)
        #expect(decision == (c.retried ? .retry(after: 0.5) : .fail))
    }

    @Test func backoffIsFullJitterCappedAndAttemptsBounded() {
        let policy = RetryPolicy(maxAttempts: 8, random: { 0.999 })
        let throttled = error("Throttling", 400)
        let delays = (1...7).map { attempt -> Double in
            guard case .retry(let delay) = policy.decide(throttled, attempt: attempt, idempotent: true) else { return -1 }
            return delay
        }
        #expect(delays.map { ($0 * 1000).rounded() / 1000 } == [0.999, 1.998, 3.996, 7.992, 15.984, 19.98, 19.98])
        #expect(policy.decide(throttled, attempt: 8, idempotent: true) == .fail)
        #expect(RetryPolicy().decide(throttled, attempt: 3, idempotent: true) == .fail)
    }

    @Test func quotaStopsRetryStormsAndRefills() {
        let policy = RetryPolicy(random: { 0 })
        let timeout = error("RequestTimeout", 0)
        for _ in 0..<50 { #expect(policy.decide(timeout, attempt: 1, idempotent: true) != .fail) }
        #expect(policy.availableQuota == 0)
        #expect(policy.decide(timeout, attempt: 1, idempotent: true) == .fail)
        policy.recordSuccess(retried: true)
        #expect(policy.availableQuota == 5)
        #expect(policy.decide(error("Throttling", 400), attempt: 1, idempotent: true) == .retry(after: 0))
        #expect(policy.availableQuota == 0)
    }
}

@Suite struct AWSErrorRetryabilityTests {
    @Test(arguments: [
        ("ThrottlingException", 400, true), ("ConnectError", 0, true), ("NetworkError", 0, true), ("RequestTimeout", 0, true),
        ("InternalServerError", 500, true), ("TransactionConflictException", 400, true), ("TooManyRequestsException", 429, true),
        ("InvalidParameter", 0, false), ("MalformedResponse", 200, true), ("CredentialsError", 0, false),
        ("ConditionalCheckFailedException", 400, false), ("NoSuchKey", 404, false),
    ])
    func laterRetriesFollowTheRetryRules(_ code: String, _ status: Int, _ retryable: Bool) {
        #expect(AWSError(service: "t", code: code, message: "", status: status).isRetryable == retryable)
    }

    @Test func aCancelledTransactionIsRetriedOnlyWhenEveryReasonIsAConflict() {
        func cancelled(_ codes: [String]) -> AWSError {
            let reasons = codes.map { #"{"Code":"\#($0)"}"# }.joined(separator: ",")
            return AWSError(service: "dynamodb", code: "TransactionCanceledException", message: "", status: 400, details: #"{"CancellationReasons":[\#(reasons)]}"#)
        }
        let policy = RetryPolicy(random: { 0 })
        #expect(policy.decide(cancelled(["None", "TransactionConflict"]), attempt: 1, idempotent: false) == .retry(after: 0))
        #expect(policy.decide(cancelled(["ConditionalCheckFailed", "TransactionConflict"]), attempt: 1, idempotent: false) == .fail)
        #expect(policy.decide(cancelled(["None"]), attempt: 1, idempotent: false) == .fail)
        #expect(cancelled(["TransactionConflict"]).isRetryable)
        #expect(!cancelled(["ConditionalCheckFailed"]).isRetryable)
    }

    @Test func anAnswerThatCouldNotBeReadIsRetryableLater() {
        #expect(AWSError.malformed("dynamodb", "truncated JSON").isRetryable)
        #expect(!AWSError.invalidParameter("s3", "key", "a key").isRetryable)
        #expect(!AWSError(service: "s3", code: "ClientError", message: "").isRetryable)
    }
}

import Foundation
import LocalLambda
import LocalServer
import Synchronization

/// Faults on a fraction of the AWS calls that go through the local endpoint, the ways real
/// networks and services fail: throttling, server errors, connections reset before AWS saw the
/// request or after it acted, answers cut short, and stalls past the clients' timeouts.
/// Deterministic for a seed, switchable on and off, and counted.
public final class FaultInjector: Sendable {
    /// One kind of fault.
    public enum Fault: String, CaseIterable, Sendable {
        /// The service's throttling answer (400 ThrottlingException for JSON APIs, 503 SlowDown for S3).
        case throttle
        /// 500 InternalError, without acting.
        case serverError
        /// The connection drops before the request reaches AWS.
        case resetBefore
        /// AWS acts on the request, then the connection drops before the answer.
        case resetAfter
        /// AWS acts on the request; the answer claims its full length and stops halfway.
        case truncated
        /// Nothing comes back for `stallSeconds`; then AWS acts and answers (to whoever still waits).
        case stall
    }

    let rate: Double
    let faults: [Fault]
    let stallSeconds: Double
    private let random: Mutex<UInt64>
    private let on = Atomic<Bool>(false)
    private let counts = Mutex<[Fault: Int]>([:])
    /// The after-the-fact faults chosen for requests now being forwarded, by server thread.
    private let afterwards = Mutex<[UInt: Fault]>([:])

    /// Faults `rate` (0...1) of the requests, choosing evenly among `faults`, from `seed`.
    public init(rate: Double, faults: [Fault] = Fault.allCases, stallSeconds: Double = 35, seed: UInt64 = 0x6A5) {
        self.rate = rate
        self.faults = faults
        self.stallSeconds = stallSeconds
        random = Mutex(seed)
    }

    /// Whether faults are injected now.
    public var enabled: Bool {
        get { on.load(ordering: .relaxed) }
        set { on.store(newValue, ordering: .relaxed) }
    }

    /// How many of each fault were injected.
    public var injected: [Fault: Int] { counts.withLock { $0 } }

    /// Installs the injector on `endpoint` (off until `enabled` is set).
    public func install(on endpoint: AWSEndpoint) {
        endpoint.intercept { [self] request in
            guard enabled, let fault = choose() else { return nil }
            counts.withLock { $0[fault, default: 0] += 1 }
            switch fault {
            case .throttle: return Self.throttled(request)
            case .serverError:
                return .init(status: 500, headers: [("Content-Type", "application/xml")], text: "<Error><Code>InternalError</Code><Message>injected</Message></Error>")
            case .resetBefore:
                var dropped = LocalHTTPServer.Response(status: 500)
                dropped.raw = []
                return dropped
            case .stall:
                Thread.sleep(forTimeInterval: stallSeconds)
                return nil
            case .resetAfter, .truncated:
                afterwards.withLock { $0[Self.thread] = fault }
                return nil
            }
        }
        endpoint.rewrite { [self] request, response in
            guard let fault = afterwards.withLock({ $0.removeValue(forKey: Self.thread) }) else { return response }
            var broken = response
            // A HEAD answer has no body to cut short: its Content-Length is the object's size.
            if fault == .resetAfter || request.method == "HEAD" {
                broken.raw = []
            } else {
                let head = "HTTP/1.1 \(response.status) OK\r\nContent-Length: \(max(response.body.count, 2))\r\nConnection: close\r\n\r\n"
                broken.raw = Array(head.utf8) + response.body.prefix(response.body.count / 2)
            }
            return broken
        }
    }

    private func choose() -> Fault? {
        random.withLock { state -> Fault? in
            let draw = Self.next(&state), pick = Self.next(&state)
            guard Double(draw >> 11) / Double(1 << 53) < rate, !faults.isEmpty else { return nil }
            return faults[Int(pick % UInt64(faults.count))]
        }
    }

    /// SplitMix64.
    private static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static var thread: UInt { UInt(pthread_self()) }

    private static func throttled(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        if request.headers["x-amz-target"] != nil {
            return .init(
                status: 400, headers: [("Content-Type", "application/x-amz-json-1.0")],
                text: #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#)
        }
        return .init(status: 503, headers: [("Content-Type", "application/xml")], text: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")
    }
}

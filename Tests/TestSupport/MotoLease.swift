import Synchronization

/// Exclusive use of the shared moto server by one test, from a clean state: every test that talks
/// to moto holds a lease for its lifetime (tests of all targets run in one process, in parallel).
public final class MotoLease: Sendable {
    private static let gate = Mutex<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    fileprivate init() {}

    deinit {
        let next = Self.gate.withLock { gate -> CheckedContinuation<Void, Never>? in
            if gate.waiters.isEmpty {
                gate.busy = false
                return nil
            }
            return gate.waiters.removeFirst()
        }
        next?.resume()
    }

    fileprivate static func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = gate.withLock { gate -> Bool in
                if gate.busy {
                    gate.waiters.append(continuation)
                    return false
                }
                gate.busy = true
                return true
            }
            if now { continuation.resume() }
        }
    }
}

extension MotoServer {
    /// Waits until no other test uses moto, then resets it and answers the lease; keep it for the test's duration.
    public func lease() async throws -> MotoLease {
        await MotoLease.acquire()
        let lease = MotoLease()
        try await reset()
        return lease
    }
}

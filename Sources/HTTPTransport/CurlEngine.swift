import CCurl
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One libcurl multi handle driven by its own thread: every transfer of the process shares its
/// connection cache, and no Swift cooperative thread ever waits on I/O.
final class CurlEngine: Sendable {
    /// The process-wide engine.
    static let shared = CurlEngine()

    private struct State {
        var submitted: [CurlTransfer] = []
        /// Reset easy handles kept for reuse (their DNS and TLS session caches stay warm).
        var idleHandles: [IdleHandle] = []
    }

    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer
    private let state = Mutex(State())

    private init() {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        multi = curl_multi_init()
        _ = gas_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<CurlEngine>.fromOpaque(context!).takeUnretainedValue().run()
            return nil
        }, context)
        precondition(created == 0, "could not start the HTTP I/O thread")
        pthread_detach(thread)
    }

    /// Sends `request` and suspends until its response is complete.
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let box = Mutex<CurlTransfer?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let easy = state.withLock { $0.idleHandles.popLast()?.pointer } ?? curl_easy_init()!
                let transfer = CurlTransfer(request: request, easy: easy, continuation: continuation)
                guard transfer.configure() else {
                    transfer.finish(CURLE_OK)  // resumes with the recorded configuration error
                    recycle(easy)
                    return
                }
                box.withLock { $0 = transfer }
                if Task.isCancelled { transfer.cancelled.store(true, ordering: .relaxed) }
                state.withLock { $0.submitted.append(transfer) }
                curl_multi_wakeup(multi)
            }
        } onCancel: {
            box.withLock { $0?.cancelled.store(true, ordering: .relaxed) }
            curl_multi_wakeup(multi)
        }
    }

    private func recycle(_ easy: UnsafeMutableRawPointer) {
        curl_easy_reset(easy)
        state.withLock { $0.idleHandles.append(IdleHandle(pointer: easy)) }
    }

    private func run() -> Never {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            for transfer in state.withLock({ state in defer { state.submitted.removeAll() }; return state.submitted }) {
                active[transfer.easy] = transfer
                let code = curl_multi_add_handle(multi, transfer.easy)
                if code != CURLM_OK {
                    active[transfer.easy] = nil
                    transfer.finish(CURLE_FAILED_INIT)
                    recycle(transfer.easy)
                }
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                if let transfer = active.removeValue(forKey: easy) {
                    transfer.finish(code)
                }
                recycle(easy)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}

/// An easy handle no transfer uses; only the engine touches it.
private struct IdleHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}

import Dispatch
import Foundation
import LocalServer
import Synchronization

/// A Runtime API server for tests, over real HTTP: `/next` blocks until an event is queued, and
/// every response, error and init error is recorded with its headers.
public final class FakeRuntimeAPI: Sendable {
    /// An event to serve.
    public struct Event: Sendable {
        public var requestID: String
        public var body: [UInt8]
        public var headers: [(String, String)]
        /// Status and body `/response` for this id answers (default 202).
        public var responseStatus: Int
        /// Send the event with chunked transfer encoding and then close the connection.
        public var chunkedAndClose: Bool

        public init(requestID: String, body: String, headers: [(String, String)] = [], responseStatus: Int = 202, chunkedAndClose: Bool = false) {
            self.requestID = requestID
            self.body = Array(body.utf8)
            self.headers = headers
            self.responseStatus = responseStatus
            self.chunkedAndClose = chunkedAndClose
        }
    }

    /// A POST the runtime made.
    public struct Post: Sendable {
        public let path: String
        public let headers: [String: String]
        public let body: String
    }

    private struct State {
        var queue: [Event] = []
        var outstanding: [String: Event] = [:]
        var posts: [Post] = []
        var nextStatus: Int?
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let server: Mutex<LocalHTTPServer?> = Mutex(nil)

    /// `host:port` for `AWS_LAMBDA_RUNTIME_API`.
    public let endpoint: String

    public init() throws {
        let box = Mutex<FakeRuntimeAPI?>(nil)
        let server = try LocalHTTPServer { request in box.withLock { $0 }!.answer(request) }
        endpoint = String(server.url.dropFirst("http://".count))
        self.server.withLock { $0 = server }
        box.withLock { $0 = self }
    }

    /// Queues an event for `/next`.
    public func enqueue(_ event: Event) {
        state.withLock { $0.queue.append(event) }
        available.signal()
    }

    /// Makes every later `/next` answer this status.
    public func failNext(status: Int) {
        state.withLock { $0.nextStatus = status }
        available.signal()
    }

    /// Every POST received so far.
    public var posts: [Post] { state.withLock { $0.posts } }

    /// The body POSTed as the response of `requestID`.
    public func response(_ requestID: String) -> String? {
        posts.first { $0.path == "/2018-06-01/runtime/invocation/\(requestID)/response" }?.body
    }

    /// The error POSTed for `requestID`.
    public func error(_ requestID: String) -> Post? {
        posts.first { $0.path == "/2018-06-01/runtime/invocation/\(requestID)/error" }
    }

    private func answer(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        if request.method == "GET", request.path == "/2018-06-01/runtime/invocation/next" {
            guard available.wait(timeout: .now() + 30) == .success else { return .init(status: 500, text: "no event") }
            let next: Event? = state.withLock { state in
                if state.nextStatus != nil { return nil }
                let event = state.queue.removeFirst()
                state.outstanding[event.requestID] = event
                return event
            }
            guard let event = next else {
                available.signal()
                return .init(status: state.withLock { $0.nextStatus! }, text: #"{"errorType":"Runtime.Failure","errorMessage":"down"}"#)
            }
            var response = LocalHTTPServer.Response(
                status: 200,
                headers: [("Lambda-Runtime-Aws-Request-Id", event.requestID), ("Content-Type", "application/json")] + event.headers,
                body: event.body)
            if event.chunkedAndClose {
                response.chunkSize = 7
                response.close = true
            }
            return response
        }
        let post = Post(path: request.path, headers: request.headers, body: String(decoding: request.body, as: UTF8.self))
        return state.withLock { state in
            state.posts.append(post)
            if request.path == "/2018-06-01/runtime/init/error" { return .init(status: 202, text: #"{"status":"OK"}"#) }
            let parts = request.path.split(separator: "/")
            guard parts.count == 5, let event = state.outstanding[String(parts[3])] else {
                return .init(status: 400, text: #"{"errorType":"InvalidRequestID","errorMessage":"Invalid request ID"}"#)
            }
            if parts[4] == "response", event.responseStatus == 413 {
                return .init(status: 413, text: #"{"errorType":"RequestEntityTooLarge","errorMessage":"Exceeded maximum allowed payload size (6291556 bytes)."}"#)
            }
            if parts[4] == "response", event.responseStatus != 202 {
                state.outstanding[event.requestID] = nil
                return .init(status: event.responseStatus, text: #"{"errorType":"InvalidRequestID","errorMessage":"Invalid request ID"}"#)
            }
            state.outstanding[event.requestID] = nil
            return .init(status: 202, text: #"{"status":"OK"}"#)
        }
    }
}

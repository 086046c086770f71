import Dispatch
import Foundation
import HTTPTransport
import LocalServer
import Synchronization

/// The one AWS endpoint of the local stack: serves the Lambda API for the functions it hosts
/// (`AWSEndpoint+Lambda.swift`) and forwards every other request to moto. Start moto with `MOTO_PORT` set to this
/// endpoint's port and moto's Step Functions interpreter invokes the hosted functions.
public final class AWSEndpoint: Sendable {
    /// Called after each forwarded request with the request and moto's response.
    public typealias Observer = @Sendable (LocalHTTPServer.Request, HTTPResponse) -> Void

    /// Answers a request instead of moto when it returns a response (fault injection, local emulation).
    public typealias Interceptor = @Sendable (LocalHTTPServer.Request) -> LocalHTTPServer.Response?

    /// Changes moto's answer before it is sent (where AWS answers differently from moto).
    public typealias Rewriter = @Sendable (LocalHTTPServer.Request, LocalHTTPServer.Response) -> LocalHTTPServer.Response

    struct State {
        var moto: String?
        var functions: [String: FunctionHost] = [:]
        var sources: [SQSEventSource] = []
        /// Seconds before the two retries of a failed `Event` invocation (Lambda: about 1 and 2 minutes).
        var eventRetryDelays: [Double] = [60, 120]
        var observers: [Observer] = []
        var interceptors: [Interceptor] = []
        var rewriters: [Rewriter] = []
        var invocations: [String: Int] = [:]
    }

    let state = Mutex(State())
    private let server: Mutex<LocalHTTPServer?> = Mutex(nil)
    /// `http://127.0.0.1:PORT`.
    public let url: String
    /// The port (for moto's `MOTO_PORT`).
    public let port: UInt16
    /// Where the hosted functions are said to be (their ARNs).
    public let region: String
    public let account: String

    /// Listens on `port` (0: a free one) and forwards to `moto` (`http://127.0.0.1:PORT`, or later with `forward(to:)`).
    public init(port: UInt16 = 0, moto: String? = nil, region: String = "us-east-1", account: String = "123456789012") throws {
        self.region = region
        self.account = account
        state.withLock { $0.moto = moto }
        let box = Mutex<AWSEndpoint?>(nil)
        let server = try LocalHTTPServer(port: port) { request in box.withLock { $0 }!.answer(request) }
        self.url = server.url
        self.port = server.port
        self.server.withLock { $0 = server }
        box.withLock { $0 = self }
    }

    /// Sets where requests other than invocations go.
    public func forward(to moto: String) { state.withLock { $0.moto = moto } }

    /// Adds an interceptor, asked before a request is forwarded.
    public func intercept(_ interceptor: @escaping Interceptor) { state.withLock { $0.interceptors.append(interceptor) } }

    /// Adds a rewriter of moto's answers, applied in the order added.
    public func rewrite(_ rewriter: @escaping Rewriter) { state.withLock { $0.rewriters.append(rewriter) } }

    /// Serves invocations of `host` under its name.
    public func host(_ host: FunctionHost) { state.withLock { $0.functions[host.configuration.name] = host } }

    /// Lists `source` in `ListEventSourceMappings`.
    public func map(_ source: SQSEventSource) { state.withLock { $0.sources.append(source) } }

    /// Sets the waits before the two retries of a failed `Event` invocation (scaled for local runs).
    public func retryEvents(after delays: [Double]) { state.withLock { $0.eventRetryDelays = delays } }

    /// Adds an observer of forwarded requests (the emulation of what moto does not do).
    public func observe(_ observer: @escaping Observer) { state.withLock { $0.observers.append(observer) } }

    /// How often `function` was invoked through the Invoke API.
    public func invocations(of function: String) -> Int { state.withLock { $0.invocations[function] ?? 0 } }

    private func answer(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        if request.path.hasPrefix("/2015-03-31/") { return lambda(request) }
        return forward(request)
    }

    private func forward(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        let (moto, interceptors) = state.withLock { ($0.moto, $0.interceptors) }
        for interceptor in interceptors {
            if let response = interceptor(request) { return response }
        }
        guard let moto else { return .init(status: 503, text: "no AWS behind this endpoint yet") }
        let headers = request.headers.filter { !["host", "content-length", "connection", "expect"].contains($0.key) }.map { (name: $0.key, value: $0.value) }
        let outgoing = HTTPRequest(method: request.method, url: moto + request.path, headers: headers, body: .bytes(request.body), totalTimeout: 120)
        guard let response = Self.wait({ try? await CurlHTTPClient().send(outgoing) }) else {
            return .init(status: 502, text: "moto did not answer")
        }
        for observer in state.withLock({ $0.observers }) { observer(request, response) }
        // A HEAD answer's Content-Length is the object's size: keep it (the server sends no body then).
        let dropped: Set<String> = request.method == "HEAD" ? ["transfer-encoding", "connection"] : ["content-length", "transfer-encoding", "connection"]
        let passed = response.headers.filter { !dropped.contains($0.name.lowercased()) }
        let answer = LocalHTTPServer.Response(status: response.status, headers: passed.map { ($0.name, $0.value) }, body: response.body)
        return state.withLock { $0.rewriters }.reduce(answer) { $1(request, $0) }
    }

    /// Runs async work from a server thread (which may block) and waits for it.
    static func wait<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<T?>(nil)
        Task {
            let value = await work()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }!
    }
}

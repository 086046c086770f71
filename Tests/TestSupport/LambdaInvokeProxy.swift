import Dispatch
import Foundation
import LocalServer
import HTTPTransport
import Synchronization

/// Serves the Lambda Invoke API by running real handler binaries in local mode, and forwards every
/// other request to moto: start moto with `MOTO_PORT` set to this port and its Step Functions
/// interpreter invokes the functions registered here.
public final class LambdaInvokeProxy: Sendable {
    /// How one function runs: its binary and the environment of the n-th invocation (1-based).
    public struct Function: Sendable {
        public let binary: String
        public let environment: @Sendable (Int) -> [String: String]

        public init(binary: String, environment: @escaping @Sendable (Int) -> [String: String]) {
            self.binary = binary
            self.environment = environment
        }
    }

    private struct State {
        var target: String?
        var functions: [String: Function] = [:]
        var invocations: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let server: Mutex<LocalHTTPServer?> = Mutex(nil)
    /// The port moto's `MOTO_PORT` must name.
    public let port: String

    public init() throws {
        let box = Mutex<LambdaInvokeProxy?>(nil)
        let server = try LocalHTTPServer { request in box.withLock { $0 }!.answer(request) }
        port = String(server.url.split(separator: ":").last ?? "")
        self.server.withLock { $0 = server }
        box.withLock { $0 = self }
    }

    /// Where requests that are not invocations go (`http://127.0.0.1:PORT`).
    public func forward(to target: String) { state.withLock { $0.target = target } }

    /// Registers a function by name.
    public func register(_ name: String, _ function: Function) { state.withLock { $0.functions[name] = function } }

    /// How often `name` was invoked.
    public func invocations(of name: String) -> Int { state.withLock { $0.invocations[name] ?? 0 } }

    private func answer(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        let parts = request.path.split(separator: "/")
        if request.method == "POST", parts.count == 4, parts[0] == "2015-03-31", parts[1] == "functions", parts[3].hasPrefix("invocations") {
            let name = String(parts[2].removingPercentEncoding ?? String(parts[2])).split(separator: ":").last.map(String.init) ?? ""
            return invoke(name, payload: request.body)
        }
        return forward(request)
    }

    private func invoke(_ name: String, payload: [UInt8]) -> LocalHTTPServer.Response {
        let found = state.withLock { state -> (Function, Int)? in
            guard let function = state.functions[name] else { return nil }
            state.invocations[name, default: 0] += 1
            return (function, state.invocations[name]!)
        }
        guard let (function, count) = found else {
            return .init(status: 404, headers: [("x-amzn-ErrorType", "ResourceNotFoundException")], text: #"{"Type":"User","message":"Function not found: \#(name)"}"#)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: function.binary)
        process.environment = function.environment(count)
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do {
            try process.run()
            input.fileHandleForWriting.write(Data(payload))
            try input.fileHandleForWriting.close()
        } catch {
            return .init(status: 500, text: #"{"message":"cannot start \#(function.binary)"}"#)
        }
        let body = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        if process.terminationStatus != 0 { headers.append(("X-Amz-Function-Error", "Unhandled")) }
        return .init(status: 200, headers: headers, body: Array(body))
    }

    private func forward(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        guard let target = state.withLock({ $0.target }) else { return .init(status: 503, text: "no target") }
        let headers = request.headers.filter { !["host", "content-length", "connection", "expect"].contains($0.key) }.map { (name: $0.key, value: $0.value) }
        let outgoing = HTTPRequest(method: request.method, url: target + request.path, headers: headers, body: .bytes(request.body))
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<HTTPResponse?>(nil)
        Task {
            let response = try? await CurlHTTPClient().send(outgoing)
            result.withLock { $0 = response }
            done.signal()
        }
        done.wait()
        guard let response = result.withLock({ $0 }) else { return .init(status: 502, text: "moto did not answer") }
        let passed = response.headers.filter { !["content-length", "transfer-encoding", "connection"].contains($0.name.lowercased()) }.map { ($0.name, $0.value) }
        return .init(status: response.status, headers: passed, body: response.body)
    }
}

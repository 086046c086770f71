import Dispatch
import Foundation
import LocalServer
import Synchronization

/// Runs one Lambda function locally the way Lambda does: serves the Runtime API on a loopback port,
/// runs the function's real `bootstrap` as a child process against it (restarting it when it
/// exits), and hands it one invocation at a time.
public final class FunctionHost: Sendable {
    /// What to run.
    public struct Configuration: Sendable {
        public var name: String
        public var executable: String
        public var arguments: [String]
        public var environment: [String: String]
        /// Seconds an invocation may take before it fails with `Sandbox.Timedout` and the process is replaced.
        public var timeout: Double

        public init(name: String, executable: String, arguments: [String] = [], environment: [String: String], timeout: Double = 60) {
            self.name = name
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
            self.timeout = timeout
        }
    }

    /// What an invocation answered.
    public struct Result: Sendable, Equatable {
        /// The response, or the error document.
        public var body: [UInt8]
        /// The error type when the function failed (`X-Amz-Function-Error` is then `Unhandled`).
        public var errorType: String?
        /// The invocation's log as Lambda's `--log-type Tail` shows it: START, the function's
        /// lines written while it ran (as far as they were read when it answered), END and REPORT.
        public var log: String = ""

        public init(body: [UInt8], errorType: String?, log: String = "") {
            self.body = body
            self.errorType = errorType
            self.log = log
        }
    }

    private final class Pending: @unchecked Sendable {
        let id: String
        let payload: [UInt8]
        let deadline: Int64
        let started = Date()
        let lines = Mutex<[String]>([])
        private let done = Mutex<CheckedContinuation<Result, Never>?>(nil)

        init(id: String, payload: [UInt8], deadline: Int64, continuation: CheckedContinuation<Result, Never>) {
            self.id = id
            self.payload = payload
            self.deadline = deadline
            done.withLock { $0 = continuation }
        }

        /// Resolves once, with the log tail; later calls are ignored (a late response after a timeout).
        func finish(_ result: Result, memoryMegabytes: String) {
            var result = result
            let milliseconds = String(format: "%.2f", Date().timeIntervalSince(started) * 1000)
            let lines = ["START RequestId: \(id) Version: $LATEST"] + self.lines.withLock { $0 } + [
                "END RequestId: \(id)",
                "REPORT RequestId: \(id)\tDuration: \(milliseconds) ms\tBilled Duration: \(Int((Double(milliseconds) ?? 0).rounded(.up))) ms\tMemory Size: \(memoryMegabytes) MB",
            ]
            result.log = lines.joined(separator: "\n") + "\n"
            done.withLock { continuation in
                continuation?.resume(returning: result)
                continuation = nil
            }
        }
    }

    private struct State {
        var queue: [Pending] = []
        var running: Pending?
        var process: Process?
        var restarts = 0
        var invocations = 0
        var stopping = false
        var initError: Result?
    }

    public let configuration: Configuration
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let server: Mutex<LocalHTTPServer?> = Mutex(nil)
    private let log: @Sendable (String) -> Void
    /// `127.0.0.1:PORT` of this function's Runtime API.
    public let runtimeAPI: String

    /// Starts the Runtime API and the function process; `log` receives the function's output lines.
    public init(_ configuration: Configuration, log: @escaping @Sendable (String) -> Void) throws {
        self.configuration = configuration
        self.log = log
        let box = Mutex<FunctionHost?>(nil)
        let server = try LocalHTTPServer { request in box.withLock { $0 }!.answer(request) }
        runtimeAPI = "127.0.0.1:\(server.port)"
        self.server.withLock { $0 = server }
        box.withLock { $0 = self }
        try launch()
        let watchdog = Thread { [weak self] in
            while let self, !self.state.withLock({ $0.stopping }) {
                self.expireTimedOut()
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        watchdog.start()
    }

    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, for the REPORT line.
    var memory: String { configuration.environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] ?? "128" }

    /// How many invocations were asked of this function (retries included).
    public var invocations: Int { state.withLock { $0.invocations } }

    /// How often the process was restarted after exiting.
    public var restarts: Int { state.withLock { $0.restarts } }

    /// Runs one invocation and answers its result (never throws: failures are error documents).
    public func invoke(_ payload: [UInt8]) async -> Result {
        await withCheckedContinuation { continuation in
            let deadline = Self.nowMilliseconds() + Int64(configuration.timeout * 1000)
            let pending = Pending(id: UUID().uuidString.lowercased(), payload: payload, deadline: deadline, continuation: continuation)
            state.withLock { $0.invocations += 1 }
            if let initError = state.withLock({ $0.initError }) {
                pending.finish(initError, memoryMegabytes: memory)
                return
            }
            state.withLock { $0.queue.append(pending) }
            available.signal()
        }
    }

    /// Kills the function's process at once (`kill -9`), as a crash would: the invocation under
    /// way fails with `Runtime.ExitError` and a new process is started, as Lambda starts a new
    /// execution environment.
    public func crash() {
        if let process = state.withLock({ $0.process }), process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Stops the process for good.
    public func stop() {
        let process = state.withLock { state -> Process? in
            state.stopping = true
            return state.process
        }
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        available.signal()
    }

    // MARK: Process supervision

    private func launch() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: configuration.executable)
        process.arguments = configuration.arguments
        process.environment = configuration.environment.merging(["AWS_LAMBDA_RUNTIME_API": runtimeAPI, "AWS_LAMBDA_FUNCTION_NAME": configuration.name]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let name = configuration.name
        let log = self.log
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            let running = self?.state.withLock { $0.running }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                log("[\(name)] \(line)")
                running?.lines.withLock { $0.append(String(line)) }
            }
        }
        process.terminationHandler = { [weak self] finished in self?.exited(finished.terminationStatus) }
        try process.run()
        state.withLock { $0.process = process }
    }

    private func exited(_ status: Int32) {
        let (running, stopping) = state.withLock { state -> (Pending?, Bool) in
            defer { state.running = nil }
            return (state.running, state.stopping)
        }
        running?.finish(Self.error("Runtime.ExitError", "RequestId: \(running?.id ?? "") Error: Runtime exited with error: exit status \(status)"), memoryMegabytes: memory)
        guard !stopping else { return }
        state.withLock { $0.restarts += 1 }
        log("[\(configuration.name)] process exited with status \(status); restarting")
        // Back off a little so a function that cannot start does not spin.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { [weak self] in
            do { try self?.launch() } catch { self?.log("[\(self?.configuration.name ?? "")] cannot restart: \(error)") }
        }
    }

    private func expireTimedOut() {
        let now = Self.nowMilliseconds()
        let (expired, process) = state.withLock { state -> (Pending?, Process?) in
            guard let running = state.running, running.deadline < now else { return (nil, nil) }
            state.running = nil
            return (running, state.process)
        }
        guard let expired else { return }
        expired.finish(Self.error("Sandbox.Timedout", "Task timed out after \(configuration.timeout) seconds"), memoryMegabytes: memory)
        // Like Lambda, a timed-out environment is killed and replaced.
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    // MARK: Runtime API

    private func answer(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        let path = request.path
        if request.method == "GET" && path == "/2018-06-01/runtime/invocation/next" { return next() }
        guard request.method == "POST" else { return Self.apiError(404, "UnknownPath", path) }
        if path == "/2018-06-01/runtime/init/error" {
            let result = Result(body: request.body, errorType: request.headers["lambda-runtime-function-error-type"] ?? "Runtime.InitError")
            let waiting = state.withLock { state -> [Pending] in
                state.initError = result
                defer { state.queue.removeAll() }
                return state.queue
            }
            waiting.forEach { $0.finish(result, memoryMegabytes: memory) }
            return .init(status: 202, text: #"{"status":"OK"}"#)
        }
        let parts = path.split(separator: "/")
        guard parts.count == 5, parts[1] == "runtime", parts[2] == "invocation" else { return Self.apiError(404, "UnknownPath", path) }
        let current = state.withLock { state -> Pending? in
            guard let running = state.running, running.id == parts[3] else { return nil }
            state.running = nil
            return running
        }
        guard let current else { return Self.apiError(400, "InvalidRequestID", "Invalid request ID") }
        switch parts[4] {
        case "response":
            guard request.body.count <= 6_291_556 else {
                current.finish(Self.error("Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size (6291556 bytes)."), memoryMegabytes: memory)
                return Self.apiError(413, "RequestEntityTooLarge", "Exceeded maximum allowed payload size (6291556 bytes).")
            }
            current.finish(Result(body: request.body, errorType: nil), memoryMegabytes: memory)
        case "error":
            current.finish(Result(body: request.body, errorType: request.headers["lambda-runtime-function-error-type"] ?? "Unhandled"), memoryMegabytes: memory)
        default:
            return Self.apiError(404, "UnknownPath", path)
        }
        return .init(status: 202, text: #"{"status":"OK"}"#)
    }

    /// Blocks (this connection's thread) until an invocation is queued, as Lambda's long poll does.
    private func next() -> LocalHTTPServer.Response {
        while true {
            available.wait()
            let next = state.withLock { state -> Pending? in
                guard !state.stopping, !state.queue.isEmpty else { return nil }
                let pending = state.queue.removeFirst()
                state.running = pending
                return pending
            }
            if state.withLock({ $0.stopping }) { return Self.apiError(500, "Runtime.Stopping", "the host is stopping") }
            guard let next else { continue }
            return .init(
                status: 200,
                headers: [
                    ("Lambda-Runtime-Aws-Request-Id", next.id), ("Lambda-Runtime-Deadline-Ms", String(next.deadline)),
                    ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:\(configuration.name)"),
                    ("Lambda-Runtime-Trace-Id", Self.traceHeader(requestID: next.id)),
                    ("Content-Type", "application/json"),
                ],
                body: next.payload)
        }
    }

    static func error(_ type: String, _ message: String) -> Result {
        let document = try? JSONSerialization.data(withJSONObject: ["errorType": type, "errorMessage": message])
        return Result(body: Array(document ?? Data()), errorType: type)
    }

    static func apiError(_ status: Int, _ type: String, _ message: String) -> LocalHTTPServer.Response {
        let document = (try? JSONSerialization.data(withJSONObject: ["errorType": type, "errorMessage": message])) ?? Data()
        return .init(status: status, headers: [("Content-Type", "application/json")], body: Array(document))
    }

    static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// An X-Ray trace header as Lambda sends it: `Root=1-<8 hex: epoch seconds>-<24 hex>`, a
    /// 16-hex parent, not sampled (the hex digits are the request id's).
    static func traceHeader(requestID: String) -> String {
        let hex = requestID.lowercased().filter(\.isHexDigit)
        let digits = String((hex + String(repeating: "0", count: 40)).prefix(40))
        let epoch = String(nowMilliseconds() / 1000, radix: 16)
        return "Root=1-\(epoch)-\(digits.prefix(24));Parent=\(digits.dropFirst(24).prefix(16));Sampled=0"
    }
}

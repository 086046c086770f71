import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// The custom runtime loop: `/next`, run the handler, `/response` or `/error`, one invocation at a time.
public struct LambdaRuntime: Sendable {
    /// How the loop ended.
    public enum Exit: Equatable, Sendable {
        /// Stopped after the requested number of invocations (tests, benchmarks).
        case finished
        /// Initialisation failed and was reported; the process should exit non-zero.
        case initFailed
        /// The Runtime API failed (500, or the connection could not be kept); exit non-zero.
        case runtimeAPIFailed(String)
    }

    let environment: [String: String]
    let logWriter: LambdaLogHandler.Writer

    /// A runtime reading its configuration from `environment` (the process environment by default).
    public init(environment: [String: String] = LambdaRuntime.processEnvironment(), logWriter: @escaping LambdaLogHandler.Writer = LambdaLogHandler.standardOutput) {
        self.environment = environment
        self.logWriter = logWriter
    }

    /// A logger in Lambda's log format.
    public func makeLogger(label: String = "lambda") -> Logger {
        let environment = self.environment
        let writer = logWriter
        return Logger(label: label) { LambdaLogHandler(label: $0, environment: environment, writer: writer) }
    }

    /// Serves invocations until `maxInvocations` (forever when nil) or a fatal error.
    ///
    /// `makeHandler` runs once, before the first `/next`; if it throws, the error goes to
    /// `/runtime/init/error` and the loop ends with `.initFailed`.
    public func run(maxInvocations: Int? = nil, makeHandler: (Logger) async throws -> any RawLambdaHandler) async -> Exit {
        let logger = makeLogger()
        // A write to a Runtime API connection that was reset must fail the write, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        guard let endpoint = environment["AWS_LAMBDA_RUNTIME_API"] else {
            logger.critical("AWS_LAMBDA_RUNTIME_API is not set; exiting")
            return .runtimeAPIFailed("AWS_LAMBDA_RUNTIME_API is not set")
        }
        let client: RuntimeAPIClient
        do {
            client = try RuntimeAPIClient(endpoint: endpoint)
        } catch {
            logger.critical("cannot use the Runtime API; exiting", metadata: ["error": "\(error.description)"])
            return .runtimeAPIFailed(error.description)
        }
        let handler: any RawLambdaHandler
        do {
            handler = try await makeHandler(logger)
        } catch {
            logger.critical("initialisation failed", metadata: ["error": "\(error)"])
            _ = try? client.initError(ErrorDocument(error))
            return .initFailed
        }
        let function = LambdaFunction(environment: environment)
        let trace = TraceEnvironment()
        var served = 0
        while maxInvocations.map({ served < $0 }) ?? true {
            do {
                let invocation = try client.next(logger: logger)
                served += 1
                trace.set(invocation.traceID)
                try await handle(invocation, with: handler, client: client, function: function, coldStart: served == 1, logger: logger)
            } catch let error as RuntimeAPIClient.Fatal {
                logger.critical("Runtime API failed; exiting", metadata: ["error": "\(error.message)"])
                return .runtimeAPIFailed(error.message)
            } catch {
                logger.critical("Runtime API unreachable; exiting", metadata: ["error": "\(error)"])
                return .runtimeAPIFailed("\(error)")
            }
        }
        return .finished
    }

    /// Runs one invocation; only Runtime API failures escape (handler errors are reported to `/error`).
    private func handle(
        _ invocation: RuntimeAPIClient.Invocation, with handler: any RawLambdaHandler, client: RuntimeAPIClient, function: LambdaFunction,
        coldStart: Bool, logger base: Logger
    ) async throws {
        var logger = base
        logger[metadataKey: "requestId"] = .string(invocation.requestID)
        logger[metadataKey: "function"] = .string(function.name)
        logger[metadataKey: "coldStart"] = .stringConvertible(coldStart)
        if let traceID = invocation.traceID { logger[metadataKey: "traceId"] = .string(traceID) }
        let context = LambdaContext(
            requestID: invocation.requestID, deadlineMilliseconds: invocation.deadlineMilliseconds,
            invokedFunctionARN: invocation.invokedFunctionARN, traceID: invocation.traceID, clientContext: invocation.clientContext,
            cognitoIdentity: invocation.cognitoIdentity, tenantID: invocation.tenantID, function: function, logger: logger)
        let output: [UInt8]
        do {
            output = try await handler.handle(invocation.event, context: context)
        } catch {
            let document = ErrorDocument(error)
            logger.error("invocation failed", metadata: ["errorType": "\(document.errorType)", "errorMessage": "\(document.errorMessage)"])
            try client.fail(requestID: invocation.requestID, document, logger: logger)
            return
        }
        try client.respond(requestID: invocation.requestID, body: output, logger: logger)
    }

    /// The process environment as a dictionary.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        return result
    }
}

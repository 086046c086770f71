import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// What Lambda says about the invocation being handled.
public struct LambdaContext: Sendable {
    /// The request id (`Lambda-Runtime-Aws-Request-Id`).
    public let requestID: String
    /// The deadline in milliseconds since the Unix epoch (`Lambda-Runtime-Deadline-Ms`).
    public let deadlineMilliseconds: Int64
    /// The ARN the caller invoked, with any alias or version.
    public let invokedFunctionARN: String
    /// The X-Ray trace header, also set as `_X_AMZN_TRACE_ID` while the handler runs.
    public let traceID: String?
    /// Mobile client context JSON, when the caller sent one.
    public let clientContext: String?
    /// Cognito identity JSON, when the caller had one.
    public let cognitoIdentity: String?
    /// The tenant id of tenant-isolated functions.
    public let tenantID: String?
    /// The function's static configuration.
    public let function: LambdaFunction
    /// A logger whose lines carry this request id.
    public let logger: Logger

    /// Creates a context (the runtime makes them; tests may too).
    public init(
        requestID: String, deadlineMilliseconds: Int64, invokedFunctionARN: String = "", traceID: String? = nil, clientContext: String? = nil,
        cognitoIdentity: String? = nil, tenantID: String? = nil, function: LambdaFunction = LambdaFunction(environment: [:]), logger: Logger
    ) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.tenantID = tenantID
        self.function = function
        self.logger = logger
    }

    /// Time left before Lambda stops the invocation.
    public var remainingTime: Duration { .milliseconds(max(0, deadlineMilliseconds - Self.nowMilliseconds())) }
    /// The deadline in whole seconds since the Unix epoch, rounded up: no run of this invocation lasts past it.
    public var deadlineSeconds: Int { Int((deadlineMilliseconds + 999) / 1000) }

    /// The wall clock in milliseconds since the Unix epoch.
    public static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

/// The function's configuration from Lambda's reserved environment variables.
public struct LambdaFunction: Sendable, Equatable {
    /// `AWS_LAMBDA_FUNCTION_NAME`.
    public let name: String
    /// `AWS_LAMBDA_FUNCTION_VERSION`.
    public let version: String
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` in MB.
    public let memoryMegabytes: Int
    /// `AWS_LAMBDA_LOG_GROUP_NAME`.
    public let logGroup: String?
    /// `AWS_LAMBDA_LOG_STREAM_NAME`.
    public let logStream: String?

    /// Reads the variables from `environment`.
    public init(environment: [String: String]) {
        name = environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "local"
        version = environment["AWS_LAMBDA_FUNCTION_VERSION"] ?? "$LATEST"
        memoryMegabytes = Int(environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] ?? "") ?? 0
        logGroup = environment["AWS_LAMBDA_LOG_GROUP_NAME"]
        logStream = environment["AWS_LAMBDA_LOG_STREAM_NAME"]
    }
}

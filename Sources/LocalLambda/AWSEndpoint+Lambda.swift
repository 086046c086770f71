import Foundation
import LocalServer
import Synchronization

/// The Lambda API of the local endpoint, for the functions it hosts: Invoke (`RequestResponse`,
/// `Event` with Lambda's two retries, `DryRun`, `--log-type Tail`, Lambda's payload limits),
/// GetFunction, ListFunctions and ListEventSourceMappings, with Lambda's error documents.
extension AWSEndpoint {
    /// Lambda's limits on an invocation's request: 6 MB synchronous, 1 MB asynchronous.
    static let requestLimit = 6_291_456
    static let eventLimit = 1_048_576

    func lambda(_ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        let split = request.path.split(separator: "?", maxSplits: 1)
        let parts = split.first?.split(separator: "/").dropFirst().map { String($0).removingPercentEncoding ?? String($0) } ?? []
        let query = split.count > 1 ? Self.query(String(split[1])) : [:]
        switch (request.method, parts.first, parts.count) {
        case ("POST", "functions", 3) where parts[2] == "invocations": return invoke(Self.functionName(parts[1]), request)
        case ("GET", "functions", 1): return listFunctions()
        case ("GET", "functions", 2): return getFunction(Self.functionName(parts[1]))
        case ("GET", "event-source-mappings", 1): return listEventSourceMappings(query["FunctionName"].map(Self.functionName))
        default:
            return Self.lambdaError(
                404, "ResourceNotFoundException", "\(request.method) \(split.first ?? "") is not an operation of the local Lambda API")
        }
    }

    /// A name, a function ARN, or an ARN with a qualifier: the name is the 7th ARN field.
    static func functionName(_ reference: String) -> String {
        let fields = reference.split(separator: ":", omittingEmptySubsequences: false)
        return fields.count >= 7 ? String(fields[6]) : reference
    }

    private func invoke(_ name: String, _ request: LocalHTTPServer.Request) -> LocalHTTPServer.Response {
        guard let host = state.withLock({ state -> FunctionHost? in
            state.invocations[name, default: 0] += (state.functions[name] == nil ? 0 : 1)
            return state.functions[name]
        }) else { return notFound(name) }
        let type = request.headers["x-amz-invocation-type"] ?? "RequestResponse"
        let limit = type == "Event" ? Self.eventLimit : Self.requestLimit
        guard request.body.count <= limit else {
            return Self.lambdaError(
                413, "RequestEntityTooLargeException", "Request must be smaller than \(limit) bytes for the InvokeFunction operation")
        }
        switch type {
        case "Event":
            let delays = state.withLock { $0.eventRetryDelays }
            Task {
                // Lambda retries a failed asynchronous invocation twice, waiting between attempts.
                for attempt in 0...delays.count {
                    if await host.invoke(request.body).errorType == nil || attempt == delays.count { return }
                    try? await Task.sleep(for: .milliseconds(Int(delays[attempt] * 1000)))
                }
            }
            return .init(status: 202, headers: [("Content-Type", "application/json")])
        case "DryRun":
            return .init(status: 204)
        case "RequestResponse":
            let result = Self.wait { await host.invoke(request.body) }
            var headers: [(String, String)] = [("Content-Type", "application/json"), ("X-Amz-Executed-Version", "$LATEST")]
            if result.errorType != nil { headers.append(("X-Amz-Function-Error", "Unhandled")) }
            if request.headers["x-amz-log-type"] == "Tail" {
                // Lambda returns the last 4 KB of the invocation's log, base64-encoded.
                headers.append(("X-Amz-Log-Result", Data(Array(result.log.utf8).suffix(4096)).base64EncodedString()))
            }
            return .init(status: 200, headers: headers, body: result.body)
        default:
            return Self.lambdaError(
                400, "InvalidParameterValueException", "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, got \(type.prefix(40))")
        }
    }

    private func listFunctions() -> LocalHTTPServer.Response {
        let hosts = state.withLock { $0.functions.values.sorted { $0.configuration.name < $1.configuration.name } }
        return Self.json(["Functions": hosts.map(configuration)])
    }

    private func getFunction(_ name: String) -> LocalHTTPServer.Response {
        guard let host = state.withLock({ $0.functions[name] }) else { return notFound(name) }
        return Self.json(["Configuration": configuration(host), "Code": ["RepositoryType": "S3", "Location": ""]])
    }

    private func listEventSourceMappings(_ function: String?) -> LocalHTTPServer.Response {
        let sources = state.withLock { $0.sources }.filter { function == nil || $0.host.configuration.name == function }
        return Self.json([
            "EventSourceMappings": sources.map { source -> [String: Any] in
                [
                    "UUID": Self.uuid(source.configuration.queueARN + source.host.configuration.name),
                    "EventSourceArn": source.configuration.queueARN, "FunctionArn": arn(source.host.configuration.name),
                    "BatchSize": source.configuration.batchSize, "MaximumBatchingWindowInSeconds": 0,
                    "FunctionResponseTypes": ["ReportBatchItemFailures"], "State": "Enabled", "StateTransitionReason": "USER_INITIATED",
                ]
            }
        ])
    }

    /// The function's configuration as GetFunction and ListFunctions show it.
    private func configuration(_ host: FunctionHost) -> [String: Any] {
        let environment = host.configuration.environment
        // The variables Lambda sets itself are not the function's configuration.
        let reserved = ["PATH", "TMPDIR", "LD_LIBRARY_PATH", "TZ", "LANG", "HOME"]
        let variables = environment.filter { !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("LAMBDA_") && !$0.key.hasPrefix("_") && !reserved.contains($0.key) }
        var description: [String: Any] = [
            "FunctionName": host.configuration.name, "FunctionArn": arn(host.configuration.name), "Runtime": "provided.al2023",
            "Handler": "bootstrap", "Timeout": Int(host.configuration.timeout.rounded(.up)),
            "MemorySize": Int(environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] ?? "") ?? 128, "Architectures": ["x86_64"], "PackageType": "Zip",
            "State": "Active", "LastUpdateStatus": "Successful", "Version": "$LATEST", "Environment": ["Variables": variables],
            "LoggingConfig": ["LogFormat": environment["AWS_LAMBDA_LOG_FORMAT"] ?? "Text", "LogGroup": environment["AWS_LAMBDA_LOG_GROUP_NAME"] ?? "/aws/lambda/\(host.configuration.name)"],
        ]
        if let level = environment["AWS_LAMBDA_LOG_LEVEL"] { description["LoggingConfig"] = (description["LoggingConfig"] as? [String: String] ?? [:]).merging(["ApplicationLogLevel": level]) { $1 } }
        return description
    }

    private func arn(_ name: String) -> String { "arn:aws:lambda:\(region):\(account):function:\(name)" }

    private func notFound(_ name: String) -> LocalHTTPServer.Response {
        Self.lambdaError(404, "ResourceNotFoundException", "Function not found: \(arn(name))")
    }

    static func lambdaError(_ status: Int, _ type: String, _ message: String) -> LocalHTTPServer.Response {
        let document = (try? JSONSerialization.data(withJSONObject: ["Type": "User", "Message": message, "message": message])) ?? Data()
        return .init(status: status, headers: [("x-amzn-ErrorType", type), ("Content-Type", "application/json")], body: Array(document))
    }

    static func json(_ object: [String: Any]) -> LocalHTTPServer.Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return .init(status: 200, headers: [("Content-Type", "application/json")], body: Array(data))
    }

    public static func query(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    /// A stable UUID-shaped id for a mapping (the same for the same queue and function).
    static func uuid(_ seed: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var digits = ""
        for round in 0..<2 {
            for byte in (seed + String(round)).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            digits += String(hash, radix: 16).leftPadded(to: 16)
        }
        let d = Array(digits)
        return "\(String(d[0..<8]))-\(String(d[8..<12]))-\(String(d[12..<16]))-\(String(d[16..<20]))-\(String(d[20..<32]))"
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}

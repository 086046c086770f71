import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Log lines as Lambda wants them: `AWS_LAMBDA_LOG_FORMAT` Text (tab-separated) or JSON (one
/// object a line with timestamp, level, message, and inside an invocation its requestId, function,
/// traceId and coldStart (a boolean), then the other metadata), filtered at `AWS_LAMBDA_LOG_LEVEL`,
/// each line written with a single `write` so lines never interleave.
public struct LambdaLogHandler: LogHandler {
    /// `Text` or `JSON`.
    public enum Format: Sendable, Equatable {
        case text, json
    }

    /// Where finished lines go.
    public typealias Writer = @Sendable ([UInt8]) -> Void

    /// The default writer: standard output.
    public static let standardOutput: Writer = { line in
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let format: Format
    let writer: Writer

    /// A handler configured from Lambda's variables in `environment`.
    public init(label: String, environment: [String: String], writer: @escaping Writer = LambdaLogHandler.standardOutput) {
        self.label = label
        self.format = environment["AWS_LAMBDA_LOG_FORMAT"]?.lowercased() == "json" ? .json : .text
        self.logLevel = Self.level(environment["AWS_LAMBDA_LOG_LEVEL"]) ?? .info
        self.writer = writer
    }

    /// Lambda's level names (`TRACE` … `FATAL`) as swift-log levels.
    public static func level(_ name: String?) -> Logger.Level? {
        switch name?.uppercased() {
        case "TRACE": .trace
        case "DEBUG": .debug
        case "INFO": .info
        case "WARN", "WARNING": .warning
        case "ERROR": .error
        case "FATAL", "CRITICAL": .critical
        default: nil
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let requestID = merged.removeValue(forKey: "requestId").map { "\($0)" }
        let level = Self.name(event.level)
        let timestamp = Self.timestamp()
        var line: String
        switch format {
        case .text:
            line = "\(timestamp)\t\(requestID ?? "-")\t\(level)\t\(event.message)"
            // Lambda's Text lines carry the request id only; the rest of the invocation's context is for JSON.
            for key in ["function", "traceId", "coldStart"] { merged.removeValue(forKey: key) }
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        case .json:
            line = "{\"timestamp\":\"\(timestamp)\",\"level\":\"\(level)\",\"message\":\(JSONText.quote("\(event.message)"))"
            if let requestID { line += ",\"requestId\":\(JSONText.quote(requestID))" }
            for key in ["function", "traceId"] {
                if let value = merged.removeValue(forKey: key) { line += ",\"\(key)\":\(JSONText.quote("\(value)"))" }
            }
            if let coldStart = merged.removeValue(forKey: "coldStart") { line += ",\"coldStart\":\("\(coldStart)" == "true")" }
            line += ",\"logger\":\(JSONText.quote(label))"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += ",\(JSONText.quote(key)):\(JSONText.quote("\(value)"))" }
            line += "}"
        }
        writer(Array((line + "\n").utf8))
    }

    static func name(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(now.tv_nsec / 1_000_000)
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }
}

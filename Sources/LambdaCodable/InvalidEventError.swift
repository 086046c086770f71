import LambdaRuntime

/// An event that did not decode into the handler's event type.
public struct InvalidEventError: LambdaErrorType, CustomStringConvertible {
    /// `InvalidEvent`.
    public var errorType: String { "InvalidEvent" }
    /// Which field was wrong and what was expected.
    public let description: String

    /// Describes `error` for an event that should have been a `T`.
    public init<T>(_ error: DecodingError, type: T.Type) {
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return joined.isEmpty ? "the event" : "field " + String(joined.drop(while: { $0 == "." }))
        }
        let detail: String
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            detail = "\(parent == "the event" ? "field " : parent + ".")\(key.stringValue) is missing"
        case .typeMismatch(let expected, let context): detail = "\(path(context)) is not \(expected)"
        case .valueNotFound(let expected, let context): detail = "\(path(context)) is null, expected \(expected)"
        case .dataCorrupted(let context): detail = "\(path(context)) is malformed: \(context.debugDescription)"
        @unknown default: detail = "\(error)"
        }
        description = "event does not decode as \(T.self): \(detail)"
    }
}

